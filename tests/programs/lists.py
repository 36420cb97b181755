# list operations and methods.
a = [3, 1, 4, 1, 5, 9, 2, 6]
a.append(5)
a.extend([3, 5])
a.insert(0, 0)
a.insert(-1, 8)
print(a, len(a))
print(a.pop(), a.pop(0), a.pop(2), a)
a.remove(1)
print(a, a.index(5), a.count(5), 9 in a)
a.sort()
print(a)
a.sort(reverse=True)
print(a)
a.reverse()
print(a)
b = a.copy()
b.clear()
print(a, b)
print(sorted(["pear", "Apple", "fig"], key=str.lower), sorted([3, 1, 2], reverse=True))
print(sorted([(1, "b"), (0, "z"), (1, "a")]), sorted(["bb", "a", "ccc"], key=len))
m = [[0] * 3 for _ in range(3)]
m[1][1] = 5
print(m)
print([1, 2] + [3], [0] * 4, [1, 2] * 0, list(range(5)), list("hi"))
c = [1, 2, 3, 4, 5, 6]
print(c[1:4], c[:-2], c[::2], c[::-1], c[4:1:-1], c[-100:100])
c[1:3] = ["a", "b", "c"]
print(c)
c[::2] = [0, 0, 0, 0]
print(c)
del c[0]
del c[1:3]
print(c)
c[:] = []
print(c)
x = [5]
x += [6, 7]
x *= 2
print(x, min(x), max(x), sum(x))
words = "the quick brown fox".split()
print([w.upper() for w in words if len(w) > 3], [len(w) for w in words])
print(list(enumerate(words, 1)), list(zip(words, range(10))))
nested = [[1, 2], [3], []]
print([y for xs in nested for y in xs])
s = [5, 3, 8]
s.sort(key=lambda v: -v)
print(s, list(reversed(s)))
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
try:
    [1, 2][5]
except IndexError as e:
    print("IndexError:", e)
