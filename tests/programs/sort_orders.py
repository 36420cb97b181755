# list.sort / sorted: every key order the sort picks (small ints, floats, strs, tuples,
# the rich comparison), stability, reverse, errors, and mutation during the sort.
import random
from functools import cmp_to_key

random.seed(7)

ints = [random.randrange(-50, 50) for _ in range(300)]
print(sorted(ints)[:10], sorted(ints, reverse=True)[:10])
big = [10**20 + i for i in range(5)] + [-(10**30), 3, -2]
print(sorted(big))
floats = [random.random() * 100 - 50 for _ in range(200)]
assert sorted(floats) == sorted(floats, key=lambda x: x)
print(sorted([1.5, -0.0, 0.0, float("inf"), -3.25, float("-inf")]))
nan = float("nan")
print(sorted([3.0, nan, 1.0, 2.0]))  # NaN breaks the order, as in CPython
print(sorted([True, False, 1, 0, -1, 2.5]))
strs = ["b", "a", "é", "ä", "ab", "", "Z", "z", "日本", "aa"]
print(sorted(strs), sorted(strs, reverse=True))
print(sorted(strs, key=len))  # stable among equal lengths
print(sorted(strs, key=len, reverse=True))  # still stable
words = "The quick Brown fox Jumped over The lazy Dog".split()
print(sorted(words, key=str.lower))

# Tuples: first items of one scalar kind, of mixed kinds, empty tuples, and ties
# decided by later items (including ones that are not scalars).
pairs = [(random.randrange(5), random.randrange(100)) for _ in range(100)]
print(sorted(pairs)[:8])
print(sorted([(1, "b"), (1.0, "a"), (0, "z"), (), (True, "c")]))
print(sorted([(2, [2]), (2, [1]), (1.5, [0])]))
print(sorted([("x", 2), ("x", 1), ("a", 9), ("x",)]))
print(sorted([(nan, 2), (nan, 1)]) == [(nan, 2), (nan, 1)])
same_nan = (nan, 2), (nan, 1)
print([t[1] for t in sorted([(nan, 2), (nan, 1)])])
n2 = float("nan")
print([t[1] for t in sorted([(n2, 2), (n2, 1)])])  # the same NaN object: equal

# Lists compare item by item, then by length.
lists = [[3], [1, 2], [1], [], [1, 2, 0], [2, "x"]]
print(sorted(lists))
print([1, 2] < [1, 2, 3], [2] > [1, 9], [1, [2]] == [1, [2]], [[1]] < [[1, 0]])

# Stability over many ties, with reverse.
recs = [(i % 4, i) for i in range(40)]
print(sorted(recs, key=lambda r: r[0])[:6])
print(sorted(recs, key=lambda r: r[0], reverse=True)[:6])

# Already sorted and reversed runs.
print(sorted(range(1000)) == list(range(1000)), sorted(range(1000, 0, -1))[:3])


class V:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        return self.v < other.v

    def __repr__(self):
        return f"V({self.v})"


print(sorted([V(3), V(1), V(2)]))
print(sorted([3, 1, 2], key=lambda x: V(-x)))

# Errors: the list is left as it was.
data = [3, 1, "a", 2]
try:
    data.sort()
except TypeError as e:
    print("TypeError:", e)
print(data)


def bad_key(x):
    if x == 2:
        raise KeyError(x)
    return x


data = [5, 4, 3, 2, 1]
try:
    data.sort(key=bad_key)
except KeyError as e:
    print("KeyError", e, data)


class Boom:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        if self.v == 7 or other.v == 7:
            raise ValueError("boom")
        return self.v < other.v


items = [Boom(i) for i in [9, 3, 7, 1, 5]]
try:
    items.sort()
except ValueError as e:
    print("ValueError", e, [b.v for b in items])

# A comparison that changes the list being sorted.
for i in range(3):
    def mutating_cmp(x, y):
        L.append(3)
        L.pop()
        return (x > y) - (x < y)

    L = [1, 2]
    try:
        L.sort(key=cmp_to_key(mutating_cmp))
    except ValueError as e:
        print("ValueError:", e)

L = [3, 1, 2]
L.sort(key=lambda x: len(L))
print(L)
print(sorted([5]), sorted([], reverse=True), sorted([2, 1], key=None))
print(sorted({"b": 1, "a": 2}), sorted("hello"), sorted((3, 1, 2), reverse=True))
print(min([(2, 1), (1, 5), (1, 2)]), max([[1], [1, 0], [0, 9]]))
