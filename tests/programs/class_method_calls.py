# Calls through a class (`C.f(x)`, `C.create()`, `C.helper()`): plain functions,
# staticmethods and classmethods, inherited, overridden, rebound on the class or a
# base mid-loop, a staticmethod re-initialized, and classes with a metaclass.
class Base:
    @staticmethod
    def s(x):
        return x + 1

    @classmethod
    def c(cls, x):
        return (cls.__name__, x)

    def f(x):
        return x * 2


class Derived(Base):
    pass


class Meta(type):
    def mm(cls):
        return "meta"


class WithMeta(metaclass=Meta):
    @staticmethod
    def s():
        return "static"


def loop(n):
    t = 0
    names = set()
    for i in range(n):
        t += Base.s(i) + Derived.s(i) + Base.f(i)
        names.add(Derived.c(i)[0])
        names.add(Base.c(i)[0])
        if i == n // 2:
            Base.s = staticmethod(lambda x: -x)
        if i == n - 10:
            Derived.f = lambda x: 0
    return t, sorted(names), Derived.f(3)


print(loop(400))

sm = staticmethod(lambda: "first")


class Holder:
    pass


Holder.g = sm


def reinit(n):
    out = []
    for i in range(n):
        out.append(Holder.g())
        if i == 200:
            sm.__init__(lambda: "second")
    return out.count("first"), out.count("second")


print(reinit(300))
print([WithMeta.s() for _ in range(100)][-1], WithMeta.mm())
try:
    for i in range(100):
        Base.missing()
except AttributeError as e:
    print("AttributeError:", e)
print(type.mro(Derived)[0].__name__, Derived.mro()[1].__name__)
