# stitch: cyclic
# Coroutines awaited through SEND in their caller's loop (asyncio keeps
# cycles alive until exit).
import asyncio
async def a(n):
    if n == 0:
        return 0
    return 1 + await a(n-1)
async def main():
    print(await a(100))
asyncio.run(main())


async def thrower(n):
    if n == 0:
        raise ValueError("deep")
    await thrower(n - 1)
async def main2():
    try:
        await thrower(30)
    except ValueError as e:
        print("caught", e)
    print([await a(i) for i in range(5)])
asyncio.run(main2())
