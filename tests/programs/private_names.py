# Private name mangling: __x inside a class means _Class__x.
class A:
    __count = 0
    def __init__(self):
        self.__x = 1
        A.__count += 1
    def get(self):
        return self.__x, A.__count, self.__helper()
    def __helper(self):
        return "helper"
    @classmethod
    def count(cls):
        return cls.__count

class _B(A):
    def __init__(self):
        super().__init__()
        self.__x = 2          # a different attribute from A's
    def both(self):
        return self._A__x, self.__x

b = _B()
print(sorted(vars(b)), b.get(), b.both(), A.count(), A._A__count)
print(hasattr(b, "__x"), hasattr(A, "__helper"), hasattr(A, "_A__helper"))

class __Under:
    __v = 1          # class name of underscores only: no mangling prefix change
print([n for n in vars(__Under) if "v" in n])

class C:
    def f(self, __arg=3):
        __local = __arg + 1
        return __local
    def g(self):
        import os.path as __p
        return __p.join("a", "b")
    def h(self):
        def inner():
            return self.__secret
        self.__secret = "inner sees it"
        return inner()
    __dunder__ = "not mangled"
print(C().f(), C().g(), C().h(), C.__dunder__, sorted(n for n in vars(C) if not n.startswith("__")))

try:
    class D:
        def m(self):
            return self.__missing
    D().m()
except AttributeError as e:
    print("AttributeError:", e)

class E:
    __slots__ = ("__s",)
    def __init__(self):
        self.__s = 5
print(E()._E__s, E.__slots__)

def outside(obj):
    return obj._A__x
print(outside(A()))
