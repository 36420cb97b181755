import copyreg
class A:
    def __init__(self): self.x = 1
a = A()
r = a.__reduce_ex__(2)
print(r[0].__name__, r[1][0].__name__, r[2], r[3], r[4])
print(A.__reduce_ex__(a, 4)[2])
class S:
    __slots__ = ('p', 'q')
s = S(); s.p = 5
print(s.__reduce_ex__(2)[2])
class L(list): pass
l = L([1, 2]); l.z = 3
r = l.__reduce_ex__(2); print(r[2], list(r[3]), r[4])
class D(dict): pass
r = D(a=1).__reduce_ex__(2); print(r[2], r[3], list(r[4]))
print(object().__getstate__(), A().__getstate__())
class R:
    def __reduce__(self): return (R, ())
print(R().__reduce_ex__(2))
print(a.__reduce_ex__(1)[0].__name__)
