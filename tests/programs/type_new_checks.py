# type(name, bases, ns) and the class attributes checked as CPython 3.11 checks them:
# names (no NUL, UTF-8), __qualname__ and __doc__ in the namespace, __slots__ that
# repeat __dict__/__weakref__ or go on a variable-size base, __base__ (the base whose
# layout the class extends), and an OrderedDict namespace read in its own order.
import collections
import warnings


def t(f, *a, **k):
    try:
        r = f(*a, **k)
        print(repr(r) if not isinstance(r, type) else r.__name__)
    except Exception as e:
        print(type(e).__name__, e)


t(type, "A\x00B", (), {})
t(type, "A\udcdcB", (), {})
t(type, "A", (), {"__qualname__": 42})
t(type, "A", (), {"__doc__": "x\udcdcy"})
t(type, "A", (), {"__doc__": b"x"})
t(type, "A", (), {"__slots__": ("__dict__", "__dict__")})
t(type, "A", (), {"__slots__": ("__weakref__", "__weakref__")})
t(type, "A", (int,), {"__slots__": "__dict__"})
t(type, "A", (int,), {"__slots__": ()})

A = type("A", (), {})


def s(name, v):
    try:
        setattr(A, name, v)
        print(repr(getattr(A, name)))
    except Exception as e:
        print(type(e).__name__, e)


s("__name__", "A\x00B")
s("__name__", "A\udcdcB")
s("__name__", 42)
s("__name__", "B")
s("__qualname__", 42)
A.__doc__ = "x\udcdcy"
print(ascii(A.__doc__))


class B:
    pass


class S:
    __slots__ = ("a",)


class S2(S):
    pass


class S3(B, S2):
    pass


print(type("C", (B, int), {}).__base__, type("C", (B,), {}).__base__, S3.__base__,
      S2.__base__, bool.__base__, object.__base__)

od = collections.OrderedDict([("a", 1), ("b", 2)])
od.move_to_end("a")
print(list(type("C", (), od).__dict__)[:2])
d = {}
d.update(od)
print(list(d), list(dict(od)), list({**od}))


class BadFormat:
    def __format__(self, spec):
        return 1


t(format, BadFormat(), "")
t(object().__format__, 3)
t(object().__format__, None)
t(__import__, "sys", name="sys")
t(__import__, "sys", spam=1)
t(compile, "a\x00b", "f", "exec")

with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    print(bool(NotImplemented), not NotImplemented)
    print([str(x.message) for x in w])

import types


class M(types.ModuleType):
    __dict__ = 8


t(dir, M("m"))
