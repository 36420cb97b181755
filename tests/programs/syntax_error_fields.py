# SyntaxError's fields, str() and printing, from the compiler and from constructors.
import io
import sys

FIELDS = ("msg", "filename", "lineno", "offset", "text", "end_lineno", "print_file_and_line")

try:
    compile("x = (1,\n", "dir/f.py", "exec")
except SyntaxError as e:
    print(type(e).__name__, str(e))
    print([getattr(e, f) for f in FIELDS])
    print(len(e.args), e.args[0], e.args[1][:3])

e = SyntaxError("m", ("f", 1, 2, "txt", 1, 4))
print(e.args, str(e), e.msg, e.filename, e.lineno, e.offset, e.text, e.end_lineno, e.end_offset)
print(repr(str(SyntaxError())), SyntaxError().msg, SyntaxError(5).msg)
print(str(SyntaxError("m", ("a/b/c.py", True, 1, "x"))))
print(str(SyntaxError("m", (None, 3, 1, "x"))))
print(str(SyntaxError("m", ("a/b/c.py", None, 1, "x"))))
print(str(SyntaxError("m", "ab", 3)), SyntaxError("m", "ab", 3).filename)
print(str(IndentationError("m", ("f", 1, 2, "txt"))))
e = SyntaxError("m", ["f", 1, 2, "txt"])
e.lineno = 7
print(str(e))
for info in [("f", 1, 2), ("f", 1, 2, "t", 1, 2, 3), ("f", 1, 2, "t", 1), 5]:
    try:
        SyntaxError("m", info)
    except TypeError as err:
        print("TypeError:", err)


class Sub(SyntaxError):
    def __init__(self):
        pass


print(Sub().msg, Sub().filename, Sub().args)


def printed(exc):
    old = sys.stderr
    sys.stderr = io.StringIO()
    try:
        sys.__excepthook__(type(exc), exc, None)
        return sys.stderr.getvalue()
    finally:
        sys.stderr = old


for args in [(2, 7), (2, 3), (2, -2), (4, 2), (-4, -2), (0, 0), (0, 5), (2, 100)]:
    print(printed(SyntaxError("bad bad", ("bad.py", 1, args[0], "abcdefg", 1, args[1]))), end="")
print(printed(SyntaxError("spans", ("s.py", 2, 3, "    abcdefg\n", 3, 2))), end="")
print(printed(SyntaxError("no position")), end="")
print(printed(SyntaxError()), end="")
try:
    compile("if x:\n    y = = 2\n", "<src>", "exec")
except SyntaxError as e:
    # No traceback: it would name this file's absolute path.
    print(printed(e.with_traceback(None)), end="")
