# traceback's stack and traceback walkers on frame and traceback objects: walk_tb,
# extract_tb on a traceback, walk_stack, extract_stack (with limits), format_stack,
# print_stack. (Failing lines are whole statements: CPython prints no carets.)
import io
import sys
import traceback

def inner(x):
    raise ValueError(f"bad {x}")

def outer():
    inner(0)

try:
    outer()
except ValueError as e:
    tb = e.__traceback__
    print([(f.f_code.co_name, n) for f, n in traceback.walk_tb(tb)])
    print([(s.name, s.lineno, s.line) for s in traceback.extract_tb(tb)])
    print([(s.name, s.lineno) for s in traceback.extract_tb(tb, limit=1)])
    print([(s.name, s.lineno) for s in traceback.extract_tb(tb, limit=-1)])
    print("".join(traceback.format_tb(tb)).replace(__file__, "FILE"), end="")
    print(traceback.format_exc().replace(__file__, "FILE"))
    del tb

def a():
    return b()

def b():
    return c()

def c():
    here = traceback.extract_stack()
    names = [(s.name, s.lineno) for s in here]
    limited = [s.name for s in traceback.extract_stack(limit=2)]
    walked = [f.f_code.co_name for f, _ in traceback.walk_stack(None)]
    out = io.StringIO()
    traceback.print_stack(file=out)
    formatted = traceback.format_stack()
    return names, limited, walked, out.getvalue().replace(__file__, "FILE"), len(formatted)

names, limited, walked, printed, n = a()
print(names)
print(limited, walked)
print(printed, end="")
print(n)
print(traceback.extract_stack(sys._getframe())[-1].name)
