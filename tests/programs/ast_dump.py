# stitch: cyclic (ast.dump and ast.fix_missing_locations recurse through nested closures)
# ast.parse + ast.dump (with positions) over many constructs, including non-ASCII
# text (columns are UTF-8 byte offsets), f-strings, decorators, elif chains.
import ast

SOURCES = [
    "import os, sys as s\nfrom .. import x as y\nfrom a.b import *\n",
    "@dec\n@dec2(1)\nasync def f(a, /, b: int = 1, *args, c, d=2, **kw) -> None:\n"
    "    '''doc'''\n    global g\n    x = yield\n    await z\n"
    "    async for i in y: pass\n    async with a as b, c: ...\n",
    "class C(B, metaclass=M):\n    def m(self): return lambda x, *, y=1: x + y\n",
    "if a: pass\nelif b: x = 1\nelif c: x = 2\nelse: x = 3\n",
    "try:\n    pass\nexcept E as e:\n    raise X from e\nexcept: pass\nelse: pass\n"
    "finally: del x, y[0], z.a\n",
    "while 1:\n    break\nelse:\n    continue\nfor i, j in z: i += 1; j: int = 2\n",
    "match p:\n    case [1, *rest]: pass\n    case {'k': v, **kw}: pass\n"
    "    case Point(x=0, y=_) | None: pass\n    case -1 | 1+2j | True | 's': pass\n"
    "    case str() as s if s: pass\n",
    "x = [1, 2.5, 3j, 'é', b'b', ..., None, True, 0x10, 10**100, 123456789012345678901234567890]\n",
    "y = {a: b, **c}, {1, 2}, (a for a in b if a), [a async for a in b], {k: v for k, v in d}\n",
    "z = a if b else c, not a, -b, ~c, +d, a and b or c, a < b <= c != d is e is not f in g not in h\n",
    "w = f(*a, b, k=1, **kw)(g for g in h)[1:2, ::3, 4](x := 5)\n",
    "s = 'a' 'b', u'x', f'{x!r:>{w}}', rb'raw', f'{x=}', f''\n",
    "t = a @ b // c % d ** e << f >> g | h ^ i & j - k / l\n",
    "é = 'ü'; ü = é + 'x'  # é\nπ = f'{é}ü{ü!a}'\n",
    "f(x for x in y)\nf((x for x in y))\n",
    "x = '''a\nb''' \\\n  'c'\ny = (1,\n 2)\n",
    "with (a as b,\n      c as d):\n    pass\n",
    "try:\n    pass\nexcept* E:\n    pass\n",
    "x[a:b, c]\nx[()]\nx[...]\nx[1,]\na = b = c\n(a, b), [c, *d] = e\n",
    "class A:\n    x: int\n    (y): int = 3\n    z.w: str\n",
    "'''doc'''\nimport a.b.c as d\nnonlocal x\nreturn\n",
]

for src in SOURCES:
    print(ast.dump(ast.parse(src), include_attributes=True))
    print()

print(ast.dump(ast.parse("x + 1", mode="eval"), indent=2))
print(ast.dump(ast.parse("x = 1", mode="single")))
print(ast.dump(ast.parse("(int, str) -> list", mode="func_type")))
print(ast.dump(ast.parse("x", filename="<f>", type_comments=True)))

# Shared context singletons and the node classes themselves.
a = ast.parse("x")
b = ast.parse("y")
print(a.body[0].value.ctx is b.body[0].value.ctx)
print(ast.Name._fields, ast.Name.__match_args__, ast.expr._attributes)
print(ast.arguments._fields, ast.arguments.vararg, ast.Constant.kind, ast.expr.end_lineno)
print(ast.Module.__doc__)
print(ast.cmpop.__doc__)
print(ast.stmt.__doc__.splitlines()[:3])
print(ast.Load.__mro__)
print(issubclass(ast.BinOp, ast.expr), isinstance(ast.Add(), ast.operator))

# Syntax errors come out as SyntaxError.
for bad in ["x = (", "def f(:\n", "1 +", "x = 'abc"]:
    try:
        ast.parse(bad)
    except SyntaxError as e:
        print(type(e).__name__, e.msg, e.lineno)
