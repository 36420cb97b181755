# enumerate and zip over builtin iterators (advanced without Python code) and over
# iterators that run Python code, with their edge cases.
import sys

a = [10, 20, 30]
print(list(enumerate(a)), list(enumerate(a, 5)), list(enumerate(a, -2)))
print(list(enumerate(a, sys.maxsize - 1)))  # the counter leaves the small ints
print(list(enumerate(a, 2**70))[:2])
print(list(enumerate(range(3), start=True)))
print(list(zip(a, "xyz", (1.5, 2.5))), list(zip()), list(zip(a)))
print(list(zip(a, range(10))), list(zip(range(10), a)))
print(list(zip(a, iter([]))))


def gen():
    yield "g1"
    yield "g2"


print(list(zip(a, gen())), list(zip(gen(), a)), list(enumerate(gen())))

# A list that grows while enumerated / zipped is read afresh each time.
grow = [1, 2]
for i, x in enumerate(grow):
    if i < 3:
        grow.append(x * 10)
print(grow)

# Items of an earlier iterator are consumed when a later one ends (as in CPython).
it1 = iter([1, 2, 3, 4])
print(list(zip(it1, [9])), next(it1))

# enumerate/zip keep asking an iterator that ended: one that resumes is seen again.
class Flaky:
    def __init__(self):
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.n += 1
        if self.n == 2:
            raise StopIteration
        return self.n


e = enumerate(Flaky())
print(next(e), next(e, "end"), next(e))
z = zip(Flaky(), [7, 8, 9])
print(next(z), next(z, "end"), next(z))

# strict zip.
try:
    list(zip([1, 2], [3], strict=True))
except ValueError as err:
    print("ValueError:", err)
try:
    list(zip([1], [3, 4], [5], strict=True))
except ValueError as err:
    print("ValueError:", err)
print(list(zip([1, 2], (3, 4), strict=True)))

# Nested: enumerate of zip of enumerate.
print(list(enumerate(zip(enumerate("ab"), range(100, 103)))))
z = zip([1, 2, 3], [4, 5, 6])
print(next(z), list(enumerate(z)))
d = {"k": 1, "j": 2}
print(list(zip(d, d.values())), list(enumerate(d.items())))
print(sum(i * x for i, x in enumerate(range(1000))))
print(dict(zip("abc", range(3))), [p for p in zip(*[[1, 2], [3, 4], [5, 6]])])
