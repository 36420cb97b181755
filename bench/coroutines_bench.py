# Coroutines: a recursive Fibonacci with async def/await, driven by send().
async def fibonacci(n):
    if n <= 1:
        return n
    return await fibonacci(n - 1) + await fibonacci(n - 2)


def run(coro):
    try:
        coro.send(None)
    except StopIteration as e:
        return e.value


print(run(fibonacci(27)))
