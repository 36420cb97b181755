# __slots__ on Python subclasses of builtin types (namedtuple's `__slots__ = ()`).


class Point(tuple):
    __slots__ = ()

    def __new__(cls, x, y):
        return tuple.__new__(cls, (x, y))

    x = property(lambda self: self[0])
    y = property(lambda self: self[1])


p = Point(1, 2)
print(p, p.x, p.y, hasattr(p, "__dict__"))
try:
    p.z = 1
except AttributeError as exc:
    print("AttributeError:", exc)


class Unit(float):
    __slots__ = ("unit",)


u = Unit(1.5)
u.unit = "kg"
print(u, u.unit, u * 2, hasattr(u, "__dict__"))
for name in ("other", "__dict__"):
    try:
        getattr(u, name) if name == "__dict__" else setattr(u, name, 1)
    except AttributeError as exc:
        print("AttributeError:", exc)


class Stack(list):
    __slots__ = ()


s = Stack([1])
s.append(2)
print(s, hasattr(s, "__dict__"))
try:
    s.top = 2
except AttributeError as exc:
    print("AttributeError:", exc)


class Open(list):
    __slots__ = ("a", "__dict__")


o = Open()
o.a = 1
o.b = 2
print(o.a, o.b, o.__dict__["b"])

for base in (int, tuple, bytes):
    try:
        type("Bad", (base,), {"__slots__": ("a",)})
    except TypeError as exc:
        print("TypeError:", exc)
print(type("Ok", (int,), {"__slots__": ()})(5), type("Ok2", (str,), {"__slots__": ("a",)})("x"))
