# match statement: literal, capture, wildcard, value, sequence, mapping,
# class, or, as, guard patterns.
from dataclasses import dataclass

class Color:
    RED = 1
    GREEN = 2

@dataclass
class Point:
    x: int
    y: int

class P3:
    __match_args__ = ("a", "b", "c")
    def __init__(self, a, b, c):
        self.a, self.b, self.c = a, b, c

def describe(v):
    match v:
        case None:
            return "none"
        case True:
            return "true"
        case 0 | 1:
            return "small int"
        case Color.RED:
            return "never (1 matched above)"
        case "hello":
            return "greeting"
        case -5:
            return "minus five"
        case 2.5 | 1+2j:
            return "special number"
        case []:
            return "empty list"
        case [x]:
            return f"one: {x}"
        case [1, 2, *rest]:
            return f"starts 1,2 rest={rest}"
        case [first, *_, last] if first == last:
            return f"bookends {first}"
        case (a, b):
            return f"pair {a} {b}"
        case {"type": "circle", "r": r}:
            return f"circle r={r}"
        case {"type": t, **others}:
            return f"shape {t} others={sorted(others.items())}"
        case Point(x=0, y=0):
            return "origin"
        case Point(x=0, y=yy):
            return f"on y axis {yy}"
        case Point(xx, yy) if xx == yy:
            return f"diagonal {xx}"
        case Point() as p:
            return f"point {p.x},{p.y}"
        case P3(1, b, c=cc):
            return f"P3 b={b} c={cc}"
        case int(n) if n > 100:
            return f"big {n}"
        case str() as s:
            return f"string {s!r}"
        case int() | float():
            return "number"
        case _:
            return f"other {type(v).__name__}"

for v in [None, True, 0, 1, "hello", -5, 2.5, 1+2j, [], [9], [1, 2, 3, 4],
          [7, 8, 7], (3, 4), [3, 4, 5], {"type": "circle", "r": 2},
          {"type": "sq", "side": 3, "z": 1}, {"r": 1}, Point(0, 0), Point(0, 5),
          Point(3, 3), Point(1, 2), P3(1, 2, 3), P3(2, 2, 3), 500, 50, "abc",
          3.5, b"xy", "ab"[0:0], range(3), {1, 2}]:
    print(describe(v))

# strings/bytes are not sequences for match
match "ab":
    case [a, b]:
        print("seq", a, b)
    case _:
        print("str is not a sequence")

# nested + capture binding visible after match
match {"pts": [Point(1, 2), Point(3, 4)]}:
    case {"pts": [Point(x=x1), Point(y=y2) as last]}:
        print(x1, y2, last)
print(x1)

# failed match leaves no partial binding requirement; or-patterns with captures
def f(cmd):
    match cmd.split():
        case ["go", ("north" | "south") as d]:
            return "going " + d
        case ["drop", *objs] if objs:
            return "dropping " + ",".join(objs)
        case ["quit" | "exit"]:
            return "bye"
        case [("a" | "b") as first, *_]:
            return "ab-start " + first
        case _:
            return "?"
for c in ["go north", "go west", "drop x y", "drop", "quit", "exit", "b 1 2", ""]:
    print(f(c))

# mapping with non-dict mapping and duplicates of key lookups
from collections import OrderedDict, defaultdict
match OrderedDict(a=1, b=2):
    case {"a": 1, **kw}:
        print("od", kw)
dd = defaultdict(int)
match dd:
    case {"missing": _}:
        print("should not match")
    case _:
        print("defaultdict not auto-filled", dict(dd))

# class patterns for builtins with self-matching
for v in [3, "s", 2.0, [1], (1,), {"a": 1}, True]:
    match v:
        case bool(b):
            print("bool", b)
        case int(i):
            print("int", i)
        case str(s):
            print("str", s)
        case float(x):
            print("float", x)
        case list([y]):
            print("list of", y)
        case tuple((z,)):
            print("tuple of", z)
        case dict():
            print("dict")

# errors
class NoArgs:
    pass
try:
    match NoArgs():
        case NoArgs(1):
            pass
except TypeError as e:
    print("TypeError:", e)
try:
    match 5:
        case int(1, 2):
            pass
except TypeError as e:
    print("TypeError:", e)
try:
    match 5:
        case len():
            pass
except TypeError as e:
    print("TypeError:", e)
