class Registry(type):
    classes = []
    def __new__(mcls, name, bases, ns):
        cls = super().__new__(mcls, name, bases, ns)
        mcls.classes.append(name)
        return cls
    def __iter__(cls):
        return iter(cls.items)
    def __len__(cls):
        return len(cls.items)
    def describe(cls):
        return f"class {cls.__name__} with {len(cls)} items"
class Base(metaclass=Registry):
    items = [1, 2]
class Child(Base):
    items = [3, 4, 5]
print(Registry.classes, list(Base), list(Child), len(Child), Child.describe(), type(Child).__name__)
print(isinstance(Child, Registry), isinstance(Child, type), Child().items)
class Singleton(type):
    _instances = {}
    def __call__(cls, *args, **kwargs):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]
class Config(metaclass=Singleton):
    def __init__(self, v):
        self.v = v
a = Config(1)
b = Config(2)
print(a is b, a.v, b.v)
class Plain(type):
    pass
class P(metaclass=Plain):
    x = 5
print(P.x, type(P).__name__, P.__name__, repr(P).startswith("<class"))
class WithInit(type):
    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        cls.tag = name.lower()
class T(metaclass=WithInit):
    pass
print(T.tag)
class Kw:
    def __init_subclass__(cls, flavor="plain", **kw):
        cls.flavor = flavor
class Sweet(Kw, flavor="sweet"):
    pass
print(Sweet.flavor)
