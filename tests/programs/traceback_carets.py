# The Lib's traceback module prints CPython 3.11's carets under the failing expression.
import traceback
def f(x):
    return 1 + x / 0
try:
    f(2)
except ZeroDivisionError:
    print(traceback.format_exc().replace(__file__, "FILE"))
