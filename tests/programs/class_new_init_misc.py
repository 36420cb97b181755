# `__new__` returning an instance of a subclass runs that subclass's `__init__`;
# a `__classcell__` slot keeps its member descriptor; object.__reduce__/__reduce_ex__
# argument checks; a metaclass's mro() sees the `__class__` cell and an incomplete
# class (CPython's test_descr / test_super).
import types


class C:
    def __new__(cls, arg):
        if isinstance(arg, str):
            return [1, 2, 3]
        elif isinstance(arg, int):
            return object.__new__(D)
        return object.__new__(cls)


class D(C):
    def __init__(self, arg):
        self.foo = arg


print(C("1"), D("1"), D(None).foo)
d = C(1)
print(type(d).__name__, d.foo)


class Meta(type):
    def __new__(cls, name, bases, namespace, attr):
        print(attr in namespace)
        return super().__new__(cls, name, bases, namespace)


class C1:
    def __init__(self):
        self.b = 42


class C2(C1, metaclass=Meta, attr="__classcell__"):
    __slots__ = ["__classcell__"]

    def __init__(self):
        super().__init__()


print(isinstance(C2.__dict__["__classcell__"], types.MemberDescriptorType))
c = C2()
print(c.b, hasattr(c, "__classcell__"))
c.__classcell__ = 42
print(c.__classcell__)

for f in (lambda: object().__reduce__(0), lambda: object().__reduce_ex__(),
          lambda: object().__reduce_ex__(None), lambda: object().__reduce_ex__(1)[0].__name__):
    try:
        print(f())
    except TypeError as e:
        print("TypeError:", e)

seen = []


class MroMeta(type):
    def mro(cls):
        if cls.__name__ == "A":
            seen.append(cls.__mro__)
            cls.__dict__["f"]()
            try:
                class X(cls):
                    pass
            except TypeError as e:
                seen.append(str(e))
            try:
                super(cls, cls).xxx
            except AttributeError as e:
                seen.append("AttributeError")
        return super().mro()


class A(metaclass=MroMeta):
    def f():
        seen.append(__class__.__name__)


print(seen, A.__mro__ == (A, object))


class Once(type):
    def mro(cls):
        del Once.mro
        return (A,)


try:
    class B(metaclass=Once):
        pass
except TypeError as e:
    print("TypeError:", e)


class SN:
    @staticmethod
    def __new__(*args):
        return args


class CN:
    @classmethod
    def __new__(*args):
        return args


class CN2(CN):
    pass


print(SN(1, 2)[1:], CN(1, 2)[2:], CN2(1)[0] is CN2, CN2(1)[1] is CN2)
