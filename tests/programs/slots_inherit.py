class Base:
    __slots__ = ("a",)
class Derived(Base):
    __slots__ = ("b",)
d = Derived()
d.a = 1
d.b = 2
print(d.a, d.b)
try:
    d.c = 3
except AttributeError as e:
    print("AttributeError:", e)
class Open(Base):
    pass
o = Open()
o.a = 1
o.anything = 5
print(o.a, o.anything)
class Point:
    __slots__ = ["x", "y"]
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return f"Point({self.x}, {self.y})"
pts = [Point(i, -i) for i in range(3)]
print(pts, hasattr(pts[0], "__dict__"))
del pts[0].x
print(hasattr(pts[0], "x"))
