# SyntaxErrors the compiler (not the parser) raises: match patterns, duplicate
# parameters and keywords, global/nonlocal ordering. Checked through compile().
cases = [
    "match 1:\n    case a | b: pass",
    "match 1:\n    case [*a, *b]: pass",
    "match 1:\n    case x:\n        pass\n    case 2: pass",
    "match 1:\n    case _:\n        pass\n    case 2: pass",
    "match 1:\n    case {1: a, 1: b}: pass",
    "match 1:\n    case {'k': a, 'k': b}: pass",
    "match 1:\n    case C(a=1, a=2): pass",
    "match 1:\n    case (a, a): pass",
    "match 1:\n    case 1 | x: pass",
    "match 1:\n    case [a, {'x': a}]: pass",
    "match 1:\n    case (1 | _) | 3: pass\n    case 4: pass",
    "match 1:\n    case x if x: pass\n    case 3: pass",
    "def f(a, a): pass",
    "def f(a, *, b, **a): pass",
    "lambda a, a: 1",
    "f(a=1, a=2)",
    "f(a=1, **k, a=2)",
    "class A(x=1, x=2): pass",
    "def f():\n    x = 1\n    global x",
    "def f(x):\n    global x",
    "def g():\n    x = 1\n    def f():\n        print(x)\n        nonlocal x",
]
for src in cases:
    try:
        compile(src, "<case>", "exec")
        print("compiled:", repr(src))
    except SyntaxError as e:
        print(f"{e.lineno}:{e.offset}-{e.end_offset} {e.msg}")

# Run-time errors of class patterns.
class A:
    __match_args__ = ("x",)
    x = 1

class B:
    __match_args__ = ["x"]

class C:
    __match_args__ = ("x", 2)
    x = 1

for subject, label in [(A(), "A"), (B(), "B"), (C(), "C")]:
    try:
        match subject:
            case A(y, x=z):
                print("matched A")
            case B(y):
                print("matched B")
            case C(p, q):
                print("matched C")
    except TypeError as e:
        print(label, "TypeError:", e)

class I(int):
    pass

class J(int):
    __match_args__ = ("real",)

for v in [I(5), J(6)]:
    match v:
        case I(n):
            print("I", n, type(n).__name__)
        case J(n):
            print("J", n, type(n).__name__)
