# Subclasses of builtin types whose instances carry a native payload (the generic
# mechanism: _random.Random, module, super, object), and the builtins that refuse it.
import _random
import sys


class Rng(_random.Random):
    def dice(self):
        return int(self.random() * 6) + 1


r = Rng(42)
r.seed(7)
rolls = [r.dice() for _ in range(200)]
print(type(r).__name__, isinstance(r, _random.Random), min(rolls), max(rolls))
r.label = "mine"
print(r.label, r.__dict__)

ModuleType = type(sys)


class LazyModule(ModuleType):
    def describe(self):
        return "module " + self.__name__


m = LazyModule("plugin")
m.x = 5
print(m.describe(), m.x, m.__name__, isinstance(m, ModuleType), m.__dict__["x"], m.__doc__)
plain = ModuleType("plain", "the doc")
print(plain.__name__, plain.__doc__, type(plain).__name__)
try:
    m.missing
except AttributeError as exc:
    print("AttributeError:", exc)


class MySuper(super):
    pass


class Base:
    def hello(self):
        return "Base.hello"


class Child(Base):
    def hello(self):
        return MySuper(Child, self).hello() + " via MySuper"


print(Child().hello())


class Obj(object):
    pass


print(type(Obj()).__name__, Obj.__bases__[0].__name__, Obj.__mro__[-1].__name__)

for t in (bool, type(None), type(len), range, slice, type(lambda: 0), type(print)):
    try:

        class Sub(t):
            pass

    except TypeError as exc:
        print("TypeError:", exc)

for bases in ((int, str), (list, dict), (float, int), (Exception, int), (bytes, bytearray)):
    try:
        type("Mixed", bases, {})
    except TypeError as exc:
        print("TypeError:", exc)


class Fl(float):
    pass


for call in (
    lambda: object.__new__(Fl),
    lambda: float.__new__(int),
    lambda: float.__new__(3),
    lambda: int.__new__(Fl),
):
    try:
        call()
    except TypeError as exc:
        print("TypeError:", exc)

# Mixins with no layout of their own combine with a builtin.


class Mixin:
    def twice(self):
        return self + self


class TwiceList(Mixin, list):
    pass


class TwiceStr(str, Mixin):
    pass


print(TwiceList([1]).twice(), TwiceStr("ab").twice(), TwiceList.__mro__[-2].__name__)
