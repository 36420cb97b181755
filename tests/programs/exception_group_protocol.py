# The rest of the exception group protocol: subclassing, derive, reduce, repr,
# tracebacks of parts, add_note checks, hooks printing groups.
import io
import sys
import threading


class Codes(ExceptionGroup):
    def __new__(cls, message, excs, code):
        obj = super().__new__(cls, message, excs)
        obj.code = code
        return obj

    def __init__(self, message, excs, code):
        super().__init__(message, excs)
        self.extra = "init ran"

    def derive(self, excs):
        return Codes(self.message, excs, self.code)


g = Codes("codes", [ValueError(1), TypeError(2)], 42)
print(repr(g), g.args, g.code, g.extra)
m, r = g.split(ValueError)
print(repr(m), m.code, repr(r), r.code)
print(repr(g.subgroup(TypeError)))


class NoDerive(ExceptionGroup):
    pass


n = NoDerive("nd", [ValueError(1), TypeError(2)])
m, r = n.split(ValueError)
print(type(m).__name__, type(r).__name__)


class Registered(ExceptionGroup):
    kinds = []

    def __init_subclass__(cls, kind=None, **kw):
        super().__init_subclass__(**kw)
        Registered.kinds.append((cls.__name__, kind))


class A(Registered, kind="a"):
    pass


print(Registered.kinds, repr(A("a", [KeyError()])))


class BadDerive(ExceptionGroup):
    def derive(self, excs):
        return 42


try:
    BadDerive("b", [ValueError(), TypeError()]).split(ValueError)
except TypeError as e:
    print(e)

# __reduce__ and a round trip through it.
eg = ExceptionGroup("m", [ValueError(1), KeyError("k")])
red = eg.__reduce__()
print(red)
copy = red[0](*red[1])
print(repr(copy), copy.exceptions == eg.exceptions)
v = ValueError(1, 2)
print(v.__reduce__())
v.x = 5
print(v.__reduce__())
w = ValueError()
w.__setstate__({"x": 1, "y": 2})
print(w.x, w.y)
c = Codes("c", [ValueError()], 7)
cls, args = c.__reduce__()[:2]
print(args)

# Parts keep the traceback, cause and context of the original.
try:
    try:
        raise OSError("ctx")
    except OSError:
        raise ExceptionGroup("tb", [ValueError(1), TypeError(2)])
except ExceptionGroup as e:
    whole = e
m, r = whole.split(ValueError)
print(m.__traceback__ is whole.__traceback__, r.__traceback__ is whole.__traceback__)
print(repr(m.__context__), m.__cause__, m.__suppress_context__, whole.__suppress_context__)
print(m.exceptions[0] is whole.exceptions[0])

# add_note checks.
e = ValueError()
print(hasattr(e, "__notes__"))
e.add_note("one")
e.add_note("two")
print(e.__notes__, vars(e))
for bad in (3, None, b"x"):
    try:
        e.add_note(bad)
    except TypeError as x:
        print(x)
e.__notes__ = "not a list"
try:
    e.add_note("x")
except TypeError as x:
    print(x)
try:
    ValueError().add_note()
except TypeError as x:
    print("arity:", type(x).__name__)

# Hooks print groups to sys.stderr.
buf = io.StringIO()
sys.stderr = buf


def boom():
    raise ExceptionGroup("in thread", [ValueError("t1"), KeyError("t2")])


t = threading.Thread(target=boom, name="Worker")
t.start()
t.join()
sys.excepthook(ExceptionGroup, ExceptionGroup("hook", [KeyError(3)]), None)
sys.stderr = sys.__stderr__
lines = buf.getvalue().split("\n")
keep = []
skip = False
for line in lines:
    if skip:
        skip = False
        continue
    if 'File "' in line:
        skip = True
        continue
    keep.append(line)
print("\n".join(keep))
