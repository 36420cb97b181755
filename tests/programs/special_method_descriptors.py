# Special methods that are not plain functions: the protocols bind them through their
# type's __get__ first (staticmethod: no receiver; classmethod: the class; a user
# descriptor: whatever its __get__ returns), as CPython's lookup_maybe_method does.
# sympy's singletons define `__neg__` and `__abs__` as staticmethods.
import operator
import os


class S:
    @staticmethod
    def __neg__():
        return "neg"

    @classmethod
    def __pos__(cls):
        return ("pos", cls.__name__)

    @staticmethod
    def __abs__():
        return "abs"

    @staticmethod
    def __add__(x):
        return ("add", x)

    @staticmethod
    def __radd__(x):
        return ("radd", x)

    @staticmethod
    def __iadd__(x):
        return ("iadd", x)

    @staticmethod
    def __lt__(x):
        return ("lt", x)

    @classmethod
    def __len__(cls):
        return 3

    @staticmethod
    def __getitem__(i):
        return ("item", i)

    @staticmethod
    def __setitem__(k, v):
        print("setitem", k, v)

    @staticmethod
    def __delitem__(k):
        print("delitem", k)

    @staticmethod
    def __repr__():
        return "S-repr"

    @staticmethod
    def __str__():
        return "S-str"

    @staticmethod
    def __call__(x, y=0):
        return ("call", x, y)

    @staticmethod
    def __eq__(o):
        return ("eq", o)

    @staticmethod
    def __hash__():
        return 42

    @staticmethod
    def __iter__():
        return iter([1, 2])

    @staticmethod
    def __contains__(x):
        return x == 5

    @staticmethod
    def __bool__():
        return False

    @staticmethod
    def __index__():
        return 2

    @staticmethod
    def __float__():
        return 1.5

    @staticmethod
    def __enter__():
        return "entered"

    @staticmethod
    def __exit__(*a):
        print("exit", a)

    @classmethod
    def __format__(cls, spec):
        return cls.__name__ + ":" + spec

    @staticmethod
    def __getattr__(name):
        return "attr " + name

    @staticmethod
    def __length_hint__():
        return 9

    @staticmethod
    def __fspath__():
        return "/tmp/x"


s = S()
print(-s, +s, abs(s), s + 1, 1 + s, s < 3, 3 > s)
t = s
t += 4
print(t)
print(len(s), s[7], repr(s), str(s), s(9), s(1, y=2), s == 3, hash(s))
print(list(s), 5 in s, 4 in s, bool(s), not s, [10, 20, 30][s], float(s))
print(f"{s:x}", format(s, ">"), s.missing, operator.length_hint(s), os.fspath(s))
s["k"] = "v"
del s["k"]
with s as e:
    print(e)
for i in range(3):
    print(-s, s + i, s[i], len(s), s == i)


class Desc:
    """A user descriptor used as special methods: __get__ decides what is called."""

    def __init__(self, tag):
        self.tag = tag

    def __get__(self, obj, cls):
        return lambda *a: (self.tag, type(obj).__name__, cls.__name__) + a


class U:
    __neg__ = Desc("neg")
    __add__ = Desc("add")
    __getitem__ = Desc("getitem")
    __len__ = Desc("len")


class V(U):
    pass


u = V()
print(-u, u + 1, u[2])
try:
    len(u)
except TypeError as exc:
    print("TypeError:", exc)


class NotDesc:
    """A callable without __get__: called without the receiver."""

    def __call__(self, *a):
        return ("notdesc", a)


class W:
    __neg__ = NotDesc()
    __getitem__ = NotDesc()


w = W()
print(-w, w[1])


class Bad:
    __neg__ = staticmethod(lambda x: x)


try:
    -Bad()
except TypeError as exc:
    print("TypeError:", exc)
