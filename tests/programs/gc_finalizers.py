# PEP 442 finalizers and weak references on cyclic garbage, as the collector runs them.
import gc
import _weakref

gc.disable()
log = []


class A:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        log.append("del " + self.name)


# __del__ runs once per object in a cycle; then the cycle is freed.
a = A("a")
b = A("b")
a.peer = b
b.peer = a
del a, b
print(gc.collect(), log)
log.clear()

# Resurrection: a finalizer storing its object keeps it (and what it reaches) alive.
saved = []


class Phoenix:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        log.append("del " + self.name)
        saved.append(self)


p = Phoenix("p")
q = Phoenix("q")
p.q = q
q.p = p
del p, q
print(gc.collect(), log, [s.name for s in saved])
print(gc.is_finalized(saved[0]), gc.is_finalized(saved[1]))
log.clear()
# Dropped again: the finalizer does not run a second time.
saved.clear()
print(gc.collect(), log)

# Weak-reference callbacks fire for garbage referents; the referent is gone.
class W:
    pass


w = W()
w.me = w
got = []
r = _weakref.ref(w, lambda ref: got.append(ref() is None))
del w
print(gc.collect(), got, r())

# A weak reference that is itself part of the garbage: its callback does not run.
class V:
    pass


v = V()
v.me = v
v.ref = _weakref.ref(v, lambda ref: got.append("garbage callback"))
del v
print(gc.collect(), got)

# Finalizers see weak references to their cycle already cleared.
class Seer:
    def __del__(self):
        log.append(("seer sees", self.r() is None))


s = Seer()
s.me = s
s.r = _weakref.ref(s)
del s
gc.collect()
print(log)
log.clear()

# An exception in __del__ is reported and the collection goes on.
class Bad:
    def __del__(self):
        raise ValueError("oops")


x = Bad()
x.me = x
del x
print(gc.collect())

# Generators in cycles: the collector closes a suspended generator (its finalizer),
# which frees what its frame held.
class D:
    def __del__(self):
        log.append("D del")


def gen():
    d = D()
    try:
        me = yield 1
        yield me
    finally:
        log.append("finally")


g = gen()
next(g)
holder = [g]
g.send(holder)
del g, holder
print(gc.collect(), log)
log.clear()

# Automatic collection: many cycles with finalizers, collector enabled.
gc.enable()
count = [0]


class C:
    def __del__(self):
        count[0] += 1


for i in range(20000):
    c = C()
    c.me = c
del c
print(count[0] > 15000)
gc.collect()
print(count[0])
