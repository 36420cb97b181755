# Functions are descriptors; staticmethods are callable; FunctionType's attribute descriptors.
import types
def f(x=1):
    return x
print(hasattr(f, "__get__"), f.__get__(5)(), f.__get__(None, int) is f, staticmethod(f)(7))
print(type(types.FunctionType.__code__).__name__, type(types.FunctionType.__globals__).__name__)
print(types.FunctionType.__code__, types.FunctionType.__globals__)
print(types.FunctionType.__code__.__get__(f).co_name, types.FunctionType.__code__.__name__)
print(types.GetSetDescriptorType, types.MemberDescriptorType, types.GenericAlias, types.UnionType)
class A:
    @staticmethod
    def s(a):
        return a * 2
    def m(self):
        return "m"
bound = A.__dict__["m"].__get__(A(), A)
print(A.s(2), A().s(3), bound(), A.__dict__["s"](4), callable(A.__dict__["s"]))
print(types.MethodType(f, 9)(), isinstance(f.__get__(1), types.MethodType))
class Renamed:
    pass
Renamed.__name__ = "typing.re"
print(Renamed.__name__, Renamed.__qualname__)
