class Pause:
    def __init__(self, v=None):
        self.v = v
    def __await__(self):
        got = yield self.v
        return got

def run(coro, answers=None):
    value = None
    steps = 0
    while True:
        try:
            req = coro.send(value)
        except StopIteration as e:
            return e.value
        steps += 1
        value = req

class Resource:
    def __init__(self, name):
        self.name = name
    async def __aenter__(self):
        print("  enter", self.name)
        await Pause()
        return self
    async def __aexit__(self, *exc):
        print("  exit", self.name, exc[0].__name__ if exc[0] else None)
        await Pause()
        return False

class Stream:
    def __init__(self, prefix):
        self.prefix = prefix
    async def items(self, n):
        async with Resource(self.prefix) as r:
            for i in range(n):
                await Pause(i)
                yield f"{r.name}{i}"

async def chain(*gens):
    for g in gens:
        async for x in g:
            yield x

async def main():
    s = Stream("s")
    print(Stream.items.__qualname__, s.items(1).__qualname__)
    print([x async for x in chain(s.items(2), Stream("t").items(1))])
    # break out of async for, then close explicitly
    g = s.items(5)
    async for x in g:
        print("first", x)
        break
    await g.aclose()
    # an exception inside the generator reaches the consumer
    async def failing():
        yield 1
        raise ValueError("inside")
    try:
        async for x in failing():
            print("got", x)
    except ValueError as e:
        print("caught", e)
    # return without value ends iteration
    async def early():
        yield "a"
        return
        yield "b"
    print([x async for x in early()])
    # closures and nested async generator expressions
    k = 3
    async def scaled(src):
        async for v in src:
            yield v * k
    async def rng(n):
        for i in range(n):
            yield i
    print([x async for x in scaled(rng(4))])
    gen = (y + 1 async for y in scaled(rng(3)) if y)
    print([z async for z in gen])
    print({x: [y async for y in rng(x)] async for x in rng(3)})
    # hot loops inside async generators and comprehensions (tier 2)
    async def many(n):
        total = 0
        for i in range(n):
            total += i
            if i % 50 == 0:
                await Pause()
            yield total
    acc = 0
    async for v in many(300):
        acc ^= v
    print("acc", acc)
    print(sum([v async for v in many(300)]))
    print(len({v % 7 async for v in many(500)}))
    # await inside comprehension element and condition
    print([await Pause(x) for x in range(3) if await Pause(True)])
    return "ok"

print(run(main()))

# Throwing into a coroutine awaiting anext() reaches the async generator.
async def agen():
    try:
        while True:
            v = await Pause("waiting")
            yield v
    except KeyError as e:
        print("agen caught", repr(e))
        yield "after KeyError"
    finally:
        print("agen finally")

async def consumer(a):
    try:
        x = await anext(a)
        print("consumer got", x)
    except ValueError as e:
        print("consumer caught", repr(e))
        return "consumer done"
    return x

a = agen()
c = consumer(a)
print(c.send(None))
print(c.cr_await.__class__.__name__)
try:
    c.throw(KeyError("k"))
except StopIteration as e:
    print("consumer returned", e.value)
c2 = consumer(a)
try:
    c2.send(None)
except StopAsyncIteration:
    print("exhausted")
except StopIteration as e:
    print("c2 returned", e.value)
c3 = consumer(a)
try:
    c3.send(None)
except StopAsyncIteration:
    print("exhausted")

# close() of a coroutine waiting on an asend closes the asend.
a = agen()
c = consumer(a)
c.send(None)
c.close()
print("closed consumer; agen running:", a.ag_running)
n = a.__anext__()
try:
    n.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)
del a, n, c
print("dropped")
a = agen()
n = a.__anext__()
print(n.send(None))
try:
    n.throw(ValueError("into agen"))
except ValueError as e:
    print("ValueError escaped:", e)
print(a.ag_running, a.ag_frame)

# Generators: throw/close pass on to yield-from delegates.
def inner():
    try:
        yield 1
        yield 2
    except KeyError:
        print("inner caught KeyError")
        yield "inner recovered"
    finally:
        print("inner finally")
    return "inner result"

def outer():
    r = yield from inner()
    print("outer got", r)
    yield "outer next"

o = outer()
print(next(o), o.gi_yieldfrom.__name__)
print(o.throw(KeyError))
print(next(o))
print(o.gi_yieldfrom)
o.close()
o = outer()
next(o)
o.close()
print("closed", o.gi_frame)

class Sub:
    def __iter__(self): return self
    def __next__(self): return "sub"
    def throw(self, *a):
        print("Sub.throw", [type(x).__name__ for x in a])
        raise StopIteration("sub done")
    def close(self):
        print("Sub.close")
def deleg():
    r = yield from Sub()
    yield ("deleg got", r)
d = deleg()
print(next(d))
print(d.throw(ValueError("x")))
d2 = deleg()
next(d2)
d2.close()
