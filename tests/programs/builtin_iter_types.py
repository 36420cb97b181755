# The builtin iterator types: names, isinstance, subclassing, repr, __reduce__,
# __length_hint__, __setstate__, copy and pickle, and CPython's error messages.
import collections.abc
import copy
import operator
import pickle
import re


def attempt(f):
    try:
        r = f()
    except Exception as e:
        print("  ", type(e).__name__, e)
    else:
        print("  ", r)


class Seq:
    def __getitem__(self, i):
        if i > 2:
            raise IndexError
        return i * 10


class SeqLen(Seq):
    def __len__(self):
        return 3


def countdown(n):
    def f():
        nonlocal n
        n -= 1
        return n
    return f


d = {1: "a", 2: "b", 3: "c"}
makers = [
    ("list", lambda: iter([1, 2, 3])),
    ("tuple", lambda: iter((1, 2, 3))),
    ("range", lambda: iter(range(1, 10, 3))),
    ("reversed range", lambda: reversed(range(4))),
    ("ascii str", lambda: iter("abc")),
    ("str", lambda: iter("aé€")),
    ("bytes", lambda: iter(b"xyz")),
    ("bytearray", lambda: iter(bytearray(b"xyz"))),
    ("set", lambda: iter({7})),
    ("dict", lambda: iter(d)),
    ("dict keys", lambda: iter(d.keys())),
    ("dict values", lambda: iter(d.values())),
    ("dict items", lambda: iter(d.items())),
    ("reversed dict", lambda: reversed(d)),
    ("reversed values", lambda: reversed(d.values())),
    ("reversed items", lambda: reversed(d.items())),
    ("reversed list", lambda: reversed([1, 2, 3])),
    ("reversed tuple", lambda: reversed((1, 2, 3))),
    ("reversed str", lambda: reversed("abc")),
    ("callable", lambda: iter(countdown(3), 0)),
    ("getitem", lambda: iter(Seq())),
    ("getitem len", lambda: iter(SeqLen())),
    ("enumerate", lambda: enumerate("ab", 5)),
    ("zip", lambda: zip([1, 2], "ab")),
    ("zip strict", lambda: zip([1, 2], "ab", strict=True)),
    ("zip empty", lambda: zip()),
    ("map", lambda: map(abs, [-1, -2])),
    ("filter", lambda: filter(None, [0, 1, 2])),
]


def shape(r):
    # Iterators inside a reduce tuple print as their type name (addresses differ).
    if isinstance(r, tuple):
        return tuple(shape(x) for x in r)
    if isinstance(r, collections.abc.Iterator) or " at 0x" in repr(r):
        return "<" + type(r).__name__ + ">"
    return r


for label, make in makers:
    it = make()
    t = type(it)
    print(label, t.__name__, t.__module__, t.__qualname__,
          isinstance(it, collections.abc.Iterator), iter(it) is it)
    print("  repr", repr(it).split(" at ")[0])
    for step in range(3):
        hint = operator.length_hint(it, -1)
        print("  step", step, "hint", hint, "reduce", shape(it.__reduce__()))
        next(it, None)
    rest = list(it)
    print("  rest", rest, "hint", operator.length_hint(it, -1), shape(it.__reduce__()))

print("copy and pickle")
for label, make in makers:
    if label in ("callable", "getitem", "getitem len"):
        continue
    it = make()
    next(it, None)
    c = copy.copy(it)
    p = pickle.loads(pickle.dumps(it))
    print(" ", label, type(c).__name__, type(p).__name__, list(c), list(p), list(it))

print("setstate")
for label, make, states in [
    ("list", lambda: iter([1, 2, 3]), [-5, 1, 9]),
    ("tuple", lambda: iter((1, 2, 3)), [2, 7]),
    ("range", lambda: iter(range(10, 20, 2)), [-1, 3, 99]),
    ("str", lambda: iter("héllo"), [2, 100]),
    ("bytes", lambda: iter(b"hello"), [3, -2]),
    ("reversed list", lambda: reversed([1, 2, 3]), [0, -7, 50]),
    ("reversed tuple", lambda: reversed((1, 2, 3)), [1, 10]),
    ("getitem", lambda: iter(Seq()), [2, -3]),
]:
    for s in states:
        it = make()
        it.__setstate__(s)
        print(" ", label, s, list(it))
attempt(lambda: iter([1]).__setstate__("x"))
attempt(lambda: iter([1]).__setstate__(1.5))
attempt(lambda: reversed([1]).__setstate__(None))
z = zip([1, 2], [3])
z.__setstate__(True)
print("  zip strict", z.__reduce__()[2])
attempt(lambda: list(z))

print("types")
for name in ["map", "filter", "zip", "enumerate", "reversed"]:
    t = __builtins__.__dict__[name] if hasattr(__builtins__, "__dict__") else __builtins__[name]
    print(" ", t, type(t).__name__, isinstance(t, type), t.__module__)
print(" ", isinstance(map(str, []), map), isinstance(zip(), zip), isinstance(iter([]), map))
print(" ", isinstance(enumerate([]), enumerate), isinstance(reversed([]), reversed))
print(" ", isinstance(reversed((1,)), reversed), type(reversed([])) is reversed)
print(" ", issubclass(map, collections.abc.Iterator), issubclass(type(iter([])), collections.abc.Iterable))
print(" ", type(iter(re.compile("a").finditer("aa"))).__name__)
print(" ", type(iter(range(2 ** 70))).__name__)

print("subclasses")


class MyEnum(enumerate):
    pass


class Counted(map):
    def __init__(self, *args):
        self.calls = 0

    def __next__(self):
        self.calls += 1
        return super().__next__() * 10


class Pairs(zip):
    def __new__(cls, *its):
        self = super().__new__(cls, *its, strict=True)
        self.made = len(its)
        return self


class Odd(filter):
    label = "odd"


class Back(reversed):
    def __length_hint__(self):
        return 42


e = MyEnum("xyz", start=1)
print(" ", type(e).__name__, isinstance(e, enumerate), list(e), repr(e).split(" at ")[0])
c = Counted(abs, [-1, -2, -3])
print(" ", list(c), c.calls, isinstance(c, map), c.__reduce__()[0].__name__)
c2 = Counted(abs, [-4])
print(" ", [x for x in c2], c2.calls)
p = Pairs([1, 2], "ab")
print(" ", list(p), p.made, type(p).__name__)
attempt(lambda: list(Pairs([1], "ab")))
o = Odd(lambda x: x % 2, range(7))
o.extra = 5
print(" ", list(o), o.label, o.extra, o.__dict__)
b = Back((1, 2, 3))
print(" ", list(b), operator.length_hint(b), type(b).__name__)
print(" ", type(Back([1, 2])).__name__, list(Back([1, 2])))
m = MyEnum.__new__(MyEnum, "ab")
print(" ", type(m).__name__, list(m))
print(" ", copy.copy(MyEnum("pq", 3)).__class__.__name__)

print("errors")
attempt(lambda: map())
attempt(lambda: map(str))
attempt(lambda: map(str, [], x=1))
attempt(lambda: map(str, 1))
attempt(lambda: filter())
attempt(lambda: filter(None, [], x=1))
attempt(lambda: filter(None, 1))
attempt(lambda: enumerate())
attempt(lambda: enumerate([], "a"))
attempt(lambda: enumerate([], 1, 2))
attempt(lambda: enumerate([], foo=1))
attempt(lambda: list(enumerate(iterable="ab", start=2 ** 64)))
attempt(lambda: zip([], x=1))
attempt(lambda: zip([], strict=1, x=1))
attempt(lambda: zip(1))
attempt(lambda: reversed())
attempt(lambda: reversed([], x=1))
attempt(lambda: reversed(1))
attempt(lambda: reversed({1}))
attempt(lambda: map.__new__(int))
attempt(lambda: map.__new__(1))
for it in [iter([]), iter(()), iter(range(1)), iter(""), iter("é"), iter(b""), iter(bytearray()),
           iter(set()), iter({}), iter({}.values()), iter({}.items()), reversed({}), reversed([]),
           iter(int, 1), iter(Seq()), reversed({}.items()), reversed({}.values())]:
    attempt(lambda: type(it)())


class Bad(map):
    pass


attempt(lambda: type("X", (type(iter([])),), {}))
attempt(lambda: list(zip([1, 2], [3], strict=True)))
attempt(lambda: list(zip([1], [3, 4], [5], strict=True)))
d2 = {1: 2}
it = iter(d2)
d2[3] = 4
attempt(lambda: next(it))
attempt(lambda: it.__reduce__())
print("  hint after change", operator.length_hint(it))
s2 = {1}
it = iter(s2)
s2.add(2)
attempt(lambda: next(it))
