# Assigning or deleting a class's attribute goes through its metaclass's Python
# `__setattr__` / `__delattr__` (enum's members are protected that way).
import enum


class M(type):
    def __setattr__(cls, k, v):
        print("M.__setattr__", k, v)
        super().__setattr__(k, v)

    def __delattr__(cls, k):
        print("M.__delattr__", k)
        super().__delattr__(k)


class K(metaclass=M):
    pass


K.x = 1
setattr(K, "y", 2)
print(K.x, K.y)
del K.x
print(hasattr(K, "x"))


class A(type):
    def __setattr__(cls, key, value):
        object.__setattr__(cls, key, value)


class B:
    pass


class C(B, A):
    pass


D = C("D", (object,), {})
try:
    D.test = True
except TypeError as e:
    print("TypeError:", e)


class E(enum.Enum):
    A = 1


try:
    E.A = 2
except AttributeError as e:
    print("AttributeError:", e)
try:
    del E.A
except AttributeError as e:
    print("AttributeError:", e)
E.other = 5
print(E.other, E.A)


class Bytesy:
    def __bytes__(self):
        return b"bytesy"


class Bad:
    def __bytes__(self):
        return "no"


print(bytes(Bytesy()))
try:
    bytes(Bad())
except TypeError as e:
    print("TypeError:", e)
l = []
print(l.__add__.__objclass__, hasattr(l.append, "__objclass__"))
