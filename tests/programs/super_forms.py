# super() in its forms: zero-argument, two-argument, unbound (one argument) with
# __get__, subclasses of super, supercheck through __class__, members, repr, errors;
# the __classcell__ protocol between the class body, type.__new__ and __build_class__;
# `global` classes keep a module-level __qualname__.


class A:
    def f(self):
        return "A.f"

    @classmethod
    def cm(cls):
        return "A.cm of " + cls.__name__


class B(A):
    def f(self):
        return "B.f>" + super().f()

    @classmethod
    def cm(cls):
        return "B.cm>" + super().cm()


class C(B):
    def f(self):
        return "C.f>" + super(B, self).f()


print(C().f(), B.cm(), C.cm())
s = super(B)
print(repr(s), s.__thisclass__ is B, s.__self__, s.__self_class__)
b = s.__get__(C())
print(repr(b), b.f(), b.__self_class__ is C, s.__get__(None, B) is s)
print(repr(super(B, C)), super(B, C).cm(), super(B, C()).__class__)


class mysuper(super):
    def __init__(self, *args):
        super(mysuper, self).__init__(*args)


print(type(mysuper(B, C())).__name__, mysuper(B, C()).f())


class Proxy:
    def __init__(self, target):
        self.target = target

    @property
    def __class__(self):
        return type(self.target)


print(super(A, Proxy(B())).__self_class__ is B)

for args in [(int, int, int), (1, int), (B, 1), (B, A)]:
    try:
        super(*args)
    except TypeError as e:
        print("TypeError:", e)
try:
    super(x=1)
except TypeError as e:
    print("TypeError:", e)


def outside():
    super()


try:
    outside()
except RuntimeError as e:
    print("RuntimeError:", e)


class X:
    def meth(self):
        super()


def make_cell():
    k = X()

    def g():
        return k

    return g.__closure__[0]


try:
    X.meth(make_cell())
except TypeError as e:
    print("TypeError:", e)

sp = super(float, 1.0)
for i in range(3):
    super.__init__(sp, int, i)
print(repr(sp))


class Meta(type):
    def __new__(mcls, name, bases, ns):
        print("classcell in ns:", "__classcell__" in ns)
        return super().__new__(mcls, name, bases, ns)


class WithRef(metaclass=Meta):
    def f(self):
        return __class__


class WithoutRef(metaclass=Meta):
    pass


print(WithRef().f() is WithRef, hasattr(WithRef, "__classcell__"))


class Dropper(type):
    def __new__(mcls, name, bases, ns):
        ns.pop("__classcell__", None)
        return super().__new__(mcls, name, bases, ns)


try:
    class Y(metaclass=Dropper):
        def f(self):
            return __class__
except RuntimeError as e:
    print("RuntimeError:", e)


class Replacer(type):
    def __new__(mcls, name, bases, ns, cell):
        ns["__classcell__"] = cell
        return super().__new__(mcls, name, bases, ns)


for bad in (None, 0):
    try:
        class Z(metaclass=Replacer, cell=bad):
            pass
    except TypeError as e:
        print("TypeError:", e)


class Wrong(type):
    def __new__(mcls, name, bases, ns):
        cls = super().__new__(mcls, name, bases, ns)
        type("Other", (), ns)
        return cls


try:
    class W(metaclass=Wrong):
        def f(self):
            return __class__
except TypeError as e:
    print("TypeError:", str(e).split(" defining")[0])


def make_global():
    global Glob

    class Glob:
        def m(self):
            pass

    return Glob


G = make_global()
print(G.__qualname__, G.m.__qualname__)
