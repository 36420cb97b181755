# A class attribute named `__dict__` shadows the instance dict; `__dict__`
# assignment and deletion; `__class__` assignment between classes that differ in weak
# reference support or in the base their slots extend (CPython's
# compatible_for_assignment).
class C:
    pass


class Own:
    __dict__ = 5


c = C()
c.y = 2
print(c.__dict__, vars(c), Own().__dict__)
c.__dict__ = {"w": 1}
print(c.w, vars(c))
del c.__dict__
print(vars(c))
for bad in (None, [], 1):
    try:
        c.__dict__ = bad
    except TypeError as e:
        print("TypeError:", e)


class J:
    __slots__ = ["c", "b"]


class N(J):
    __slots__ = ["__weakref__"]


class Q(J):
    pass


class R(J):
    __slots__ = ["__dict__", "__weakref__"]


class G:
    __slots__ = ["a", "b"]


class H:
    __slots__ = ["b", "a"]


class L(H):
    __slots__ = ["e"]


class M(G):
    __slots__ = ["e"]


for a, b in ((J, N), (N, J), (Q, R), (R, Q), (G, H), (L, M), (M, L)):
    x = a()
    try:
        x.__class__ = b
        print("ok", type(x).__name__)
    except TypeError as e:
        print("TypeError:", e)
