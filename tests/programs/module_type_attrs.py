# Module attributes the module type provides (m.__init__, m.__class__, m.__dir__),
# module subclasses with methods, properties and __setattr__, PEP 562 __getattr__,
# __annotations__ of modules and classes (a class's own, never a base's).
import sys, types
class M(types.ModuleType):
    @property
    def p(self): return 42
    def meth(self): return "meth " + self.__name__
    x = 5
mm = M("mm")
print(mm.p, mm.meth(), mm.x)
print(mm.__init__.__name__, sys.modules[__name__].__init__.__qualname__)
mm.x = 9
print(mm.x, M.x)
print(mm.__class__, mm.__dict__ is vars(mm))
def ga(n): return "GA:" + n
mm.__getattr__ = ga
print(mm.zz)
m = types.ModuleType("plain")
m.__getattr__ = ga
print(m.zz, m.__class__, m.__annotations__)
print(m.__init__.__name__, m.__dir__.__name__)
class N(types.ModuleType):
    def __setattr__(self, k, v):
        print("set", k); super().__setattr__(k, v)
    @property
    def q(self): return self.__dict__.get("_q", 0)
    @q.setter
    def q(self, v): self.__dict__["_q"] = v * 2
n = N("n")
n.a = 1
n.q = 5
print(n.q, n.a, sorted(k for k in vars(n) if not k.startswith("__")))
m2 = M("m2")
m2.__class__ = N
print(type(m2).__name__, m2.q)
m2.__class__ = M
print(type(m2).__name__, m2.p)
try:
    m2.__class__ = int
except TypeError as e:
    print(e)
print(sys.modules[__name__].__class__.__name__, callable(sys.modules[__name__].__dir__))
print(type(types).__ne__(types, sys))
from typing import ClassVar, get_type_hints
class A:
    x: ClassVar[int] = 1
    y: int
class B(A):
    pass
class C(A):
    z: str
print(A.__annotations__)
print(B.__annotations__)
print('__annotations__' in B.__dict__)
print(C.__annotations__)
B.__annotations__["q"] = 1
print(A.__annotations__, B.__annotations__)
del B.__annotations__
print('__annotations__' in B.__dict__)
print(B.__annotations__)
try:
    del B.__annotations__
    del B.__annotations__
except AttributeError as e:
    print("AE", e)
print(int.__dict__.get('__annotations__'))
try:
    print(int.__annotations__)
except AttributeError as e:
    print("AE", e)
class D:
    __annotations__ = 5
print(D.__annotations__)
print(D().__annotations__)
print(C().__annotations__)
print(B().__annotations__)
print(get_type_hints(C))
print(get_type_hints(B))
def ann_mro(cls):
    return [sorted(k.__annotations__) for k in cls.__mro__ if k is not object]
print(ann_mro(C))
