# The `__dict__` / `__weakref__` getsets a class gets in its own dict when it adds an
# instance dict or weak references to its bases (CPython's type_new).
import collections
import functools


class C:
    def meth(self):
        pass


print(sorted(C.__dict__))
print(type(C.__dict__["__dict__"]).__name__, type(C.__dict__["__weakref__"]).__name__)
print(repr(C.__dict__["__dict__"]), repr(C.__weakref__))
print(C.__dict__["__dict__"].__doc__, "|", C.__dict__["__weakref__"].__doc__)
c = C()
c.x = 1
print(C.__dict__["__dict__"].__get__(c, C), C.__dict__["__weakref__"].__get__(c, C))
try:
    C.__dict__["__dict__"].__get__(3)
except TypeError as e:
    print("TypeError:", e)


class Sub(C):
    pass


print(sorted(Sub.__dict__))

for base in (int, str, list, dict, set, tuple, bytes, Exception, type, float,
             collections.OrderedDict, collections.deque, functools.partial,
             staticmethod, property):
    class K(base):
        pass
    print(base.__name__, "__dict__" in K.__dict__, "__weakref__" in K.__dict__)


class S:
    __slots__ = ("a",)


class SD:
    __slots__ = ("a", "__dict__")


class SW:
    __slots__ = ("a", "__weakref__")


class Own:
    __dict__ = 5


for k in (S, SD, SW, Own):
    print(k.__name__, sorted(n for n in k.__dict__ if n in ("__dict__", "__weakref__")))
print(Own.__dict__["__dict__"])
