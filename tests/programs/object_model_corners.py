# Object-model corners as CPython 3.11 has them: object.__new__/__init__ excess
# arguments, __delattr__ on builtin types, read-only class attributes of slotted
# instances, non-str attribute names, __divmod__, bound-method and slice equality,
# property-valued special methods, class-body __class__, int/float __eq__/__ne__.


def err(f, *args):
    try:
        r = f(*args)
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "ok %r" % (r,)


class C:
    pass


class D:
    def __new__(cls, *args, **kwargs):
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class E:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


print(err(C, 42))
print(err(C.__new__, C, 42))
print(err(lambda: C().__init__(42)))
print(err(object.__new__, C, 42))
print(err(D, 42))
print(err(lambda: E().__init__(42)))
print(err(object.__delattr__, str, "lower"))
print(err(setattr, str, "foo", 1))
print(hasattr(str, "lower"))


class B:
    y = 0
    __slots__ = ("z",)


def delete_y():
    del B().y


def set_y():
    B().y = 1


print(err(delete_y))
print(err(set_y))
print(err(type.__setattr__, C, b"x", None))
print(err(type.__getattribute__, list, type))
print(object.__getattribute__(object, "__bases__"), object.__getattribute__(int, "__bases__"))


class A:
    name = "a"

    def __add__(self, other):
        return "add"

    def __divmod__(self, other):
        return ("divmod", other)

    def __rdivmod__(self, other):
        return ("rdivmod", other)


print(divmod(A(), 1), divmod(1, A()), divmod(7, 2), divmod(7.5, 2))
print(err(divmod, "a", 1))
x = None
try:
    x **= 2
except TypeError as e:
    print(e)


class M:
    def f(self):
        pass


a1, a2 = M(), M()
print(a1.f == a1.f, a1.f != a1.f, a1.f == a2.f, hash(a1.f) == hash(a1.f))
lst = []
print(lst.append == lst.append, [].append == [].append, [a1.f] == [a1.f])
print(slice(1, 2) == slice(1, 2), [slice(None, 3)] == [slice(None, 3)], slice(1, 2) < slice(1, 3))


def booh(self):
    raise AttributeError("booh")


class PropEq:
    __eq__ = property(booh)


print(PropEq() == PropEq())


class PropInit:
    __init__ = property(booh)


print(err(PropInit))


class Shadow:
    __class__ = 413

    def f(self):
        return __class__


print(Shadow().__class__, Shadow().f() is Shadow)


class Plain:
    pass


class Sub(Plain):
    pass


class L(list):
    pass


class Ex(Exception):
    pass


class Slotted:
    __slots__ = ()


p = Plain()
p.v = 1
print(vars(p), p.__dict__["v"])
print(int.__ne__(1, 2), int.__eq__(1, 1), float.__eq__(1.0, 1.0), float.__ne__(1.0, 2.0))
print(complex.__eq__(1j, 1j), str.__ne__("a", "b"), int.__eq__(1, "a"))
print(err(float, type("F", (), {"__float__": lambda self: None})()))
