# Exception groups and notes formatted by traceback (the same layout the VM prints
# uncaught exceptions with), to stdout.
import os
import sys
import traceback


def out(e):
    # The main script's path is absolute (3.9+): print it relative.
    text = "".join(traceback.format_exception(e))
    print(text.replace(os.path.dirname(__file__) + os.sep, ""), end="")
    print("----")


def raiser(e):
    raise e


def caught(e):
    try:
        raiser(e)
    except BaseException as x:
        return x


out(caught(ExceptionGroup("simple", [ValueError(1), TypeError("two")])))

# Nested groups, sub-exceptions with their own tracebacks and causes.
inner = caught(ExceptionGroup("inner", [caught(KeyError("k")), OSError(5, "io")]))
try:
    try:
        raise ValueError("cause")
    except ValueError as c:
        raise RuntimeError("with cause") from c
except RuntimeError as r:
    with_cause = r
out(caught(ExceptionGroup("outer", [inner, with_cause, ZeroDivisionError()])))

# Notes (PEP 678): one per line, multi-line notes split, on groups and leaves.
leaf = ValueError("noted")
leaf.add_note("first note")
leaf.add_note("second\nnote")
g = ExceptionGroup("notes", [leaf])
g.add_note("group note")
out(g)
e = KeyError("odd notes")
e.__notes__ = ("tuple", 42)
out(e)

# More than 15 sub-exceptions.
out(ExceptionGroup("wide", [ValueError(i) for i in range(18)]))
out(ExceptionGroup("just16", [ValueError(i) for i in range(16)]))

# Deeper than 10 levels.
d = ValueError("bottom")
for i in range(12):
    d = ExceptionGroup(f"level{i}", [d])
out(d)

# A group raised out of except* handlers, with context inside.
try:
    try:
        raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])
    except* ValueError:
        raise KeyError("from handler")
except BaseException as x:
    out(x)

# BaseExceptionGroup holding a BaseException; chained group.
try:
    try:
        raise BaseExceptionGroup("base", [KeyboardInterrupt(), ValueError(3)])
    except BaseExceptionGroup as b:
        raise ExceptionGroup("chained", [RuntimeError("r")]) from b
except ExceptionGroup as x:
    out(x)

# format_exception gives the same text; format_exception_only gives the message lines.
x = caught(ExceptionGroup("fmt", [ValueError(1)]))
print("".join(traceback.format_exception(x)) == "".join(
    traceback.TracebackException.from_exception(x).format()))
leaf = ValueError("only")
leaf.add_note("n1")
print(traceback.format_exception_only(leaf))
print(traceback.format_exception_only(ExceptionGroup("g", [leaf])))

# sys.excepthook prints to sys.stderr.
import io
buf = io.StringIO()
sys.stderr = buf
sys.excepthook(ExceptionGroup, caught(ExceptionGroup("hook", [KeyError(3)])), None)
sys.stderr = sys.__stderr__
print(buf.getvalue().replace(os.path.dirname(__file__) + os.sep, ""), end="")
print("done")
