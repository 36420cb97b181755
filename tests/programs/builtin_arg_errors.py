# Argument errors of builtins as CPython reports them, and the singletons their types
# return when called.
import sys
tests = [
 lambda: type(None)(), lambda: type(NotImplemented)(), lambda: type(...)(), lambda: type(None)(1),
 lambda: iter(), lambda: iter(42, 42),
 lambda: sum(), lambda: sum(42), lambda: sum(['a','b'], ''), lambda: sum([[1]], []), lambda: sum([b'a'], b''), lambda: sum([bytearray(b'a')], bytearray()),
 lambda: round(), lambda: round(1.5, 2, 3), lambda: round(1.0, 'x'), lambda: round(object()),
 lambda: format(3, 5), lambda: format(object(), 'd'), lambda: format(1, 'd', 3),
 lambda: len(type('H', (), {'__len__': lambda s: sys.maxsize + 1})()),
 lambda: len(type('H', (), {'__len__': lambda s: -sys.maxsize - 10})()),
 lambda: __import__(1), lambda: __import__('sys', 1), lambda: __import__(''), lambda: __import__('sys', level=-1),
]
for i, t in enumerate(tests):
    try:
        print(i, repr(t()))
    except Exception as e:
        print(i, type(e).__name__, e)


class NoFlush:
    def write(self, s):
        pass


import io
old_in, old_out = sys.stdin, sys.stdout
sys.stdin, sys.stdout = io.StringIO("line one\n"), NoFlush()
got = input("prompt")
sys.stdin, sys.stdout = old_in, old_out
print(repr(got))
