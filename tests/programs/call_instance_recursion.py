# An instance whose class's __call__ is itself an instance: calling it recurses
# without end, which must be a RecursionError (CPython counts each __call__ hop).
import sys


class A:
    pass


A.__call__ = A()
a = A()
try:
    a()
except RecursionError as e:
    print("RecursionError:", e)


class C:
    def __call__(self, *args):
        return len(args)


chain = C()
print(chain(1, 2, 3))
# Deep but finite nesting stays under the limit.
sys.setrecursionlimit(1000)
print(sum(chain(i) for i in range(100)))
