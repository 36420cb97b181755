# staticmethod, classmethod, property, __slots__, class decorators.
class Temperature:
    scale = "C"
    def __init__(self, c):
        self._c = c
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, v):
        if v < -273.15:
            raise ValueError("too cold")
        self._c = v
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @staticmethod
    def convert(c):
        return c * 9 / 5 + 32
    @classmethod
    def freezing(cls):
        return cls(0)
    @classmethod
    def describe(cls):
        return f"{cls.__name__} in {cls.scale}"

t = Temperature(25)
print(t.celsius, t.fahrenheit, Temperature.convert(100), t.convert(0))
t.celsius = 30
print(t.celsius, Temperature.freezing().celsius, Temperature.describe(), t.describe())
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
try:
    t.fahrenheit = 1
except AttributeError as e:
    print("AttributeError:", e)
class Sub(Temperature):
    scale = "K"
print(Sub.describe(), type(Sub.freezing()).__name__)

class Slotted:
    __slots__ = ("x", "y")
    def __init__(self, x):
        self.x = x
s = Slotted(1)
s.y = 2
print(s.x, s.y)
try:
    s.z = 3
except AttributeError as e:
    print("AttributeError:", e)
try:
    Slotted(5).y
except AttributeError as e:
    print("AttributeError:", e)

def register(cls):
    cls.registered = True
    return cls
@register
class Plugin:
    pass
print(Plugin.registered)

class Counter:
    instances = []
    def __init__(self):
        Counter.instances.append(self)
    @classmethod
    def total(cls):
        return len(cls.instances)
Counter(); Counter()
print(Counter.total())
p = property(lambda self: 42)
class WithP:
    answer = p
print(WithP().answer)
