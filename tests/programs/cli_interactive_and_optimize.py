# The command line as CPython's: a program piped to standard input, `-i` (the
# interactive prompt reading a pipe: prompts and errors on stderr), -O/-OO and
# PYTHONOPTIMIZE, and codeop's incomplete-input answers the prompt relies on.
import codeop
import os
import subprocess
import sys


def run(args, stdin="", env=None):
    r = subprocess.run([sys.executable] + args, input=stdin, capture_output=True,
                       text=True, env=env)
    err = r.stderr.splitlines(True)
    # The banner's version line names the implementation.
    err = [l for l in err if not l.rstrip().endswith("on linux")]
    print("==", args, r.returncode)
    print(r.stdout, end="")
    print("".join(err), end="")


run([], "import sys\nprint(sys.argv, __file__, __name__)\n")
run(["-"], "import sys\nprint(sys.argv)\n")
session = """x = 1
x + 1
if x:
    print("yes")

for i in range(2):
    i

1/0
print("after")
def f(:
\"\"\"a
b\"\"\"
import sys; sys.ps1
_
"""
run(["-i"], session)
run(["-q", "-i"], "")
run(["-i", "-c", "x = 5"], "print(x)\nraise SystemExit(4)\n")
run(["-i", "-c", "raise ValueError('v')"], "print('still here')\n")

prog = '''"""mod doc"""
import sys
def f():
    "fdoc"
class C:
    "cdoc"
assert False, "boom"
print(__debug__, sys.flags.optimize, __doc__, f.__doc__, C.__doc__)
if __debug__:
    print("debug on")
try:
    exec(compile("assert 0", "s", "exec", optimize=0))
except AssertionError:
    print("explicit optimize=0 asserts")
exec("assert 0")
print("exec follows -O")
'''
run(["-O", "-c", prog])
run(["-OO", "-c", prog])
run(["-c", "import sys; print(sys.flags.optimize, __debug__)"],
    env={**os.environ, "PYTHONOPTIMIZE": "1"})

for src in ["x = 1", "if 1:", "if 1:\n  x = 1", "if 1:\n  x = 1\n", "(1,", '"""abc',
            "1 +* 2", "def f():\n  return 1", "x = [1,\n 2", "x = [1,\n 2]", "@dec",
            "if 1:\n  x = 1\nelse:", "x = (", "a = 1 + \\", "", "# c", "try:\n  x\n",
            "lambda: (", "x = 1;", "'abc", "1 2", "while True:\n  pass\n  ",
            "match x:", "x = ]", "if 1:\n pass\n x = 1\n"]:
    try:
        r = codeop.compile_command(src, "<input>", "single")
        print(repr(src), "->", "code" if r else "more")
    except SyntaxError as e:
        print(repr(src), "-> SyntaxError")
