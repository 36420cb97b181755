# Traceback objects: built as an exception unwinds (outermost first, tb_next inward),
# kept on re-raise, settable, constructible; sys.exc_info()/sys.exception().
import sys
import types

def level(n):
    if n == 0:
        raise ValueError("deep")
    level(n - 1)

def walk(tb):
    out = []
    while tb is not None:
        out.append((tb.tb_frame.f_code.co_name, tb.tb_lineno - level.__code__.co_firstlineno,
                    tb.tb_frame.f_locals.get("n")))
        tb = tb.tb_next
    return out

try:
    level(2)
except ValueError as e:
    print(walk(e.__traceback__))
    print(sys.exc_info()[2] is e.__traceback__, sys.exception() is e)
    tb = e.__traceback__
    print(type(tb) is types.TracebackType, type(tb.tb_frame) is types.FrameType)
    print(tb.tb_frame is sys._getframe(), tb.tb_lasti >= 0, isinstance(tb.tb_lineno, int))
    # The innermost frame has finished: its frame object kept its last line and locals.
    last = tb
    while last.tb_next:
        last = last.tb_next
    print(last.tb_frame.f_lineno == last.tb_lineno, last.tb_frame.f_back.f_locals["n"])
del tb, last

# Re-raising keeps the traceback and adds the frames it passes through.
def catch_and_reraise():
    try:
        level(0)
    except ValueError:
        raise

def raise_again(exc):
    raise exc

try:
    catch_and_reraise()
except ValueError as e:
    print([n for n, _, _ in walk(e.__traceback__)])
    saved = e
try:
    raise_again(saved)
except ValueError as e:
    print([n for n, _, _ in walk(e.__traceback__)])
del saved

# raise ... from: both exceptions keep their own tracebacks.
def convert():
    try:
        {}["k"]
    except KeyError as k:
        raise TypeError("converted") from k

try:
    convert()
except TypeError as e:
    print([n for n, _, _ in walk(e.__traceback__)], [n for n, _, _ in walk(e.__cause__.__traceback__)])
    print(e.__context__ is e.__cause__, e.__suppress_context__)

# with_traceback and assignment.
try:
    1 / 0
except ZeroDivisionError as z:
    tb0 = z.__traceback__
e = RuntimeError("x")
print(e.__traceback__, e.with_traceback(tb0) is e, e.__traceback__ is tb0)
e.__traceback__ = None
print(e.__traceback__)
for bad in (5, "tb"):
    try:
        e.__traceback__ = bad
    except TypeError as t:
        print("TypeError:", t)
try:
    e.with_traceback(1)
except TypeError as t:
    print("TypeError:", t)
try:
    raise e.with_traceback(tb0)
except RuntimeError as r:
    print(r.__traceback__.tb_next is tb0)


# TracebackType(tb_next, tb_frame, tb_lasti, tb_lineno).
fr = sys._getframe()
t1 = types.TracebackType(None, fr, 6, 42)
t2 = types.TracebackType(t1, fr, tb_lasti=0, tb_lineno=7)
print(t2.tb_next is t1, t1.tb_lineno, t1.tb_lasti, t2.tb_lineno, t2.tb_frame is fr)
t1.tb_next = None
try:
    t1.tb_next = t2
except ValueError as v:
    print("ValueError:", v)
for args in ((1, fr, 0, 0), (None, 1, 0, 0)):
    try:
        types.TracebackType(*args)
    except TypeError as t:
        print("TypeError:", t)
try:
    t1.tb_next = 3
except TypeError as t:
    print("TypeError:", t)
try:
    class Sub(types.TracebackType):
        pass
except TypeError as t:
    print("TypeError:", t)
del t1, t2, fr, tb0

# Outside a handler.
print(sys.exc_info(), sys.exception())

# Generators: the traceback passes through the generator's frame.
def gen():
    yield 1
    raise KeyError("g")

try:
    list(gen())
except KeyError as e:
    print([n for n, _, _ in walk(e.__traceback__)])
