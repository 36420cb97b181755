"""Future statements and annotation blocks: CPython's compile-time errors."""

cases = [
    "from __future__ import braces",
    "from __future__ import spam",
    "from __future__ import *",
    "from __future__ import annotations, eggs",
    "x = 1\nfrom __future__ import annotations",
    "x = 1; from __future__ import annotations",
    '"doc"\nfrom __future__ import division; import os; from __future__ import annotations',
    "from __future__ import division; x = 1\nfrom __future__ import annotations",
    "import os\nfrom __future__ import division",
    "def f():\n    from __future__ import annotations",
    "if 1:\n    from __future__ import annotations",
    "from __future__ import annotations\nx = 1\nfrom __future__ import annotations",
    "from __future__ import annotations\ndef f(x: (yield)): pass",
    "from __future__ import annotations\ndef f(x: (yield from y)): pass",
    "from __future__ import annotations\ndef f() -> (y := 1): pass",
    "from __future__ import annotations\nasync def g():\n    def f(x: await y): pass",
    "from __future__ import annotations\nx: (yield) = 1",
    "from __future__ import annotations\nclass C:\n    x: (y := 2)",
    "def f():\n    global x\n    x: int",
    "def f():\n    x = 1\n    def g():\n        nonlocal x\n        x: int = 2",
    "from __future__ import annotations\nobject.__debug__: int",
    "x.__debug__: int = 1",
    "__debug__: int",
]
for src in cases:
    try:
        compile(src, "<case>", "exec")
    except SyntaxError as e:
        print(repr(src), "->", e.msg, e.lineno, e.offset)
    else:
        print(repr(src), "-> compiles")

ok = [
    '"doc"\nfrom __future__ import nested_scopes, generators, division\n'
    "from __future__ import absolute_import, with_statement, print_function\n"
    "from __future__ import (unicode_literals, generator_stop,\n    annotations as ann)\n"
    "x = (nested_scopes, ann)",
    "from __future__ import annotations\nfrom __future__ import division",
    "from __future__ import annotations\ndef f(x: [(y := 1) for i in j]): pass",
    "from __future__ import annotations\ndef f(x: lambda: (yield)): pass",
]
for src in ok:
    ns = {}
    exec(compile(src, "<ok>", "exec", dont_inherit=True), ns)
    print("ok", sorted(k for k in ns if not k.startswith("__")))
print(ns["f"].__annotations__)

# Without the future, annotations are values (and names in them are looked up).
def g(x: int, *a: str, **k: list[int]) -> None:
    pass


print(g.__annotations__)
try:
    def h(x: Undefined):
        pass
except NameError as e:
    print(e)


def outer():
    T = int

    def inner(x: T):
        return x

    return inner


print(outer().__annotations__, outer.__code__.co_cellvars)


try:
    class P:
        __x: int = 1
        y.z: str if False else 0
except NameError as e:
    print(e)


class Q:
    __x: int = 1
    (y): print("evaluated")
    d = {}
    d["k"]: print("evaluated too")
    d[print("index"):2]: int


print(Q.__annotations__, Q.d)
