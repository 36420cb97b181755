# _abc (what Lib/abc.py's ABCMeta is built on), exercised with an ABCMeta written
# the way Lib/abc.py writes it.
import _abc
import _weakref
from _abc import (get_cache_token, _abc_init, _abc_register, _abc_instancecheck,
                  _abc_subclasscheck, _get_dump, _reset_registry, _reset_caches)


def abstractmethod(funcobj):
    funcobj.__isabstractmethod__ = True
    return funcobj


class ABCMeta(type):
    def __new__(mcls, name, bases, namespace, /, **kwargs):
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        _abc_init(cls)
        return cls

    def register(cls, subclass):
        return _abc_register(cls, subclass)

    def __instancecheck__(cls, instance):
        return _abc_instancecheck(cls, instance)

    def __subclasscheck__(cls, subclass):
        return _abc_subclasscheck(cls, subclass)

    def _abc_registry_clear(cls):
        _reset_registry(cls)

    def _abc_caches_clear(cls):
        _reset_caches(cls)


class ABC(metaclass=ABCMeta):
    __slots__ = ()


class Shape(ABC):
    @abstractmethod
    def area(self):
        ...

    @abstractmethod
    def name(self):
        ...

    def describe(self):
        return f"{self.name()} with area {self.area()}"


print(sorted(Shape.__abstractmethods__), type(Shape.__abstractmethods__).__name__)
try:
    Shape()
except TypeError as e:
    print(e)


class Half(Shape):
    def area(self):
        return 1


print(sorted(Half.__abstractmethods__))
try:
    Half()
except TypeError as e:
    print(e)


class Square(Half):
    def name(self):
        return "square"


print(Square.__abstractmethods__, Square().describe())
print(isinstance(Square(), Shape), issubclass(Square, Shape), issubclass(int, Shape))


# Virtual subclasses.
class Sized(ABC):
    @classmethod
    def __subclasshook__(cls, C):
        if cls is Sized:
            return any("__len__" in B.__dict__ for B in C.__mro__)
        return NotImplemented


print(isinstance([], Sized), isinstance(3, Sized), issubclass(dict, Sized))


class Thing:
    pass


token = get_cache_token()
print(isinstance(Thing(), Shape))
print(Shape.register(Thing) is Thing, get_cache_token() == token + 1)
print(isinstance(Thing(), Shape), issubclass(Thing, Shape))


class SubThing(Thing):
    pass


print(issubclass(SubThing, Shape), Shape.register(Square) is Square)
try:
    Square.register(Shape)
except RuntimeError as e:
    print(e)
try:
    Shape.register(3)
except TypeError as e:
    print(e)
try:
    issubclass(3, Shape)
except TypeError as e:
    print(e)
registry, cache, negative, version = _get_dump(Shape)
print(sorted(r().__name__ for r in registry), sorted(r().__name__ for r in cache),
      sorted(r().__name__ for r in negative), version == get_cache_token())
print(all(type(r) is _weakref.ref for r in registry | cache | negative))

# The ABC does not keep the classes it has seen alive.
class Temp:
    pass


Shape.register(Temp)
print(issubclass(Temp, Shape))
wr = _weakref.ref(Temp)
del Temp
import gc
gc.collect()
registry, cache, negative, version = _get_dump(Shape)
print(wr() is None, sorted(r().__name__ for r in registry if r() is not None))

Shape._abc_caches_clear()
Shape._abc_registry_clear()
print([len(s) for s in _get_dump(Shape)[:3]], issubclass(Thing, Shape))


# An ABC's subclass hook returning a wrong type.
class Weird(ABC):
    @classmethod
    def __subclasshook__(cls, C):
        return 1


try:
    issubclass(int, Weird)
except AssertionError as e:
    print(e)


# Abstract properties, classmethods, inherited abstracts.
class P(ABC):
    @property
    @abstractmethod
    def value(self):
        ...

    @classmethod
    @abstractmethod
    def make(cls):
        ...


print(sorted(P.__abstractmethods__))
print(Shape.__subclasses__() == [Half], sorted(c.__name__ for c in ABC.__subclasses__()))
