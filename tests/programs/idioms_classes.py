# stitch: cyclic (builds self-referencing list and dict)
class Base:
    registry = []
    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        Base.registry.append(cls.__name__)
    @classmethod
    def create(cls):
        return cls()
    def __repr__(self):
        return f"<{self.__class__.__name__}>"
class A(Base):
    count = 0
    def __init__(self):
        self.__class__.count += 1
class B(A):
    @classmethod
    def create(cls):
        obj = super().create()
        obj.tag = "b"
        return obj
print(Base.registry, A.create(), B.create().tag, A.count, B.count)
class Money:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        if not isinstance(o, Money):
            return NotImplemented
        return self.v == o.v
    def __hash__(self):
        return hash(self.v)
    def __lt__(self, o):
        return self.v < o.v
    def __add__(self, o):
        return Money(self.v + (o.v if isinstance(o, Money) else o))
    __radd__ = __add__
    def __repr__(self):
        return f"${self.v}"
print(Money(1) == Money(1), Money(1) == 1, Money(2) != Money(3), sum([Money(1), Money(2)]), sorted([Money(3), Money(1)]), max(Money(5), Money(2)))
l = [1]
l.append(l)
print(l, repr(l))
d = {}
d["self"] = d
print(d)
def gen_with_finally():
    try:
        yield 1
        return
    finally:
        print("gen finally")
print(list(gen_with_finally()))
def order():
    try:
        print("try")
    except Exception:
        print("except")
    else:
        print("else")
        return "from else"
    finally:
        print("finally")
print(order())
items = [1, 2, 3, 4]
for x in items:
    if x == 2:
        items.remove(x)
print(items, "ab" * -1, [0] * -2, "x" * 0)
def outer():
    results = []
    def add(v):
        results.append(v)
    for i in range(3):
        add(i * i)
    total = 0
    def bump():
        nonlocal total
        for j in range(3):
            total += j
    bump()
    return results, total
print(outer())
try:
    try:
        raise KeyError("inner")
    except KeyError as e:
        raise ValueError("outer") from None
except ValueError as e:
    print(repr(e), e.__cause__, e.__suppress_context__, e.__context__ is not None)
class Shape:
    @property
    def area(self):
        return 0
class Sq(Shape):
    def __init__(self, s):
        self.s = s
    @property
    def area(self):
        return self.s * self.s
print(Sq(3).area, Shape().area, isinstance(Sq, type), type(Sq(1)).__mro__[1].__name__)
e = Exception("a", 1, [2])
print(e.args, str(e), repr(e), str(Exception()), repr(KeyError("k")), str(KeyError("k")))
x = 5
def f():
    return [x * i for i in range(3)]
print(f(), [[j for j in range(i)] for i in range(3)])
print(int("-0"), -0, 0 == -0, 1 if [] else 2, not None, None or "default", 0 or [] or "last")
print(str(1/3)[:6], 10**-1, 1e-1 == 0.1, 0.1 * 3, 2**0.5, abs(-7) // 2, -7 // 2, 7 // -2.0)
