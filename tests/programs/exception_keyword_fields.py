# AttributeError(name=, obj=) and NameError(name=), the fields a failed lookup sets
# (also when a user's __getattr__ raises a bare AttributeError), breakpoint(), and
# the attributes of instances of builtin subclasses through object.__getattribute__.
import os
import sys
import warnings

e = AttributeError("Ouch!")
print(e.name, e.obj, e.args)
s = object()
e = AttributeError("Ouch", name="carry", obj=s)
print(e.name, e.obj is s, e.args, str(e))
print(NameError("n", name="x").name, NameError().name)
for call in [lambda: AttributeError(nope=1), lambda: NameError(obj=1), lambda: ValueError(x=1)]:
    try:
        call()
    except TypeError as err:
        print("TypeError:", err)


class A:
    blech = None

    def __getattr__(self, attr):
        raise AttributeError()


a = A()
try:
    a.bluch
except AttributeError as exc:
    print(repr(exc.name), exc.obj is a)


class B:
    def __getattr__(self, attr):
        raise AttributeError("mine", name="other", obj=1)


try:
    B().x
except AttributeError as exc:
    print(exc.name, exc.obj)

for f in (lambda: getattr(1, 2), lambda: setattr(1, 2, 3), lambda: delattr(1, 2), lambda: hasattr(1, 2)):
    try:
        f()
    except TypeError as err:
        print(err)


class T(tuple):
    def __getattribute__(self, attr):
        if attr in tuple.__dict__:
            raise AttributeError
        return tuple.__getattribute__(self, attr)


t = T((1, 2))
t.extra = 5
print(object.__getattribute__(t, "extra"), tuple.__getattribute__(t, "extra"), t.extra)

calls = []
sys.breakpointhook = lambda *a, **k: calls.append((a, k)) or "r"
print(breakpoint(1, k=2), calls)
sys.breakpointhook = sys.__breakpointhook__
os.environ["PYTHONBREAKPOINT"] = "0"
print(breakpoint())
os.environ["PYTHONBREAKPOINT"] = "builtins.print"
breakpoint("via", "print", sep="-")
os.environ["PYTHONBREAKPOINT"] = "len"
print(breakpoint([1, 2]))
for bad in [".x", "nosuchmodule_zz.f", "os.nosuch", "foo."]:
    os.environ["PYTHONBREAKPOINT"] = bad
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        print(breakpoint(), [(str(m.message), m.category.__name__) for m in w])
del sys.breakpointhook
try:
    breakpoint()
except RuntimeError as err:
    print("RuntimeError:", err)

# BaseException's __cause__/__context__ take only exceptions (or None); its members cannot be
# deleted; a decode error keeps a bytes-like object as bytes.
e=Exception()
for n,v in [('__cause__',1),('__context__',1),('__traceback__',1),('__cause__',None),('__context__',ValueError())]:
  try: setattr(e,n,v); print(n, 'ok', repr(getattr(e,n)))
  except TypeError as x: print(n, x)
for n in ['__cause__','__context__','__traceback__','args']:
  try: delattr(e,n); print('del ok')
  except TypeError as x: print('del', n, x)
u = UnicodeDecodeError('ascii', bytearray(b'\xff'), 0, 1, 'bad')
print(repr(u.object), u.args[1], str(u))
u = UnicodeDecodeError('ascii', memoryview(b'\xfe'), 0, 1, 'bad')
print(repr(u.object), str(u))
