# Frame objects: live line and locals, f_back, identity, detaching at return,
# generator frames, f_trace, clear(), code object attributes.
import sys

def f(a, b=2):
    c = a + b
    fr = sys._getframe()
    print("live", fr.f_lineno, fr.f_code.co_name, sorted(fr.f_locals))
    c = 10
    print("moved", fr.f_lineno, fr.f_locals["c"], fr.f_locals is fr.f_locals)
    print("same object", fr is sys._getframe(), fr.f_back is sys._getframe(1))
    return fr

fr = f(1)
print("after return", fr.f_lineno, fr.f_locals["c"], fr.f_back.f_code.co_name)
print(type(fr).__name__, fr.f_back.f_back, fr.f_globals is globals())
print(fr.f_builtins["len"] is len, fr.f_lasti >= 0, fr.f_trace)
fr.f_trace = print
print(fr.f_trace is print, fr.f_trace_lines, fr.f_trace_opcodes)
fr.f_trace = None
fr.clear()
print("cleared", fr.f_locals)
del fr

def outer():
    x = "outer-local"
    return inner()

def inner():
    me = sys._getframe()
    return me, me.f_back

me, caller = outer()
print(caller.f_code.co_name, caller.f_locals["x"], caller.f_lineno, me.f_back is caller)
del me, caller

try:
    sys._getframe().clear()
except RuntimeError as e:
    print("RuntimeError:", e)

# Module frames: f_locals is the globals dict.
print(sys._getframe().f_locals is globals(), sys._getframe().f_back)

# Class bodies: f_locals is the class namespace.
class K:
    x = 1
    print("class", sorted(k for k in sys._getframe().f_locals if not k.startswith("__")))
del K

def gen():
    local = 1
    yield sys._getframe().f_lineno
    local = 2
    yield 2

g = gen()
gf = g.gi_frame
print("gen created", gf.f_lineno - gen.__code__.co_firstlineno, gf.f_back, gf.f_locals)
print(next(g) - gen.__code__.co_firstlineno, gf.f_lineno - gen.__code__.co_firstlineno, gf.f_locals)
print(next(g), gf.f_locals, g.gi_frame is gf)
print(list(g), g.gi_frame)
del g, gf

# Closures: cells and free variables show in f_locals.
def make():
    cell = "c"
    def use():
        return cell, sys._getframe().f_locals
    return use, sys._getframe().f_locals

use, mk_locals = make()
print(use(), sorted(mk_locals))
del use, mk_locals

# Deleted locals disappear from the refreshed dict.
def dels():
    a = 1
    fr = sys._getframe()
    before = sorted(fr.f_locals)
    del a
    after = sorted(fr.f_locals)
    return before, after
print(dels())

# Code objects.
def sample(p, /, q, *args, r, **kw):
    s = p
    def clo():
        return s
    return clo
co = sample.__code__
print(co.co_name, co.co_qualname, co.co_argcount, co.co_posonlyargcount, co.co_kwonlyargcount)
print(co.co_varnames, co.co_cellvars, sample(1, 2, r=3).__code__.co_freevars)
print(co.co_flags & 0x0F, co.co_firstlineno - f.__code__.co_firstlineno)
lines = list(co.co_lines())
print(lines[0][0], all(s < e for s, e, _ in lines))
pos = list(co.co_positions())
print(len(pos) * 2 == lines[-1][1], pos[0][0] == pos[0][1])
co2 = co.replace(co_name="renamed")
print(co2.co_name, co.co_name, co2.co_firstlineno == co.co_firstlineno)
print(repr(co).startswith("<code object sample at "))
try:
    co.replace(nonsense=1)
except TypeError as e:
    print("TypeError:", e)
try:
    sys._getframe(100)
except ValueError as e:
    print("ValueError:", e)
