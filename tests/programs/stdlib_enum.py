from enum import Enum, IntEnum, auto, unique
class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    def describe(self):
        return f"{self.name}={self.value}"
print(Color.RED, repr(Color.GREEN), Color(3), Color["GREEN"], list(Color), len(Color))
print(Color.RED.describe(), Color.RED in Color, Color.RED == Color.RED, Color.RED is Color(1), isinstance(Color.RED, Color))
print({c: c.value for c in Color}, Color.__members__.keys(), repr(Color))
class Shape(Enum):
    CIRCLE = auto()
    SQUARE = auto()
print(Shape.CIRCLE.value, Shape.SQUARE.value, [s.name for s in Shape])
class Prio(IntEnum):
    LOW = 1
    HIGH = 10
print(Prio.LOW < Prio.HIGH, Prio.HIGH + 1, int(Prio.LOW), Prio.LOW == 1, sorted([Prio.HIGH, Prio.LOW]), str(Prio.HIGH), f"{Prio.LOW}")
try:
    Color(7)
except ValueError as e:
    print("ValueError:", e)
