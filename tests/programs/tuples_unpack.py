# Tuples, packing and unpacking (also starred and nested).
t = (1, 2, 3)
a, b, c = t
print(a, b, c, t[1], t[-1], t[:2], len(t), t + (4,), t * 2, (1,), ())
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "abcd"
print(init, last)
p, *mid, q = range(6)
print(p, mid, q)
(x, y), z = (1, 2), 3
print(x, y, z)
for i, (k, v) in enumerate([("a", 1), ("b", 2)]):
    print(i, k, v)
x, y = y, x
print(x, y)
print(t.index(2), t.count(3), (1, 2) < (1, 3), hash((1, 2)) == hash((1, 2)))
print(tuple([1, 2]), tuple("ab"), (1, [2, 3]))
def f():
    return 1, "two"
n, s = f()
print(n, s, f())
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b, c = [1]
except ValueError as e:
    print("ValueError:", e)
try:
    a, *b, c = [1]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b = 5
except TypeError as e:
    print("TypeError:", e)
print([*range(3), *"ab"], (*[1, 2], 3), {*[1, 1, 2]})
