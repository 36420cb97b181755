"""A small demo: classes, generators, closures and formatting."""


class Shape:
    def area(self):
        raise NotImplementedError


class Rect(Shape):
    def __init__(self, w, h):
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h

    def __repr__(self):
        return f"Rect({self.w}, {self.h})"


def primes():
    found = []
    n = 2
    while True:
        if all(n % p for p in found):
            found.append(n)
            yield n
        n += 1


shapes = [Rect(i, i + 1) for i in range(1, 5)]
print("shapes:", shapes)
print("total area:", sum(s.area() for s in shapes))
gen = primes()
print("first primes:", [next(gen) for _ in range(10)])
print(f"2**100 = {2**100:,}")
