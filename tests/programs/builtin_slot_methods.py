# The builtin types' special methods as attributes (CPython's slot wrappers).
print(int.__add__(2, 3), int.__add__(2, 2.5), float.__radd__(2.5, 2), (5).__rsub__(7))
print(int.__lt__(1, 2), float.__ge__(1.0, 2), int.__lt__(1, "a"), object.__lt__(1, 2))
print(str.__add__("a", "b"), str.__mul__("ab", 3), "x".__rmul__(2), str.__mod__("%d!", 5))
print(list.__add__([1], [2]), tuple.__add__((1,), (2,)), list.__contains__([1, 2], 2))
print(str.__getitem__("hello", 1), "hello".__len__(), list(str.__iter__("ab")))
iskeyword = frozenset(["if", "else"]).__contains__
print(iskeyword("if"), iskeyword("x"))
print(set.__or__({1}, {2}), frozenset.__and__(frozenset({1, 2}), {2, 3}), set.__or__({1}, [2]))
print(dict.__or__({1: 2}, {3: 4}), range(10).__contains__(3), range(5).__len__())
print(int.__neg__(5), int.__invert__(5), float.__abs__(-2.5), int.__abs__(-3), complex.__abs__(3 + 4j))
print(int.__bool__(0), float.__bool__(0.5), int.__int__(True), float.__int__(2.9), int.__float__(3))

class D(dict):
    def __setitem__(self, k, v):
        dict.__setitem__(self, k, v * 2)
    def __delitem__(self, k):
        print("del", k)
        dict.__delitem__(self, k)
d = D()
d["a"] = 1
del d["a"]
print(d)

class L(list):
    def __iadd__(self, other):
        print("iadd", other)
        return super().__iadd__(other)
    def __contains__(self, x):
        return list.__contains__(self, x) or x == "any"
    def __reversed__(self):
        return list.__reversed__(self)
l = L([1])
l += [2]
print(l, "any" in l, 3 in l, list(reversed(l)))

class S(set):
    def __or__(self, other):
        return S(set.__or__(self, other))
print(sorted(S({1}) | {2}), type(S({1}) | {2}).__name__)

class N(int):
    def __add__(self, other):
        return N(int.__add__(self, other) + 100)
print(N(1) + 2, type(N(1) + 2).__name__)

import functools
@functools.total_ordering
class V:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
    def __lt__(self, o):
        return self.v < o.v
print(V(1) <= V(2), V(3) >= V(2), V(1) > V(2))
l2 = [3, 1, 2]
list.__iadd__(l2, [0])
list.__setitem__(l2, 0, 9)
list.__delitem__(l2, 1)
print(l2, list.__imul__([1], 2))
s2 = {1}
set.__ior__(s2, {5})
print(sorted(s2))
try:
    int.__add__(1)
except TypeError as e:
    print("TypeError", e)
