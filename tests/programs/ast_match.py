# stitch: cyclic (ast.dump and ast.fix_missing_locations recurse through nested closures)
# Node classes with match statements (__match_args__), subclasses of node classes,
# NodeTransformer rewriting a function before compiling it, and the PyCF_* flags.
import ast


def describe(node):
    match node:
        case ast.BinOp(ast.Constant(a), ast.Add(), ast.Constant(b)):
            return f"sum of constants {a} + {b}"
        case ast.BinOp(left, op, right):
            return f"binop {type(op).__name__}"
        case ast.Call(func=ast.Name(id=name), args=args):
            return f"call {name} with {len(args)} args"
        case ast.Constant(value=str() as s):
            return f"string {s!r}"
        case ast.Name(id, ast.Store()):
            return f"store {id}"
        case _:
            return type(node).__name__


for src in ["1 + 2", "a * b", "f(x, y)", "'hi'", "x", "[]"]:
    print(describe(ast.parse(src, mode="eval").body))
print(describe(ast.parse("z = 1").body[0].targets[0]))


class Tagged(ast.Name):
    _fields = ("id", "ctx", "tag")


t = Tagged("v", ast.Load(), "extra")
print(t.id, t.tag, isinstance(t, ast.expr), Tagged.__mro__[1].__name__)
expr = ast.Expression(body=ast.BinOp(t, ast.Add(), ast.Constant(1)))
print(eval(compile(ast.fix_missing_locations(expr), "<tagged>", "eval"), {"v": 41}))


class Tracer(ast.NodeTransformer):
    """Prepends a print of each function's name to its body."""

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        call = ast.Expr(ast.Call(ast.Name("print", ast.Load()),
                                 [ast.Constant("enter " + node.name)], []))
        node.body.insert(0, call)
        return node


src = """
def add(a, b):
    return a + b

def twice(f, x):
    return f(f(x, x), x)

print(twice(add, 3))
"""
tree = ast.fix_missing_locations(Tracer().visit(ast.parse(src)))
exec(compile(tree, "<traced>", "exec"), {})
print(ast.unparse(tree))

print(ast.PyCF_ONLY_AST, ast.PyCF_TYPE_COMMENTS, ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
print(type(compile("x = 1", "<s>", "exec", ast.PyCF_ONLY_AST)).__name__)
print(type(compile("x", "<s>", "eval", ast.PyCF_ONLY_AST)).__name__)
print(type(compile("x = 1", "<s>", "single", ast.PyCF_ONLY_AST)).__name__)
