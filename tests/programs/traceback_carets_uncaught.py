# Uncaught exceptions print CPython 3.11's markers under the failing expression
# ("~~~^~~" under a binary operator or subscript, "^^^" under other instructions),
# none when they would cover the whole line; columns are bytes, markers characters.
# Each case runs as its own script; its stderr is compared.
import os
import subprocess
import sys
import tempfile

CASES = {
"binop_none": 'def f(x):\n    return x["a"] + 1\nf({"a": None})\n',
"subscript_key": 'd = {}\ny = d["missing"] * 2\n',
"chain_middle": 'a, b, c, d = 1, 2, None, 4\nprint(a + b + c + d)\n',
"floordiv": 'x = 5\ny = x // 0\n',
"parens": 'a = None\nb = 1\nz = (a) + (b)\n',
"paren_op": 'a = None\nz = (a)+1\n',
"call_attr": 'class C:\n    def m(self, a, b):\n        raise ValueError("bad")\nobj = C()\nv = obj.m(1, 2) or 3\n',
"multiline_call": 'def f(a, b):\n    return a / b\nresult = f(\n    1,\n    0)\n',
"whole_line": 'def g():\n    raise ValueError("x")\ng()\n',
"unicode": 's = "é€" + 1\n',
"unicode2": 'x = {"é": 1}; y = x["é"] + x["ü"]\n',
"tabs": 'def f():\n\treturn 1 / 0\nf()\n',
"trailing_ws": 'x = None   \ny = x + 1   \n',
"recursion": 'def r(n):\n    return r(n + 1) + 1\nr(0)\n',
"chained": 'try:\n    1 / 0\nexcept ZeroDivisionError:\n    x = {}["k"] + 1\n',
"subscript_spaces": 'd = {}\ny = d [ "k" ] + 1\n',
"slice_sub": 'l = None\ny = l[1:2]\n',
"tuple_sub": 'd = {}\ny = d[1, 2]\n',
"nested_sub": 'd = {"a": {}}\ny = d["a"]["b"]\n',
"group": 'def f():\n    raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])\nf()\n',
"attr_error": 'x = None\ny = x.foo.bar\n',
"comment_after": 'x = None\ny = x + 1  # comment\n',
"multiline_binop": 'a = None\ny = (a +\n     1)\n',
"lambda": 'f = lambda x: x / 0\nf(1)\n',
"compare": 'x = None\nif x < 1:\n    pass\n',
"augassign": 'x = None\nx += 1\n',
"star_op": 'a = "x"\nb = a ** 2\n',
"matmul": 'a = 1\nb = a @ 2\n',
"fstring": 'x = None\ny = f"{x + 1}"\n',
"call_in_binop": 'def f():\n    raise KeyError(1)\nx = 1 + f()\n',
}
d = tempfile.mkdtemp()
exe = sys.executable
for name, src in CASES.items():
    p = os.path.join(d, name + ".py")
    with open(p, "w") as fh:
        fh.write(src)
    r = subprocess.run([exe, p], capture_output=True, text=True, cwd=d)
    print("=== " + name, r.returncode)
    print(r.stderr.replace(d, "DIR"), end="")
