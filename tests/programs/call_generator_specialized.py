# Calls of generator, coroutine and async generator functions, hot enough to
# specialize (CALL_PY_GENERATOR), then called in ways the specialization does not
# cover: the generic call must take over with CPython's results and errors.
def gen(a, b=10):
    yield a
    yield b


class C:
    def items(self, n):
        for i in range(n):
            yield self, i


async def fib(n):
    if n <= 1:
        return n
    return await fib(n - 1) + await fib(n - 2)


async def agen(k):
    for i in range(k):
        yield i * k


total = 0
for i in range(3000):
    total += sum(gen(i))
    total += sum(gen(i, 1))
print(total)

c = C()
print(sum(i for _, i in c.items(5)), sum(sum(i for _, i in c.items(k)) for k in range(200)))

coro = fib(15)
try:
    coro.send(None)
except StopIteration as e:
    print("fib", e.value)


async def collect():
    out = 0
    for k in range(300):
        async for v in agen(k % 7):
            out += v
    return out


co = collect()
try:
    co.send(None)
except StopIteration as e:
    print("collect", e.value)

# After specializing: wrong argument counts, keywords, other callables at the site.
for f, args in [(gen, ()), (gen, (1, 2, 3)), (len, ([1, 2],)), (gen, (5,))]:
    try:
        r = f(*args) if f is not gen or len(args) != 1 else gen(args[0])
        print(type(r).__name__, list(r) if f is gen else r)
    except TypeError as e:
        print("TypeError", e)


def call_site(f, x):
    return f(x)


for i in range(2000):
    call_site(gen, i)
print(list(call_site(gen, 7)), call_site(abs, -3), list(call_site(lambda x: iter([x]), 4)))
g = call_site(gen, 1)
print(g.__name__, g.__qualname__, g.gi_frame.f_locals)
