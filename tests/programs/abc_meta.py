# abc.ABCMeta: abstract methods block instantiation; register and __subclasshook__.
from abc import ABC, ABCMeta, abstractmethod
class Shape(ABC):
    @abstractmethod
    def area(self): ...
    @property
    @abstractmethod
    def name(self): ...
    def describe(self):
        return f"{self.name} {self.area()}"
class Sq(Shape):
    def __init__(self, s): self.s = s
    def area(self): return self.s ** 2
    @property
    def name(self): return "square"
try:
    Shape()
except TypeError as e:
    print(e)
class Half(Shape):
    def area(self): return 1
try:
    Half()
except TypeError as e:
    print(e)
print(Sq(3).describe(), isinstance(Sq(2), Shape), issubclass(Sq, Shape), Shape.__abstractmethods__ == {"area", "name"})
class Proto(metaclass=ABCMeta):
    @classmethod
    def __subclasshook__(cls, C):
        if cls is Proto:
            return hasattr(C, "quack")
        return NotImplemented
class Duck:
    def quack(self): pass
print(isinstance(Duck(), Proto), isinstance(1, Proto), issubclass(Duck, Proto))
class Reg(ABC): pass
Reg.register(int)
print(isinstance(3, Reg), isinstance("x", Reg), issubclass(bool, Reg), Reg.register(str) is str, isinstance("x", Reg))
print(type(Shape).__name__, Sq.__mro__[-2].__name__)
