# A class's __name__, __qualname__, __module__ come from type's own data descriptors,
# which win over what the class's MRO has under those names: a native type's dict
# describes its instances' `__name__` (member_descriptor) or `__qualname__`
# (function). Loops make the attribute loads specialize.
import types


class Base:
    __slots__ = ()

    @property
    def exp(self):
        return "base property"


class Pow(Base):
    __slots__ = ("exp",)

    def __init__(self, e):
        self.exp = e


M = type(Pow.__dict__["exp"])
for i in range(3):
    p = Pow(i)
    print(p.exp, type(Pow.__dict__["exp"]).__name__)
    for t in (M, types.FunctionType, types.BuiltinFunctionType, property, staticmethod,
              types.MethodType, Pow):
        print(t.__name__, t.__qualname__, t.__module__)


class Named:
    __module__ = "elsewhere"


Named.__qualname__ = "Outer.Named"
for i in range(3):
    print(Named.__name__, Named.__qualname__, Named.__module__)
try:
    Named.__qualname__ = 3
except TypeError as e:
    print("TypeError", e)
print("__qualname__" in Named.__dict__)
