# obj.__dict__ = d swaps an instance's attribute dict (the object uses d itself);
# _threading_local.local relies on it to switch between per-thread dicts.
import threading


class A:
    pass


a = A()
a.x = 1
d = {"q": 5}
a.__dict__ = d
print(a.__dict__ is d, a.q, hasattr(a, "x"))
a.y = 2
print(sorted(d.items()))
object.__setattr__(a, "__dict__", {"z": 3})
print(vars(a), d)
del a.z
print(vars(a))

for bad in (None, 1, [("a", 1)]):
    try:
        a.__dict__ = bad
    except TypeError as e:
        print("TypeError:", e)
a.w = 1
del a.__dict__
print(vars(a), hasattr(a, "w"))
a.w2 = 2
print(vars(a))


class S:
    __slots__ = ("v",)


try:
    S().__dict__ = {}
except AttributeError as e:
    print("AttributeError:", e)


class L(list):
    pass


lst = L([1])
lst.__dict__ = {"tag": "t"}
print(lst, lst.tag)


class D(dict):
    pass


a.__dict__ = D(k=1)
print(type(a.__dict__).__name__, a.k)

# A loop that stores the same attribute while __dict__ changes under it.
objs = []
for i in range(200):
    a.__dict__ = {}
    a.n = i
    objs.append(a.__dict__)
print(objs[0], objs[-1])

from _threading_local import local

loc = local()
loc.v = "main"
seen = []


def worker(n):
    loc.v = n
    del loc.v
    loc.v = n * 10
    seen.append(loc.v)


ts = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(seen), loc.v)
