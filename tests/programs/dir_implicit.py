# dir() lists the attributes served without class-dict entries: __class__, __doc__,
# __dict__/__weakref__ of Python classes, __slots__ members, int's real/imag/...
def names(x):
    return [n for n in dir(x) if n != "__sizeof__"]


class C:
    a = 1

    def m(self):
        pass


class D(C):
    __slots__ = ("s",)


class E:
    __slots__ = ()


class F:
    __slots__ = "one"


class Err(Exception):
    pass


print(names(object()))
print(names(C()))
print(names(C))
print(names(D()))
print(names(E()))
print(names(F()))
print(names(Err()))
c = C()
c.z = 1
print(names(c))
for x in [1, True, 1.5, 1j, print, object()]:
    print(type(x).__name__, [n for n in ["__class__", "__doc__", "real", "imag", "numerator", "denominator", "__name__", "__self__", "__qualname__", "__module__"] if n in dir(x)])
