# __del__ (PEP 442): when it runs, once per object, resurrection, errors, and its
# order with weak-reference callbacks.
import _weakref


class N:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)


a = N("a")
a = None
print("after a")
b = N("b")
del b
print("after b")


def scope():
    x = N("local")
    print("in scope")


scope()
print("after scope")

# In loops (traces compile these under the JIT).
for i in range(5):
    t = N(i)
    print("made", i)
del t
items = [N(f"item{i}") for i in range(3)]
items.pop()
print("popped")
items[0] = None
print("replaced")
del items
print("list gone")


class Holder:
    pass


h = Holder()
h.x = N("attr")
h.x = None
print("attr replaced")
d = {"k": N("dict")}
del d["k"]
print("dict item deleted")

# __del__ runs before weak-reference callbacks; the callback sees a dead ref.
class W:
    def __del__(self):
        print("W.__del__, ref alive:", wr() is self)


w = W()
wr = _weakref.ref(w, lambda r: print("callback, ref dead:", r() is None))
del w
print("after W")

# Resurrection: __del__ stores self; the object survives, and a second death does
# not call __del__ again.
saved = []


class R:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("R.__del__", self.n)
        saved.append(self)


r = R(1)
rr = _weakref.ref(r)
del r
print("resurrected:", len(saved), saved[0].n, rr() is saved[0])
saved.clear()
print("second death done", rr())

# An exception in __del__ is reported on stderr and ignored.
class Bad:
    def __del__(self):
        print("Bad.__del__")
        raise ValueError("oops")


bad = Bad()
del bad
print("still running")


# A callback that raises is reported too.
class Plain:
    pass


pl = Plain()
pr = _weakref.ref(pl, lambda r: 1 / 0)
del pl
print("after bad callback")

# Finalizers of objects released by a finalizer.
class Chain:
    def __init__(self, n, nxt):
        self.n = n
        self.nxt = nxt

    def __del__(self):
        print("chain", self.n)


ch = Chain(1, Chain(2, Chain(3, None)))
del ch
print("chain gone")

# __del__ defined after the class was created, and inherited.
class Late:
    pass


Late.__del__ = lambda self: print("late del")
late = Late()
del late


class Child(N):
    pass


c = Child("child")
del c
print("end")
g1 = N("global at exit")
