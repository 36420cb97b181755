# sets: operations, methods, ordering of small ints.
s = {3, 1, 2}
s.add(4)
s.add(1)
print(s, len(s), 2 in s, 9 in s)
s.discard(9)
s.remove(3)
print(s)
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(a | b, a & b, a - b, b - a, a ^ b)
print(a.union([9]), a.intersection(b, {4}), a.difference(b), a.symmetric_difference(b))
print({1, 2} <= {1, 2, 3}, {1, 2} < {1, 2}, a.issubset(a), a.issuperset({1}), a.isdisjoint({7}))
print(set("hello") == set("lohe"), sorted(set("mississippi")), set(), frozenset([1, 2]))
c = {x % 5 for x in range(20)}
print(c)
c |= {10}
c -= {0}
print(c, {i * 7 for i in range(10)})
fs = frozenset({1, 2})
print(fs | {3}, {fs: "ok"}[frozenset([2, 1])])
e = set()
e.update([5, 6], (7,))
print(e, e.pop() in {5, 6, 7}, len(e))
try:
    set().pop()
except KeyError as err:
    print("KeyError:", err)
try:
    {1}.remove(2)
except KeyError as err:
    print("KeyError:", err)
print({-1, -2, 100, 64, 8, 0})
