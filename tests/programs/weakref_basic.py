# weakref.ref / proxy through _weakref (the Lib's weakref module builds on these).
import _weakref
from _weakref import ref, proxy, getweakrefcount, getweakrefs


class C:
    def __init__(self, n):
        self.n = n

    def __repr__(self):
        return f"C({self.n})"

    def method(self):
        return self.n * 10


def strip(s):
    # Addresses differ between runs: keep the shape of a repr only.
    import re
    return re.sub(r"0x[0-9a-f]+", "ADDR", s)


c = C(1)
r = ref(c)
print(r() is c, r() == c, type(r).__name__, type(r).__module__)
print(strip(repr(r)))
print(ref(c) is r, getweakrefcount(c))
log = []
r2 = ref(c, lambda w: log.append(("cb2", w is r2, w())))
r3 = ref(c, lambda w: log.append(("cb3", w is r3)))
print(getweakrefcount(c), getweakrefs(c) == [r, r3, r2], r2 is not r)
print(r2.__callback__ is not None, r.__callback__)
print(hash(r) == hash(c), r == r2, r != r2, r == ref(C(9)))
h = hash(r)
del c
print("after del", log, r(), r2(), strip(repr(r)))
print(hash(r) == h)
try:
    hash(r2)
except TypeError as e:
    print("TypeError:", e)
print(r == r, r == r2, r != r2)

# Objects that cannot be weakly referenced.
for x in [1, "s", (1,), [1], {}, 1.5, None, object(), ValueError()]:
    try:
        ref(x)
    except TypeError as e:
        print(e)

# Objects that can.
def f():
    yield 1


class L(list):
    pass


class D(dict):
    pass


class S:
    __slots__ = ("a",)


class SW:
    __slots__ = ("a", "__weakref__")


class T(tuple):
    pass


for x in [set(), frozenset(), len, C, f, f(), L(), D(), SW(), C(2).method, _weakref]:
    print(type(x).__name__, ref(x)() is not None)
for x in [S(), T()]:
    try:
        ref(x)
    except TypeError as e:
        print(e)

# Argument errors.
try:
    ref()
except TypeError as e:
    print(e)
try:
    ref(C(1), None, 3)
except TypeError as e:
    print(e)
try:
    ref(C(1), callback=None)
except TypeError as e:
    print(e)
print(ref(C(3), None).__callback__)


# Subclasses, as Lib/weakref.py's KeyedRef and WeakMethod.
class KeyedRef(ref):
    __slots__ = ("key",)

    def __new__(type, ob, callback, key):
        self = ref.__new__(type, ob, callback)
        self.key = key
        return self

    def __init__(self, ob, callback, key):
        super().__init__(ob, callback)


k1 = C(4)
kr = KeyedRef(k1, lambda w: print("keyed dead", w.key), "the-key")
print(type(kr).__name__, kr.key, kr() is k1, isinstance(kr, ref), kr is not ref(k1))
print(kr == ref(k1), hash(kr) == hash(k1))
del k1


class WeakMethod(ref):
    __slots__ = "_func_ref", "_meth_type", "_alive", "__weakref__"

    def __new__(cls, meth, callback=None):
        obj = meth.__self__
        func = meth.__func__
        self = ref.__new__(cls, obj, callback)
        self._func_ref = ref(func)
        self._meth_type = type(meth)
        return self

    def __call__(self):
        obj = super().__call__()
        func = self._func_ref()
        if obj is None or func is None:
            return None
        return self._meth_type(func, obj)


m = C(5)
wm = WeakMethod(m.method)
print(wm()(), ref(wm)() is wm)
del m
print(wm())

# Proxies.
p_obj = C(6)
p = proxy(p_obj)
print(p.n, p.method(), str(p), type(p).__name__)
print(strip(repr(p)))
p.n = 7
print(p_obj.n, getweakrefcount(p_obj), proxy(p_obj) is p)
del p.n
print(hasattr(p_obj, "n"))
p_obj.n = 8
lst = [3, 1, 2]
pl = proxy(L(lst))
nums = L([5, 6])
pn = proxy(nums)
print(len(pn), pn[0], 5 in pn, list(pn), pn + [7], [0] + pn, pn == [5, 6], bool(pn))
pn[0] = 50
print(nums, sorted(pn))
cf = proxy(len)
print(type(cf).__name__, cf("abcd"))
try:
    hash(p)
except TypeError as e:
    print(e)
try:
    pl.append
except ReferenceError as e:
    print("ReferenceError:", e)
del p_obj
try:
    p.n
except ReferenceError as e:
    print("ReferenceError:", e)

# _remove_dead_weakref
dd = {}
o = C(7)
dd["k"] = ref(o)
_weakref._remove_dead_weakref(dd, "k")
print(len(dd))
del o
_weakref._remove_dead_weakref(dd, "k")
_weakref._remove_dead_weakref(dd, "missing")
print(len(dd))
