# The class-creation protocol: __init_subclass__, __set_name__, __class_getitem__,
# __mro_entries__, __prepare__, metaclass hooks, __slots__, __qualname__, type().


class Plugin:
    registry = []

    def __init_subclass__(cls, /, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.plugin_name = name or cls.__name__.lower()
        Plugin.registry.append(cls.plugin_name)


class Csv(Plugin, name="csv"):
    pass


class Json(Plugin):
    pass


class StrictJson(Json, name="strict"):
    pass


print(Plugin.registry, Csv.plugin_name, StrictJson.plugin_name)
print(type(Plugin.__dict__["__init_subclass__"]).__name__)
for make in (lambda: type("Bad", (Plugin,), {}, bogus=1), lambda: type("Bare", (), {}, k=1)):
    try:
        make()
    except TypeError as exc:
        print("TypeError:", exc)
try:

    class Bad2(Plugin, other=2):
        pass

except TypeError as exc:
    print("TypeError:", exc)


class Field:
    def __set_name__(self, owner, name):
        print("  __set_name__", owner.__name__, name)
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return obj.__dict__.get(self.name, f"<unset {self.name}>")

    def __set__(self, obj, value):
        obj.__dict__[self.name] = value * 2


class Record:
    width = Field()
    height = Field()


r = Record()
r.width = 4
print(r.width, r.height, Record.width.name)


class Explodes:
    def __set_name__(self, owner, name):
        raise ValueError("no thanks")


try:

    class Victim:
        boom = Explodes()

except RuntimeError as exc:
    print("RuntimeError:", exc, "| cause:", repr(exc.__cause__))


class Box:
    def __class_getitem__(cls, item):
        return f"{cls.__name__}[{item.__name__}]"


class SubBox(Box):
    pass


print(Box[int], SubBox[str], type(Box.__dict__["__class_getitem__"]).__name__)


class Alias:
    def __init__(self, *bases):
        self.bases = bases

    def __mro_entries__(self, bases):
        print("  __mro_entries__ given", len(bases), "bases")
        return self.bases


class Mixin:
    def hello(self):
        return "hello from Mixin"


class Made(Alias(Mixin, dict)):
    pass


print([c.__name__ for c in Made.__mro__], Made().hello(), type(Made.__orig_bases__[0]).__name__)
print("__orig_bases__" in Made.__dict__, "__orig_bases__" in Mixin.__dict__)
try:
    type("NoEntries", (Alias(Mixin),), {})
except TypeError as exc:
    print("TypeError:", exc)


class OrderedMeta(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kwargs):
        print("  __prepare__", name, [b.__name__ for b in bases], kwargs)
        ns = {"injected": kwargs.get("default", 0)}
        return ns

    def __new__(mcls, name, bases, ns, **kwargs):
        ns["order"] = [k for k in ns if not k.startswith("__")]
        return super().__new__(mcls, name, bases, ns)

    def __init__(cls, name, bases, ns, **kwargs):
        super().__init__(name, bases, ns)


class Ordered(metaclass=OrderedMeta, default=7):
    b = 1
    a = 2


print(Ordered.injected, Ordered.order, type(Ordered).__name__)
print(type.__prepare__("x", ()), OrderedMeta.__prepare__("y", ()))


class Always(type):
    def __instancecheck__(cls, obj):
        return cls.__name__ == "Yes"

    def __subclasscheck__(cls, sub):
        return sub is int


class Yes(metaclass=Always):
    pass


class No(metaclass=Always):
    pass


print(isinstance(3, Yes), isinstance(Yes(), No), isinstance(No(), No), isinstance(No(), Yes))
print(issubclass(int, No), issubclass(str, No), issubclass(No, No), issubclass(bool, (No, str)))


class Slotted:
    __slots__ = ("a", "__dict__", "__weakref__")


s = Slotted()
s.a = 1
s.extra = 2
print(s.a, s.__dict__, hasattr(Slotted, "__weakref__") or True)


class Tight:
    __slots__ = ("x",)


t = Tight()
t.x = 5
try:
    t.y = 1
except AttributeError as exc:
    print("AttributeError:", exc)
print(t.x, hasattr(t, "__dict__"))


class Outer:
    class Inner:
        def method(self):
            pass

    def make(self):
        class Local:
            pass

        return Local


print(Outer.Inner.__qualname__, Outer().make().__qualname__, Outer.Inner.method.__qualname__)
print("__qualname__" in Outer.__dict__, Outer.__module__)
Outer.__qualname__ = "Renamed"
print(Outer.__qualname__, Outer.__name__)

Dyn = type("Dyn", (), {"x": 1, "__qualname__": "Some.Dyn"})
print(Dyn.__name__, Dyn.__qualname__, Dyn.x, Dyn.__bases__[0].__name__)
Raw = type.__new__(type, "Raw", (Csv,), {"y": 2})
print(Raw.__name__, Raw.y, Raw.plugin_name, type(Raw).__name__, Plugin.registry[-1])
WithKw = type("WithKw", (Plugin,), {}, name="kw")
print(WithKw.plugin_name)
for args in ((1, (), {}), ("N", [], {}), ("N", (), [])):
    try:
        type(*args)
    except TypeError as exc:
        print("TypeError:", exc)
try:
    type("A", "B")
except TypeError as exc:
    print("TypeError:", exc)


class Meta2(type):
    pass


class M2(metaclass=Meta2):
    pass


Child = type("Child", (M2,), {})
print(type(Child).__name__)
