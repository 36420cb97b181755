"""PEP 563: with `from __future__ import annotations`, annotations are strings (the
text CPython's unparser makes), names in them are never looked up where they are
written, and typing.get_type_hints / dataclasses resolve them later."""
from __future__ import annotations

import dataclasses
import sys
import typing
from typing import ClassVar, get_type_hints


def show(f):
    for k, v in f.__annotations__.items():
        print(f"  {k}: {v!r}")


# Forward references: Tree is not defined while its methods are.
class Tree:
    def __init__(self, left: Tree | None, right: Tree | None, value: int = 0) -> None:
        self.left = left
        self.right = right
        self.value = value

    def walk(self) -> typing.Iterator[Tree]:
        yield self


print("Tree.__init__")
show(Tree.__init__)
print(get_type_hints(Tree.__init__))
print(get_type_hints(Tree.walk))


# Precedence and parentheses.
def prec(
    a: a if b else c,
    b: (a if b else c) if d else e,
    c: (a, b),
    d: (a,),
    e: (),
    f: -(1 ** 2),
    g: (-1) ** 2,
    h: 2 ** -1,
    i: (2 ** 3) ** 4,
    j: 2 ** 3 ** 4,
    k: not a or b,
    l: not (a or b),
    m: (not a) and b,
    n: a and (b or c),
    o: a or b and c,
    p: (a + b) * c,
    q: a + b * c,
    r: a - (b - c),
    s: (a - b) - c,
    t: a | b & c ^ d << e,
    u: (a | b) & c,
    v: ~a,
    w: -a.b,
    x: (-a).b,
    y: a < b < c,
    z: (a < b) < c,
    aa: a is not b,
    ab: a not in b,
    ac: a @ b // c % d / e,
    ad: +a,
    ae: (a if b else c).d,
    af: (lambda: 1)(),
    ag: a[b](c).d,
):
    pass


print("prec")
show(prec)


# Subscripts, slices, starred.
def subs(
    a: a[1:2, ::3],
    b: a[:],
    c: a[::],
    d: a[1:],
    e: a[:2],
    f: a[x:y:z],
    g: a[()],
    h: a[(1,)],
    i: a[1, 2],
    j: a[(1, 2)],
    k: a[*b],
    l: dict[str, list[int]],
    m: a[b:c, d],
    *args: *Ts,
    **kw: a[...],
):
    pass


print("subs")
show(subs)


# Lambdas, comprehensions, calls, displays.
def forms(
    a: lambda x: x,
    b: lambda: 1,
    c: lambda *a: 0,
    d: lambda x, /, y=2, *, z, **k: x,
    e: lambda x=1, *a, y=2: (x, y),
    f: [x for x in y if x if not x],
    g: {x: y for x, y in z},
    h: {x for x in y},
    i: (x for x in y),
    j: f(x for x in y),
    k: f((x for x in y), 1),
    l: f(a, *b, c=1, **d),
    m: f(*a, b=2, *c),
    n: [1, 2, *a],
    o: {1: 2, **a, 3: 4},
    p: {1, 2, 3},
    q: [],
    r: {},
    s: [x async for x in y],
    t: [(a, b) for a, b in c for d in (e, f)],
    u: {**a},
    v: f(),
    w: a.b.c,
    x: 1 .real,
    y: 1.5 .real,
    z: True.real,
):
    pass


print("forms")
show(forms)


# Constants: strings and bytes through repr, numbers, infinities.
def consts(
    a: "int",
    b: 'it\'s',
    c: "say \"hi\"",
    d: 'both \' and "',
    e: "tab\tnew\nline\\",
    f: "concat" "enated",
    g: u"unicode",
    h: b"bytes",
    i: b"\x00\xff'",
    j: 1e309,
    k: -1e400,
    l: 1e400j,
    m: 1e16,
    n: 1e-7,
    o: 0.1,
    p: 3j,
    q: 1.5 + 2j,
    r: 0x10,
    s: 1_000_000,
    t: 123456789012345678901234567890,
    u: 0o17 + 0b101,
    v: None,
    w: ...,
    x: False,
    y: "\u00e9\u4e2d",
    z: "\x7f\x01",
    za: "\udc80" "x",
):
    pass


print("consts")
show(consts)


# f-strings.
def fstrings(
    a: f"{x}",
    b: f"{x!r}",
    c: f"{x!s:>10}",
    d: f"{x:{w}.{p}}",
    e: f"{'a'}",
    f: f'{"a"}',
    g: f"{{literal}}",
    h: f"{x=}",
    i: f"{x = }",
    j: f"{x=:>4}",
    k: f"{x=!s}",
    l: f"a" "b" f"{c}",
    m: f"{ {1: 2}[1] }",
    n: f"{x:%H:%M}",
    o: f"{x!a}",
    p: f"{(lambda: 1)()}",
    q: f"",
    r: f"{a if b else c}",
    s: f"{a, b}",
    t: f"{x:{'>'}{10}}",
    u: f"it's {x}",
    v: f"{3.14:.1f}",
):
    pass


print("fstrings")
show(fstrings)


# Await and yield can only be written inside parentheses in these positions.
async def coro(a: x, *, b: y = 1) -> list[int]:
    return []


print("coro")
show(coro)


# Class and module annotations.
class C:
    x: int
    y: C = None
    __private: list[C]
    z: ClassVar[int] = 3
    (paren): int
    w: "int"


print("C", C.__annotations__)
print("C hints", get_type_hints(C))

mod_a: Undefined[int]
mod_b: int = 5
print("module", __annotations__)


# Names used only in annotations make no cells or free variables.
def outer():
    T = int

    def inner(x: T) -> T:
        return x

    class K:
        attr: T

    return inner, K


inner, K = outer()
print("cells", outer.__code__.co_cellvars, inner.__code__.co_freevars)
print("inner", inner.__annotations__, K.__annotations__)

# Local annotations are never evaluated.
def local():
    v: Missing = 1
    w: AlsoMissing
    return v


print("local", local())

# co_flags carry CO_FUTURE_ANNOTATIONS.
print("flags", hex(prec.__code__.co_flags), hex(sys._getframe().f_code.co_flags))


# Dataclasses with string annotations (ClassVar / InitVar are recognised as text).
@dataclasses.dataclass
class Point:
    x: int
    y: int = 0
    tags: list[str] = dataclasses.field(default_factory=list)
    count: ClassVar[int] = 0
    scale: dataclasses.InitVar[float] = 1.0

    def __post_init__(self, scale: float) -> None:
        self.x = int(self.x * scale)


p = Point(2, 3, scale=2.0)
print(p, Point.count)
print([f.name for f in dataclasses.fields(Point)])
print(Point.__init__.__annotations__)


@dataclasses.dataclass(frozen=True)
class Node:
    value: int
    children: tuple[Node, ...] = ()


print(Node(1, (Node(2),)))
print(get_type_hints(Node))

# compile(): the flag turns the future on; dont_inherit drops what the caller has.
src = "def f(x: Undefined) -> int: pass"
ns = {}
exec(compile(src, "<s>", "exec"), ns)
print("inherited", ns["f"].__annotations__)
ns = {}
try:
    exec(compile(src, "<s>", "exec", dont_inherit=True), ns)
except NameError as e:
    print("dont_inherit", e)
import __future__

ns = {}
code = compile(src, "<s>", "exec", __future__.annotations.compiler_flag, dont_inherit=True)
exec(code, ns)
print("flag", ns["f"].__annotations__, hex(code.co_flags))
code = compile("x = 1", "<s>", "exec", __future__.division.compiler_flag, dont_inherit=True)
print("division", hex(code.co_flags))
ns = {}
exec(src, ns)
print("exec inherits", ns["f"].__annotations__)
print(eval("(lambda: 1).__code__.co_flags") & 0x1000000 != 0)

# The future's own module binds the feature.
print(annotations)
