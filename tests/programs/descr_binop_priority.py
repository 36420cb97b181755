# Reflected operands, three-argument pow, bound-method repr and keyword refusals
# (CPython's test_descr: test_subclass_right_op, test_binary_operator_override,
# test_bound_method_repr, test_keywords, test_properties).
import types


class C:
    def __floordiv__(self, other):
        return "C.__floordiv__"

    def __rfloordiv__(self, other):
        return "C.__rfloordiv__"


class D(C):
    def __rfloordiv__(self, other):
        return "D.__rfloordiv__"


class E(C):
    pass


print(C() // E())   # E inherits __rfloordiv__: the left operand goes first
print(C() // D())   # D overrides it: the reflected method goes first
print(E() // C(), 1 // E())


class I(int):
    def __repr__(self):
        return "I(%r)" % int(self)

    def __pow__(self, other, mod=None):
        if mod is None:
            return I(pow(int(self), int(other)))
        return I(pow(int(self), int(other), int(mod)))


print(repr(pow(I(2), I(3), I(5))), repr(I(2) ** 3), repr(pow(I(3), 2, 7)))


class P:
    def __pow__(self, other, mod=None):
        return ("P.__pow__", other, mod)


print(pow(P(), 2, 3))


class MyCallable:
    def __call__(self, arg):
        pass


func = MyCallable()
m = types.MethodType(func, 42)
print(repr(m))
func.__name__ = "name"
print(repr(m))
func.__qualname__ = "qualname"
print(repr(m))
func.__qualname__ = 5
print(repr(m))

for f in (lambda: int(x=1), lambda: int(base=10), lambda: int("7", base=8),
          lambda: complex(imag=42, real=666), lambda: complex(real=1),
          lambda: complex(bogus=1), lambda: complex(1, real=2),
          lambda: complex("1", 2), lambda: complex(1, "2"), lambda: complex(imag=3)):
    try:
        print(f())
    except TypeError as e:
        print("TypeError:", e)

prop = property(lambda self: 1)
for attr in ("fget", "fset", "fdel"):
    try:
        setattr(prop, attr, 42)
    except AttributeError as e:
        print("AttributeError:", e)

# Most derived metaclass.
class M1(type):
    pass


class M2(type):
    pass


class M3(M1):
    pass


class A1(metaclass=M1):
    pass


class A2(metaclass=M2):
    pass


class A3(metaclass=M3):
    pass


try:
    class B(A1, A2):
        pass
except TypeError as e:
    print("TypeError:", e)


class B2(A1, A3):
    pass


print(type(B2).__name__, type(type("B3", (A1, A3), {})).__name__)
try:
    type("B4", (A1, A2), {})
except TypeError as e:
    print("TypeError:", e)
