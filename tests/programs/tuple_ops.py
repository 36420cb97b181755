t = (3, 1, 4, 1, 5)
print(len(t), t[2], t[-1], t[1:3], sorted(t), t.count(1), t.index(4), min(t), max(t), sum(t))
print(t + (9, 2), t * 2, (0,) * 3, tuple(reversed(t)), (1, 2) == (1, 2), (1, 2) < (1, 3), (2,) > (1, 9))
nested = ((1, 2), (3, (4, 5)))
print(nested[1][1][0], len(nested), nested[1])
a, (b, (c, d)) = nested
print(a, b, c, d)
coords = [(1, 2), (3, 4), (5, 6)]
xs, ys = zip(*coords)
print(xs, ys, list(zip(xs, ys)) == coords)
print(tuple(x * 2 for x in t), tuple(), tuple([]), (1,) + (), type(()).__name__)
def minmax(seq):
    return min(seq), max(seq)
lo, hi = minmax([4, 8, 1])
print(lo, hi)
d = {(0, 0): "origin", (1, 0): "east"}
print(d[(0, 0)], d[1, 0], (0, 0) in d)
try:
    t[0] = 1
except TypeError as e:
    print("TypeError:", e)
print(hash((1, "a", 2.5)) == hash((1, "a", 2.5)), (1, 2, 3)[::-1])
