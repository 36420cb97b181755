import sys
import types

class A:
    x = 1
    def f(self): pass

class B(A):
    def __init__(self):
        self.y = 2

class WithDir:
    def __dir__(self):
        return ["zeta", "alpha", "alpha"]

print([n for n in dir(B()) if not n.startswith("__")])
print([n for n in dir(B) if not n.startswith("__")])
print(dir(WithDir()))
print("mro" in dir(type))
m = types.ModuleType("m")
m.b = 1
m.a = 2
print(dir(m))
m.__dir__ = lambda: ["custom"]
print(dir(m))
print("f" in object.__dir__(B()), type(object.__dir__(B())).__name__)
print([n for n in type.__dir__(B) if not n.startswith("__")])
print("__len__" in dir([]), "append" in dir([]), "bit_length" in dir(1))
def g():
    a = 1; b = 2
    return dir()
print(g())
class Meta(type):
    def __dir__(cls):
        return ["from_meta"]
class C(metaclass=Meta):
    pass
print(dir(C))
try:
    dir(1, 2)
except TypeError as e:
    print(e)
class Bad:
    def __dir__(self):
        return 5
try:
    dir(Bad())
except TypeError as e:
    print(e)
