# stitch: cyclic (ast.dump and ast.fix_missing_locations recurse through nested closures)
# compile() of node trees: parsed trees round-trip, trees built by hand, transformed
# trees, CPython's messages for malformed trees; literal_eval, unparse, helpers.
import ast

SRC = '''
import math
def f(a, /, b=2, *args, c, d=4, **kw):
    """doc"""
    total = a + b + sum(args) + c + d + len(kw)
    return total
class C:
    x: int = 3
    def m(self, y):
        return [i * y for i in range(self.x) if i != 1]
print(f(1, c=3), f(1, 2, 3, 4, c=5, z=6), C().m(10), f.__doc__)
print({k: v for k, v in zip("ab", (1, 2))}, {s for s in "aab"} == {"a", "b"}, list(x*2 for x in (1, 2)))
x = 5
print(f"{x!r:>5}|{x=}|{'s'}|{x:{x}d}|{x!a}")
try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", e)
finally:
    print("fin")
match (1, [2, 3]):
    case (1, [a, *rest]) if a == 2:
        print("matched", a, rest)
    case _:
        print("no")
g = (lambda *a, k=1: (a, k))
print(g(1, 2, k=3), -5, 2**100, -2**70, 1.5e3, 3j, b"xy", ..., None, not True)
a, *b = [1, 2, 3]
print(a, b, x if x > 3 else 0, [1, 2, 3][1:], type((lambda: (yield))()).__name__)
del a
n = 0
while n < 3:
    n += 1
else:
    print("while done", n)
for i in range(3):
    if i == 1: print("one")
    elif i == 0: print("zero")
    else: print("other")
print((y := 10), y)
def gen():
    yield from range(2)
print(list(gen()), math.floor(2.5))
def outer():
    v = 1
    def inner():
        nonlocal v
        v += 1
        return v
    return inner
print(outer()())
'''

tree = ast.parse(SRC)
exec(compile(tree, "<ast>", "exec"), {"__name__": "m"})
print(ast.unparse(tree))
# Unparsed source parses back to the same tree.
print(ast.dump(ast.parse(ast.unparse(tree))) == ast.dump(tree))

print(eval(compile(ast.parse("1 + 2 * 3", mode="eval"), "<e>", "eval")))
print(compile(ast.parse("x"), "<s>", "exec", ast.PyCF_ONLY_AST) is not None)

# Line numbers survive into tracebacks' frames.
code = compile(ast.parse("a = 1\n\n\ndef f():\n    pass\n"), "<lines>", "exec")
ns = {}
exec(code, ns)
print("line", ns["f"].__code__.co_firstlineno)

# literal_eval
print(ast.literal_eval("[1, (2, 3), {'a': -4.5, 'b': {1, 2}}, b'x', None, True, 1+2j]"))
print(ast.literal_eval(" -1 "), ast.literal_eval("set()"), ast.literal_eval(ast.parse("(1,)", mode="eval")))
for bad in ["f(1)", "a + b", "[x]"]:
    try:
        ast.literal_eval(bad)
    except ValueError as err:
        print("ValueError", str(err).split(":")[0])


class Double(ast.NodeTransformer):
    def visit_Constant(self, node):
        if isinstance(node.value, int):
            return ast.copy_location(ast.Constant(node.value * 2), node)
        return node


t = Double().visit(ast.parse("print(1 + 2, 'x')"))
exec(compile(ast.fix_missing_locations(t), "<t>", "exec"))
print(ast.dump(t))


class Names(ast.NodeVisitor):
    def __init__(self):
        self.names = []

    def visit_Name(self, node):
        self.names.append(node.id)
        self.generic_visit(node)


v = Names()
v.visit(ast.parse("a = b + c(d, e=f)"))
print(v.names)

# A tree built by hand.
m = ast.Module(
    body=[
        ast.Assign(targets=[ast.Name("n", ast.Store())], value=ast.Constant(6)),
        ast.FunctionDef(
            name="sq",
            args=ast.arguments(posonlyargs=[], args=[ast.arg("v")], vararg=None,
                               kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
            body=[ast.Return(ast.BinOp(ast.Name("v", ast.Load()), ast.Mult(), ast.Name("v", ast.Load())))],
            decorator_list=[],
        ),
        ast.Expr(ast.Call(ast.Name("print", ast.Load()),
                          [ast.Constant("built"), ast.Call(ast.Name("sq", ast.Load()), [ast.Name("n", ast.Load())], []),
                           ast.Constant(-3), ast.Constant((1, "a")), ast.JoinedStr([ast.Constant("j"), ast.FormattedValue(ast.Name("n", ast.Load()), 114, None)])],
                          [])),
    ],
    type_ignores=[],
)
ns = {}
exec(compile(ast.fix_missing_locations(m), "<m>", "exec"), ns)
print(ns["sq"](3), ast.unparse(m).splitlines()[-1])

print([type(n).__name__ for n in ast.walk(ast.parse("a = b + 1"))])
tr = ast.parse("x = 1\ny = 2")
ast.increment_lineno(tr, 3)
print([s.lineno for s in tr.body], tr.body[1].end_lineno)
print(ast.get_source_segment("a = foo(1, 2)", ast.parse("a = foo(1, 2)").body[0].value))
print([(k, type(v).__name__) for k, v in ast.iter_fields(ast.Name("q", ast.Load()))])

# Node constructors.
n = ast.Name("x", ast.Load(), lineno=3)
print(n.id, n.lineno, list(vars(n)))
print(ast.Constant(1).kind, ast.Name().__dict__)
for make in [lambda: ast.Name("x", ast.Load(), 3), lambda: ast.Name("x", id="y"), lambda: ast.Load(1)]:
    try:
        make()
    except TypeError as e:
        print("TypeError", e)
print(ast.Name("x").__reduce__()[1:])
import copy
c = copy.deepcopy(ast.parse("f(a, b=1)"))
print(ast.dump(c))


def check(tree, mode="exec"):
    try:
        compile(tree, "<t>", mode)
        print("ok")
    except (TypeError, ValueError) as e:
        print(type(e).__name__, str(e).split(" at 0x")[0])


L = dict(lineno=1, col_offset=0)
check(ast.Module(body=[]))
check(ast.Module(body=[], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.Name("x", ast.Load()))], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.Name("x", ast.Load()), **L)], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.Name("x", ast.Store(), **L), **L)], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.Name(1, ast.Load(), **L), **L)], type_ignores=[]))
check(ast.Module(body=ast.Pass(), type_ignores=[]))
check(ast.Module(body=[ast.Name("x", ast.Load(), **L)], type_ignores=[]))
check(ast.Expression(body=ast.Constant([1], **L)), "eval")
check(ast.Expression(body=ast.Constant(1, **L)), "exec")
check(ast.Module(body=[], type_ignores=[]), "eval")
check(ast.Module(body=[ast.FunctionDef("f", ast.arguments([], [], None, [], [], None, []), [], [], **L)], type_ignores=[]))
check(ast.Module(body=[ast.If(ast.Constant(1, **L), [], [], **L)], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.Constant(1, lineno="x", col_offset=0), **L)], type_ignores=[]))
check(ast.Module(body=[ast.Assign([ast.Name("x", ast.Load(), **L)], ast.Constant(1, **L), **L)], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.BinOp(ast.Constant(1, **L), ast.Add, ast.Constant(1, **L), **L), **L)], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.Compare(ast.Constant(1, **L), [], [], **L), **L)], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.Name("None", ast.Load(), **L), **L)], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.BoolOp(ast.And(), [ast.Constant(1, **L)], **L), **L)], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.Dict([None], [], **L), **L)], type_ignores=[]))
check(ast.Module(body=[ast.Try([ast.Pass(**L)], [], [], [], **L)], type_ignores=[]))
check(ast.Module(body=[ast.Expr(ast.Constant(1, **L), **L)], type_ignores=[]))
check(5)
try:
    compile("x", "<s>", "bogus")
except ValueError as e:
    print(e)
try:
    compile("x", "<s>", "exec", 0x4)
except ValueError as e:
    print(e)
print(eval(compile(b"40 + 2", "<b>", "eval")))
