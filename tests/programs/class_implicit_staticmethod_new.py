import copy, pickle
class C:
    def __new__(cls, *a):
        print("C.__new__", cls.__name__, a)
        return super().__new__(cls)
    def __init__(self, *a):
        self.a = a
    def __init_subclass__(cls, **kw):
        print("init_subclass", cls.__name__, kw)
    def __class_getitem__(cls, item):
        return (cls.__name__, item)
print(type(vars(C)['__new__']).__name__)
print(type(C.__new__).__name__)
print(type(vars(C)['__init_subclass__']).__name__)
print(C[int])
c = C(1, 2)
print(c.a)
x = C.__new__(C)
print(type(x).__name__, hasattr(x, 'a'))
class D(C, flag=1):
    def __new__(cls, *a):
        print("D.__new__")
        return super().__new__(cls, *a)
d = D(3)
print(type(d).__name__, d.a)
print(type(D.__new__).__name__, D.__new__ is vars(D)['__new__'].__func__)
y = copy.copy(d)
print(type(y).__name__, y.a)
r = c.__reduce_ex__(2); z = r[0](*r[1]); z.__dict__.update(r[2])
print(type(z).__name__, z.a)
class T(tuple):
    def __new__(cls, x):
        return super().__new__(cls, (x, x))
print(T(5))
class S(str):
    def __new__(cls, v):
        return str.__new__(cls, v.upper())
print(S("abc"), type(S("a")).__name__)
class Meta(type):
    def __new__(mcls, name, bases, ns):
        print("Meta.__new__", name)
        return super().__new__(mcls, name, bases, ns)
class M(metaclass=Meta):
    pass
print(type(vars(Meta)['__new__']).__name__)
M2 = Meta("M2", (), {})
N = type("N", (), {"__new__": lambda cls: object.__new__(cls)})
print(type(vars(N)['__new__']).__name__, type(N()).__name__)
class Sm:
    @staticmethod
    def __new__(cls):
        return object.__new__(cls)
print(type(vars(Sm)['__new__']).__name__, type(Sm()).__name__)
import enum
class Color(enum.Enum):
    RED = 1
    GREEN = 2
print(Color(1), Color.GREEN)
from collections import namedtuple
P = namedtuple('P', 'x y')
print(P(1, 2), type(vars(P)['__new__']).__name__)
for n in range(3):
    c = C()
class Err:
    def __new__(cls):
        return 42
print(Err())
try:
    C.__new__()
except TypeError as e:
    print(e)
