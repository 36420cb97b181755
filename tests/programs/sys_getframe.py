# sys._getframe: code, line, locals, globals and callers of live frames (snapshots).
import sys
def f(a, b=2):
    c = a + b
    return sys._getframe()
def g():
    fr = f(1)
    return fr, sys._getframe(0).f_lineno, sys._getframe(1).f_code.co_name
fr, line, caller = g()
print(fr.f_code.co_name, fr.f_lineno, sorted(fr.f_locals.items()), fr.f_back.f_code.co_name, line, caller)
print(fr.f_back.f_back.f_code.co_name, fr.f_back.f_back.f_back, fr.f_globals is globals())
try:
    sys._getframe(50)
except ValueError as e:
    print("ValueError:", e)
class K:
    x = 1
    ns = dict(sys._getframe().f_locals)
    print(sorted(k for k in ns if not k.startswith("__")))
print([sys._getframe(i).f_code.co_name for i in range(1)], (lambda: sys._getframe().f_code.co_name)())
def gen():
    yield sys._getframe().f_code.co_name
    yield sys._getframe(1).f_code.co_name
print(list(gen()))
print(sorted(map(lambda _: sys._getframe(1).f_code.co_name, [0])))
del fr  # its f_back chain reaches the module's globals (a cycle; no cycle GC yet)
