# Specialized instructions meet operands they were not specialized for: every guard
# must fall back to the generic instruction with CPython's result.
import builtins


def arith(xs):
    out = []
    for a, b in xs:
        out.append(a + b)
        try:
            out.append(a - b)
            out.append(a * b)
        except TypeError as e:
            out.append(str(e))
    return out


ints = [(i, i + 1) for i in range(40)]
print(arith(ints)[-3:])
print(arith(ints + [(2 ** 46, 2 ** 46), (2 ** 47, 1), (-2 ** 47, -1)])[-9:])
print(arith([(1.5, 2.25)] * 40 + [(1, 2.5), (True, 2), ("a", "b")])[-9:])
print(arith([("ab", "cd")] * 40 + [([1], [2])])[-3:])


def divs(xs):
    out = []
    for a, b in xs:
        try:
            out.append((a // b, a % b, a / b))
        except ZeroDivisionError as e:
            out.append(str(e))
    return out


print(divs([(7, 2), (-7, 2), (7, -2)] * 20 + [(7, 0), (7.5, 2), (-(2 ** 47), -1)])[-5:])
print(divs([(1.0, 4.0)] * 30 + [(1.0, 0.0), (3, 1.5)])[-3:])


def compare(xs):
    n = 0
    for a, b in xs:
        if a < b:
            n += 1
        if a == b:
            n += 10
    return n


print(compare([(i, 20) for i in range(40)] + [(1.5, 2), ("a", "b"), (float("nan"), 1.0)]))
print(compare([("abc", "abd")] * 30 + [("b", "a"), ((1, 2), (1, 3))]))


class P:
    scale = 2

    def __init__(self, x):
        self.x = x

    def get(self):
        return self.x * self.scale


def total(ps):
    t = 0
    for p in ps:
        t += p.get() + p.x
    return t


ps = [P(i) for i in range(30)]
print(total(ps))
P.scale = 3  # class attribute changes: every cached lookup of P must be re-checked
print(total(ps))
P.get = lambda self: -self.x  # method replaced on the class
print(total(ps))
ps[0].get = lambda: 1000  # instance attribute shadows the method
print(total(ps))


class Q(P):
    @property
    def x(self):
        return 5

    @x.setter
    def x(self, v):
        pass


print(total(ps + [Q(1)]))


class Slotted:
    __slots__ = ("a",)

    def __init__(self, a):
        self.a = a


def slot_sum(objs):
    s = 0
    for o in objs:
        s += o.a
    return s


objs = [Slotted(i) for i in range(30)]
print(slot_sum(objs))
del objs[3].a
try:
    slot_sum(objs)
except AttributeError as e:
    print("AttributeError:", e)


class A1:
    def __init__(self):
        self.v = 1


class A2:
    def __init__(self):
        self.w = 0
        self.v = 2


class A3:
    v = 3


class A4:
    def __getattr__(self, name):
        return 4


class A5:
    def __getattribute__(self, name):
        return 5


def read_v(objs):
    return [o.v for o in objs]


mixed = [A1(), A2(), A3(), A4(), A5()]
print(read_v(mixed * 6))
A3.v = 33
print(read_v(mixed))
a = A1()
a.__class__ = A2
print(read_v([a, A1()]))

G = 10


def use_globals():
    s = 0
    for i in range(30):
        s += G + len("abc") + abs(-i)
    return s


print(use_globals())
G = 20
print(use_globals())
len = lambda s: 100  # a global now shadows the builtin
print(use_globals())
del len
print(use_globals())
builtins.abs = lambda v: 0
print(use_globals())
del builtins.abs
try:
    use_globals()
except NameError as e:
    print("NameError:", e)


def f(a, b):
    return a + b


def call_many(fn, n):
    s = 0
    for i in range(n):
        s += fn(i, 1)
    return s


print(call_many(f, 30))
f.__defaults__ = (5,)
print(call_many(f, 30))


def g(a, b=2):
    return a * b


print(call_many(g, 30))
print(call_many(max, 30))
print(call_many(lambda *a: len(a) if isinstance(len, int) else sum(a), 30))


def iterate(seq):
    out = 0
    for x in seq:
        out += x
    return out


print(iterate(range(40)), iterate(list(range(40))), iterate(tuple(range(40))))
print(iterate({1: 2, 3: 4}), iterate(x for x in range(5)))
grow = [1, 2, 3]
n = 0
for x in grow:
    if len(grow) < 40:
        grow.append(x + 1)
    n += 1
print(n)


def subscripts(cs, k):
    out = []
    for c in cs:
        try:
            out.append(c[k])
        except (IndexError, KeyError, TypeError) as e:
            out.append(type(e).__name__)
    return out


class Weird(list):
    def __getitem__(self, i):
        return "weird"


print(subscripts([[1, 2, 3]] * 30 + [(4, 5, 6), {1: "one"}, {}, "xyz", Weird([1, 2])], 1)[-6:])
print(subscripts([[1, 2, 3]] * 30 + [[1]], -1)[-2:])
print(subscripts([[1, 2, 3]] * 30 + [[1]], 5)[-2:])


def stores(cs):
    for c in cs:
        c[0] = 9
    return cs


print(stores([[1]] * 30 + [{}, [0, 0]])[-3:])
try:
    stores([[1]] * 30 + [[]])
except IndexError as e:
    print("IndexError:", e)


def unpack(items):
    out = []
    for it in items:
        a, b = it
        out.append(b)
    return out


print(unpack([(1, 2)] * 30 + [[3, 4], "xy", {5: 0, 6: 0}])[-3:])
try:
    unpack([(1, 2)] * 30 + [(1, 2, 3)])
except ValueError as e:
    print("ValueError:", e)


class Init:
    bad = False

    def __init__(self, v):
        self.v = v
        if Init.bad:
            return v


made = [Init(i).v for i in range(30)]
print(sum(made))
Init.bad = True
try:
    Init(1)
except TypeError as e:
    print("TypeError:", e)


class WithNew:
    def __new__(cls, v):
        return v * 2


print([WithNew(i) for i in range(3)])


def h(a, b=3, c=4):
    return a + b + c


def call_h(n):
    return [h(i) for i in range(n)] + [h(1, 1) for i in range(n)]


print(sum(call_h(30)))
h.__defaults__ = (10, 20)
print(sum(call_h(30)))
h.__defaults__ = (1,)
try:
    call_h(30)
except TypeError as e:
    print("TypeError:", e)
h.__defaults__ = None
try:
    call_h(30)
except TypeError as e:
    print("TypeError:", e)


def bound_calls(add, n):
    for i in range(n):
        add(i % 7)


items = []
bound_calls(items.append, 40)
s = set()
bound_calls(s.add, 40)
d = {}
bound_calls(d.setdefault, 40)
print(len(items), sorted(s), sorted(d))
