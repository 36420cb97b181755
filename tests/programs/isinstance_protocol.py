# isinstance/issubclass as CPython's abstract.c runs them: __class__ and __bases__
# emulation, tuples, metaclass hooks (and not class-level ones), errors.


class AbstractClass:
    def __init__(self, bases):
        self.bases = bases

    def getbases(self):
        return self.bases

    __bases__ = property(getbases)

    def __call__(self):
        return AbstractInstance(self)


class AbstractInstance:
    def __init__(self, klass):
        self.klass = klass

    def getclass(self):
        return self.klass

    __class__ = property(getclass)


AbstractSuper = AbstractClass(bases=())
AbstractChild = AbstractClass(bases=(AbstractSuper,))
AbstractGrand = AbstractClass(bases=(AbstractClass(()), AbstractChild))
print(isinstance(AbstractChild(), AbstractChild))
print(isinstance(AbstractChild(), AbstractSuper))
print(isinstance(AbstractSuper(), AbstractChild))
print(issubclass(AbstractChild, AbstractSuper), issubclass(AbstractSuper, AbstractChild))
print(issubclass(AbstractGrand, AbstractSuper))
print(issubclass(AbstractChild, (int, AbstractSuper)))


class Proxy:
    def __init__(self, target):
        self.target = target

    @property
    def __class__(self):
        return type(self.target)


print(isinstance(Proxy(3), int), isinstance(Proxy(3), str), isinstance(Proxy(3), Proxy))


class NotAClass:
    pass


for f, args in [(isinstance, (1, NotAClass())), (issubclass, (NotAClass(), int)),
                (issubclass, (int, NotAClass())), (issubclass, (1, (int,)))]:
    try:
        f(*args)
    except TypeError as e:
        print(f.__name__, "TypeError:", e)


class BadBases:
    @property
    def __bases__(self):
        raise RuntimeError("bases")


try:
    issubclass(BadBases(), int)
except RuntimeError as e:
    print("RuntimeError:", e)


class Meta(type):
    def __instancecheck__(cls, inst):
        return inst == 42

    def __subclasscheck__(cls, sub):
        return sub is bool


class M(metaclass=Meta):
    pass


print(isinstance(42, M), isinstance(41, M), issubclass(bool, M), issubclass(int, M))
print(type.__instancecheck__(M, 42), type.__subclasscheck__(int, bool))


class OnlyClassLevel:
    @classmethod
    def __instancecheck__(cls, inst):
        return True


print(isinstance(1, OnlyClassLevel))


class X:
    @property
    def __bases__(self):
        return (self, self, self)


try:
    issubclass(X(), int)
except RecursionError:
    print("RecursionError")

t = (int,)
for _ in range(20000):
    t = (t,)
try:
    isinstance(1, t)
except RecursionError:
    print("deep tuple: RecursionError")


class Foo:
    pass


Foo.__repr__ = Foo.__str__
for f in (str, repr):
    try:
        f(Foo())
    except RecursionError:
        print(f.__name__, "RecursionError")
print(isinstance(3, int | str), issubclass(bool, int | None))
