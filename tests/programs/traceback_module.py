# traceback: format_exc/print_exc/format_exception(_only)/extract_tb/TracebackException.
# (Failing lines are whole statements, so CPython 3.11 prints no caret lines.)
import traceback, sys, io

def inner(x):
    raise ValueError(f"bad {x}")

def outer():
    inner(0)

try:
    outer()
except ValueError:
    s = traceback.format_exc()
    print(s.replace(__file__, "FILE"))
    out = io.StringIO()
    traceback.print_exc(file=out)
    print(out.getvalue() == s)
    e = sys.exc_info()[1]
    print(traceback.format_exception_only(type(e), e), traceback.format_exception_only(e))
    print("".join(traceback.format_exception(type(e), e, None)).count("\n"))
    print([(f.lineno, f.name) for f in traceback.extract_tb(e.__traceback__)])
    print(traceback.format_tb(e.__traceback__)[-1].replace(__file__, "FILE"), end="")

def convert():
    try:
        raise KeyError("k")
    except KeyError as e:
        raise TypeError("converted") from e

try:
    convert()
except TypeError as e:
    out = io.StringIO()
    traceback.print_exception(e, file=out)
    print(out.getvalue().replace(__file__, "FILE"))
    print(traceback.format_exception(e, chain=False)[-1], end="")
print(repr(traceback.format_exc()))
te = traceback.TracebackException.from_exception(ValueError("v"))
print(list(te.format_exception_only()), str(te))
try:
    compile("x = (1,", "<src>", "exec")
except SyntaxError as e:
    print("".join(traceback.format_exception_only(e)), end="")
