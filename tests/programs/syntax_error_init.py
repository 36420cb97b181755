# SyntaxError's fields: set from the details tuple by __init__, None until set, and
# str() naming the file's base name and the line.
e = SyntaxError("bad bad", ("dir/bad.py", 1, 2, "abcdefg", 1, 7))
print(repr(e), str(e), e.args)
print(e.msg, e.filename, e.lineno, e.offset, e.text, e.end_lineno, e.end_offset)
print(str(SyntaxError("m", ("f.py", 3, 1, "x"))), SyntaxError("m", ("f.py", 3, 1, "x")).end_offset)
print(str(SyntaxError("m", (None, 3, 1, "x"))), str(SyntaxError("m", ("f.py", None, 1, "x"))))
print(str(SyntaxError("m", ("f.py", True, 1, "x"))), str(SyntaxError()), repr(SyntaxError()))
blank = SyntaxError.__new__(SyntaxError)
print(blank.msg, blank.filename, blank.lineno, blank.print_file_and_line)


class Quiet(SyntaxError):
    def __init__(self):
        pass


print(Quiet().filename, str(Quiet()))
for bad in [("m", (1, 2, 3)), ("m", (1, 2, 3, 4, 5, 6, 7)), ("m", 5)]:
    try:
        SyntaxError(*bad)
    except TypeError as ex:
        print("TypeError", ex)
print(SyntaxError("a", "b", "c").msg, str(SyntaxError("a", "b", "c")))
try:
    compile("1 +* 2", "dir/file.py", "exec")
except SyntaxError as ex:
    print(ex.filename, ex.lineno, str(ex))
e = IndentationError("ind", ("i.py", 2, 1, " x"))
print(str(e), e.lineno)
# The caret line of a SyntaxError with offsets a program chose (printed by the hook).
import sys

for info in [("bad.py", 1, 2, "abcdefg", 1, 7), ("bad.py", 1, 2, "abcdefg", 1, -2),
             ("bad.py", 1, 4, "abcdefg", 1, 2), ("bad.py", 1, -4, "abcdefg", 1, -2),
             ("bad.py", 1, 0, "abcdefg", 1, 5), ("bad.py", 1, 2, "abcdefg", 1, 100),
             ("bad.py", 1, 50, "  abc", 1, 60)]:
    try:
        raise SyntaxError("bad bad", info)
    except SyntaxError as exc:
        sys.stderr = sys.stdout
        sys.__excepthook__(SyntaxError, exc.with_traceback(None), None)
        sys.stderr = sys.__stderr__
