# The `__dict__` / `__weakref__` getset descriptors in the dict of a class whose
# instances gain them (CPython's type_new), and `__class__` assignment between
# classes that differ in weak reference support.
import weakref


def keys(cls):
    return sorted(cls.__dict__)


class C:
    def meth(self):
        pass


class D(C):
    x = 1


class S:
    __slots__ = ("a",)


class SD:
    __slots__ = ("__dict__",)


class SW:
    __slots__ = ("__weakref__",)


class L(list):
    pass


class I(int):
    pass


class E(Exception):
    pass


class M(type):
    pass


class Own:
    __dict__ = 5


for cls in (C, D, S, SD, SW, L, I, E, M, Own):
    print(cls.__name__, keys(cls))
print(C.__dict__["__dict__"], C.__dict__["__weakref__"])
print(C.__dict__["__dict__"].__doc__, "|", C.__dict__["__weakref__"].__doc__)
print(len(list(C.__dict__.values())), len(list(C.__dict__.items())))
c = C()
c.y = 2
print(c.__dict__, C.__dict__["__dict__"].__get__(c, C), c.__weakref__)
r = weakref.ref(c)
l = L([1])
l.z = 3
print(l.__dict__, vars(l), Own().__dict__)
c.__dict__ = {"w": 1}
print(c.w, vars(c))
del c.__dict__
print(vars(c))


class J:
    __slots__ = ["c", "b"]


class N(J):
    __slots__ = ["__weakref__"]


class Q(J):
    pass


class R(J):
    __slots__ = ["__dict__", "__weakref__"]


for a, b in ((J, N), (N, J), (Q, R), (R, Q)):
    x = a()
    try:
        x.__class__ = b
        print("ok", type(x).__name__)
    except TypeError as e:
        print("TypeError:", e)
