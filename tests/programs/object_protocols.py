class Box:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        return self.v < o.v
    def __le__(self, o):
        return self.v <= o.v
    def __gt__(self, o):
        return self.v > o.v
    def __ge__(self, o):
        return self.v >= o.v
    def __repr__(self):
        return f"Box({self.v})"
boxes = [Box(3), Box(1), Box(2)]
print(sorted(boxes), min(boxes), max(boxes), Box(1) <= Box(1), Box(2) >= Box(3))
class Truthy:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
print(bool(Truthy(0)), bool(Truthy(2)), not Truthy(0), "yes" if Truthy(1) else "no")
class Idx:
    def __index__(self):
        return 2
print([10, 20, 30][Idx()], "abc"[Idx()], list(range(5))[Idx():])
class Num:
    def __init__(self, v):
        self.v = v
    def __int__(self):
        return int(self.v)
    def __float__(self):
        return float(self.v)
    def __abs__(self):
        return Num(abs(self.v))
    def __round__(self, n=None):
        return round(self.v, n) if n is not None else round(self.v)
    def __repr__(self):
        return f"Num({self.v})"
n = Num(-2.7)
print(int(n), float(n), abs(n), round(n), round(n, 1))
class Getattr:
    def __init__(self):
        self.real = 1
    def __getattr__(self, name):
        return f"dynamic:{name}"
g = Getattr()
print(g.real, g.anything, getattr(g, "other"), hasattr(g, "x"))
class Setattr:
    def __setattr__(self, name, value):
        object.__setattr__(self, name, value * 2)
s = Setattr()
s.x = 5
print(s.x, s.__dict__)
class Called:
    def __init__(self):
        self.calls = 0
    def __call__(self, *a, **k):
        self.calls += 1
        return a, k
c = Called()
print(c(1, x=2), c(), c.calls, callable(c))
class Ctr:
    def __contains__(self, x):
        return x % 2 == 0
print(4 in Ctr(), 3 in Ctr(), 3 not in Ctr())
class Fmt:
    def __format__(self, spec):
        return f"Fmt[{spec}]"
print(f"{Fmt():>10}", format(Fmt(), "x"), "{:abc}".format(Fmt()))
class Eq:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return isinstance(o, Eq) and o.v == self.v
print(Eq(1) == Eq(1), Eq(1) != Eq(1), Eq(1) == 1, [Eq(2)].count(Eq(2)), Eq(3) in [Eq(3)], [Eq(1)].index(Eq(1)))
