# A module's __class__ may become a ModuleType subclass and back (the lazy-loading
# and deprecation patterns assign sys.modules[__name__].__class__): modules and their
# subclasses share one layout, the module's dict being the instance dict.
import sys
import types


class Lazy(types.ModuleType):
    def __getattr__(self, name):
        if name == "answer":
            return 42
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    @property
    def prop(self):
        return "prop of " + self.__name__

    def __repr__(self):
        return "<Lazy " + self.__name__ + ">"


class Deprecated(types.ModuleType):
    def __setattr__(self, name, value):
        print("setting", name)
        super().__setattr__(name, value)


m = types.ModuleType("mm")
m.x = 1
d = m.__dict__
m.__class__ = Lazy
print(type(m).__name__, m.x, m.answer, m.prop, repr(m), isinstance(m, Lazy))
print(m.__dict__ is d, sorted(vars(m)))
m.__class__ = Deprecated
m.y = 2
print(type(m).__name__, m.y, d["y"], hasattr(m, "answer"))

this = sys.modules[__name__]
this.__class__ = Lazy
print(type(this).__name__, this.answer, this.Lazy is Lazy)
this.__class__ = types.ModuleType

try:
    m.__class__ = int
except TypeError as e:
    print("TypeError", e)


class Other:
    pass


try:
    m.__class__ = Other
except TypeError as e:
    print("TypeError", e)
m.__class__ = types.ModuleType
print(type(m).__name__)
try:
    m.answer
except AttributeError as e:
    print("AttributeError", e)


class NoSlots(types.ModuleType):
    __slots__ = ()


class WithSlots(types.ModuleType):
    __slots__ = ("a",)


m.__class__ = NoSlots
print(type(m).__name__, m.x)
try:
    m.__class__ = WithSlots
except TypeError as e:
    print("TypeError", e)
try:
    class DictSlot(types.ModuleType):
        __slots__ = ("__dict__",)
except TypeError as e:
    print("TypeError", e)

n = Lazy("made")
n.z = 3
print(repr(n), n.z, n.__dict__["z"], n.answer)
n.__class__ = types.ModuleType
print(repr(n).startswith("<module 'made'"), n.z)
del m, n, d
