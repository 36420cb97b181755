import sys

def run(coro):
    value = None
    while True:
        try:
            req = coro.send(value)
        except StopIteration as e:
            return e.value
        value = req

print(sys.get_asyncgen_hooks())
h = sys.get_asyncgen_hooks()
print(h.firstiter, h.finalizer, tuple(h), len(h), h[0], type(h).__name__)
first, fin = h
print(first, fin)

seen = []
def firstiter(agen):
    seen.append(("first", agen.__name__))
finalized = []
def finalizer(agen):
    finalized.append(agen.__name__)
    print("finalizer called for", agen.__qualname__)

print(sys.set_asyncgen_hooks(firstiter, finalizer))
h = sys.get_asyncgen_hooks()
print(h.firstiter is firstiter, h.finalizer is finalizer)
print(repr(h).startswith("asyncgen_hooks(firstiter=<function firstiter"))

async def numbers():
    try:
        yield 1
        yield 2
    finally:
        print("numbers finally")

a = numbers()
print(seen)
n = a.__anext__()
print(seen)
n2 = a.__anext__()
print(seen)
try:
    n.send(None)
except StopIteration as e:
    print("got", e.value)
del n, n2
del a
print("after del", finalized)

b = numbers()
del b
print("never iterated", finalized)

async def main():
    return [x async for x in numbers()]
print(run(main()), finalized)
print(seen)

sys.set_asyncgen_hooks(finalizer=None)
print(sys.get_asyncgen_hooks().firstiter is firstiter, sys.get_asyncgen_hooks().finalizer)
sys.set_asyncgen_hooks(firstiter=None)
print(sys.get_asyncgen_hooks())

for bad in [dict(firstiter=1), dict(finalizer="x"), dict(finalizer=print, firstiter=3)]:
    try:
        sys.set_asyncgen_hooks(**bad)
    except TypeError as e:
        print("TypeError:", e)
print(sys.get_asyncgen_hooks().finalizer)
sys.set_asyncgen_hooks(None, None)
try:
    sys.set_asyncgen_hooks(None, None, None)
except TypeError as e:
    print("TypeError:", e)
try:
    sys.set_asyncgen_hooks(bogus=None)
except TypeError as e:
    print("TypeError:", e)

# firstiter raising: the error comes out of __anext__().
def bad_first(agen):
    raise ValueError("no iterating")
sys.set_asyncgen_hooks(firstiter=bad_first)
a = numbers()
try:
    a.__anext__()
except ValueError as e:
    print("ValueError:", e)
print(type(a.__anext__()).__name__)
sys.set_asyncgen_hooks(firstiter=None)

# Without hooks, dropping an unfinished async generator closes it.
c = numbers()
try:
    c.__anext__().send(None)
except StopIteration as e:
    print("got", e.value)
del c
print("dropped")

# A finalizer that raises is reported, not propagated.
def bad_fin(agen):
    raise KeyError("fin")
sys.set_asyncgen_hooks(finalizer=bad_fin)
d = numbers()
try:
    d.__anext__().send(None)
except StopIteration as e:
    print("got", e.value)
del d
print("after bad finalizer")
sys.set_asyncgen_hooks(finalizer=None)

# aiter / anext
async def count(n):
    for i in range(n):
        yield i

class Counter:
    def __init__(self, n):
        self.i, self.n = 0, n
    def __aiter__(self):
        return self
    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i

async def use_anext():
    it = aiter(count(2))
    print(await anext(it), await anext(it), await anext(it, "default"))
    try:
        await anext(it)
    except StopAsyncIteration:
        print("StopAsyncIteration from anext")
    c = Counter(1)
    print(aiter(c) is c, await anext(c), await anext(c, None))
    aw = anext(count(0), "dflt")
    print(type(aw).__name__)
    print(await aw)
    print([x async for x in Counter(3)])
run(use_anext())

for bad in (lambda: aiter(1), lambda: anext(1), lambda: aiter([]), lambda: anext(object())):
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
class BadAiter:
    def __aiter__(self):
        return 1
try:
    aiter(BadAiter())
except TypeError as e:
    print("TypeError:", e)
try:
    aiter()
except TypeError as e:
    print("TypeError:", e)
try:
    anext()
except TypeError as e:
    print("TypeError:", e)

# anext with default on a generator: next/send/throw/close of anext_awaitable
a = count(1)
aw = anext(a, "d")
try:
    aw.send(None)
except StopIteration as e:
    print("anext_awaitable ->", e.value)
aw = anext(a, "d")
try:
    next(aw)
except StopIteration as e:
    print("anext_awaitable ->", e.value)
