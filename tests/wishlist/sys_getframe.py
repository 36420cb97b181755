# Gap: frame introspection (sys._getframe, tracebacks as objects).
import sys
def f():
    return sys._getframe().f_code.co_name
print(f())
