# The iterator protocol with __iter__/__next__.
class Countdown:
    def __init__(self, start):
        self.n = start
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
print(list(Countdown(5)), sum(Countdown(4)), max(Countdown(3)))
for v in Countdown(2):
    print("v", v)
class Bag:
    def __init__(self, *items):
        self.items = list(items)
    def __iter__(self):
        return iter(self.items)
    def __len__(self):
        return len(self.items)
    def __contains__(self, x):
        return x in self.items
b = Bag(3, 1, 2)
print(sorted(b), len(b), 2 in b, 5 in b, list(enumerate(b)), dict(zip(b, "abc")))
a, c, d = Bag(7, 8, 9)
print(a, c, d)
it = iter(Bag(1, 2))
print(next(it), next(it), next(it, None))
class Sentinel:
    def __init__(self):
        self.i = 0
    def __call__(self):
        self.i += 1
        return self.i
print(list(iter(Sentinel(), 4)))
try:
    iter(5)
except TypeError as e:
    print("TypeError:", e)
try:
    next([1])
except TypeError as e:
    print("TypeError:", e)
