# A Python class's `__weakref__` (what dir() lists): a descriptor on the class, None
# on an instance nothing refers to weakly; absent with __slots__ lacking it.
import typing

class C:
    pass

print(C.__weakref__, C().__weakref__)
print(type(C.__weakref__).__name__, C.__weakref__.__name__)

class S:
    __slots__ = ('a',)

class W:
    __slots__ = ('a', '__weakref__')

print(hasattr(S, '__weakref__'), hasattr(S(), '__weakref__'), hasattr(W, '__weakref__'))

@typing.no_type_check
class NTC:
    def meth(self, param: complex) -> None:
        ...

print(typing.get_type_hints(NTC.meth))
print([n for n in dir(C) if getattr(C, n, 'missing') == 'missing'])
