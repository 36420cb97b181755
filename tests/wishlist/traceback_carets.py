# Gap: CPython 3.11's caret lines under the failing expression in tracebacks.
import traceback
def f(x):
    return 1 + x / 0
try:
    f(2)
except ZeroDivisionError:
    print(traceback.format_exc().replace(__file__, "FILE"))
