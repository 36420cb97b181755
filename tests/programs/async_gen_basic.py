import sys

class Sleep:
    """An awaitable that yields one value to the event loop."""
    def __init__(self, tag):
        self.tag = tag
    def __await__(self):
        got = yield ("sleep", self.tag)
        return got

def run(coro):
    """A tiny event loop: answers each ('sleep', tag) with tag * 10."""
    value = None
    while True:
        try:
            req = coro.send(value)
        except StopIteration as e:
            return e.value
        assert req[0] == "sleep", req
        value = req[1] * 10

async def ticker(n):
    for i in range(n):
        got = await Sleep(i)
        yield i, got

async def main():
    out = []
    async for item in ticker(3):
        out.append(item)
    print("async for:", out)
    print("listcomp:", [x async for x in ticker(3)])
    print("setcomp:", sorted({x[0] async for x in ticker(4)}))
    print("dictcomp:", {k: v async for k, v in ticker(2)})
    print("filtered:", [x async for x, _ in ticker(6) if x % 2])
    print("nested:", [(x, y) async for x, _ in ticker(2) for y in "ab"])
    print("nested2:", [(x, y) for x in "ab" async for y, _ in ticker(2)])
    print("await in comp:", [await Sleep(i) for i in range(3)])
    g = (x * 2 async for x, _ in ticker(3))
    print(type(g).__name__, [y async for y in g])
    print("genexp of await:", [v async for v in (await Sleep(i) for i in range(2))])
    return "done"

print(run(main()))

async def agen():
    yield 1
    yield 2

a = agen()
print(type(a).__name__, type(a) is type(agen()))
print(repr(a).startswith("<async_generator object agen at 0x"))
print(a.__name__, a.__qualname__, a.ag_running, a.ag_await, a.ag_code.co_name)
print(a.ag_frame is not None)
print(a.__aiter__() is a)
nx = a.__anext__()
print(type(nx).__name__)
print(nx.__await__() is nx, iter(nx) is nx)
try:
    nx.send(None)
except StopIteration as e:
    print("yielded", e.value)
try:
    nx.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)
nx = a.asend(None)
try:
    next(nx)
except StopIteration as e:
    print("yielded", e.value)
try:
    a.__anext__().send(None)
except StopAsyncIteration as e:
    print("StopAsyncIteration", e.args)
print(a.ag_frame)
try:
    a.__anext__().send(None)
except StopAsyncIteration:
    print("still exhausted")

print(agen.__code__.co_flags & 0x200 != 0)
def g(): yield
async def c(): pass
def f(): pass
print(g.__code__.co_flags, c.__code__.co_flags, agen.__code__.co_flags, f.__code__.co_flags)
def outer():
    def inner(): pass
    return inner
print(outer().__code__.co_flags)
(lambda: 0).__code__.co_flags
print((lambda: 0).__code__.co_flags)
c().close()
