# Python subclasses of classmethod, staticmethod and property.


class abstractclassmethod(classmethod):
    """As abc.py writes it."""
    __isabstractmethod__ = True

    def __init__(self, callable):
        callable.__isabstractmethod__ = True
        super().__init__(callable)


class A:
    @abstractclassmethod
    def make(cls):
        return cls.__name__

    @classmethod
    def plain(cls):
        return "plain " + cls.__name__


class B(A):
    pass


print(A.make(), B.make(), B().make(), A.plain())
cm = A.__dict__["make"]
print(type(cm).__name__, isinstance(cm, classmethod), cm.__isabstractmethod__)
print(cm.__func__.__name__, cm.__func__.__isabstractmethod__)


class tracing_classmethod(classmethod):
    def __get__(self, obj, owner=None):
        print("  get on", owner.__name__, "with instance" if obj is not None else "from class")
        return super().__get__(obj, owner)


class C:
    @tracing_classmethod
    def who(cls):
        return cls.__name__


print(C.who())
print(C().who())


class counting_staticmethod(staticmethod):
    calls = 0


class D:
    @counting_staticmethod
    def add(a, b):
        return a + b


print(D.add(1, 2), D().add(3, 4), isinstance(D.__dict__["add"], staticmethod))
print(type(D.__dict__["add"]).__name__, D.__dict__["add"].__func__.__name__)


class typed_property(property):
    def __init__(self, fget=None, fset=None, fdel=None, doc=None, kind=object):
        super().__init__(fget, fset, fdel, doc)
        self.kind = kind


class E:
    def __init__(self):
        self._v = 0

    @typed_property
    def v(self):
        "the value"
        return self._v

    @v.setter
    def v(self, x):
        print("  setting", x)
        self._v = x

    @v.deleter
    def v(self):
        print("  deleting")
        self._v = None


e = E()
e.v = 5
print(e.v, type(E.__dict__["v"]).__name__, E.v.kind.__name__, E.v.__doc__)
del e.v
print(e.v)
print(E.v.fget.__name__, E.v.fset.__name__, E.v.fdel.__name__)


class logged_property(property):
    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return ("logged", super().__get__(obj, owner))

    def __set__(self, obj, value):
        print("  logged set", value)
        super().__set__(obj, value)


class F:
    @logged_property
    def x(self):
        return 42

    @x.setter
    def x(self, v):
        self.stored = v


f = F()
print(f.x, type(F.x).__name__)
f.x = 7
print(f.stored)


class G:
    @property
    def ro(self):
        return 1

    @typed_property
    def ro2(self):
        return 2


g = G()
for name in ("ro", "ro2"):
    try:
        setattr(g, name, 3)
    except AttributeError as exc:
        print("AttributeError:", exc)
    try:
        delattr(g, name)
    except AttributeError as exc:
        print("AttributeError:", exc)

# The builtin descriptors called directly.
sm = staticmethod(len)
print(sm.__func__ is len, sm.__get__(None, int) is len)
bound = classmethod(lambda c: c.__name__).__get__(None, int)
print(bound())
print(classmethod(lambda c: c.__name__).__get__(3)())
p = property(lambda self: "got")
print(p.__get__(None, int) is p, p.__get__(1))
for bad in ((), (1, 2)):
    for kind in (classmethod, staticmethod):
        try:
            kind(*bad)
        except TypeError as exc:
            print("TypeError:", exc)


class Abstract:
    @property
    def plain(self):
        return 1

    def concrete(self):
        return 1


def marked(f):
    f.__isabstractmethod__ = True
    return f


print(property(marked(lambda s: 1)).__isabstractmethod__, Abstract.plain.__isabstractmethod__)
print(staticmethod(marked(lambda: 1)).__isabstractmethod__, classmethod(len).__isabstractmethod__)
