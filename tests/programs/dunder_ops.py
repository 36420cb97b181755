# Operator overloading with dunder methods.
class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"Vec({self.x}, {self.y})"
    def __str__(self):
        return f"<{self.x}, {self.y}>"
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __rmul__(self, k):
        return self * k
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5
    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)
    def __hash__(self):
        return hash((self.x, self.y))
    def __lt__(self, o):
        return abs(self) < abs(o)
    def __bool__(self):
        return bool(self.x or self.y)
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return (self.x, self.y)[i]
    def __iter__(self):
        yield self.x
        yield self.y
    def __contains__(self, v):
        return v in (self.x, self.y)
    def __call__(self, k):
        return self * k
    def __iadd__(self, o):
        self.x += o.x
        self.y += o.y
        return self

a = Vec(1, 2)
b = Vec(3, 4)
print(a + b, a - b, a * 3, 3 * a, -a, abs(b), a == Vec(1, 2), a != b, a < b, b > a)
print(repr(a), str(a), [a, b], f"{a}", bool(Vec(0, 0)), bool(a), len(a), a[1], list(a), 2 in a, 5 in a)
print(a(10), sorted([b, a]), max([a, b]), {a: "first"}[Vec(1, 2)], {a, Vec(1, 2)})
c = a
c += b
print(c, a, c is a)
x, y = b
print(x, y)
class Matrix:
    def __init__(self):
        self.data = {}
    def __setitem__(self, k, v):
        self.data[k] = v
    def __getitem__(self, k):
        return self.data.get(k, 0)
    def __delitem__(self, k):
        del self.data[k]
m = Matrix()
m[1, 2] = 5
print(m[1, 2], m[0, 0])
del m[1, 2]
print(m.data)
class Num:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        if isinstance(o, Num):
            return Num(self.v + o.v)
        return NotImplemented
    def __radd__(self, o):
        return Num(o + self.v)
    def __repr__(self):
        return f"Num({self.v})"
print(Num(1) + Num(2), 5 + Num(1), sum([Num(1), Num(2)], Num(0)))
try:
    Num(1) + "s"
except TypeError as e:
    print("TypeError:", e)
try:
    Vec(1, 1) < 5
except TypeError as e:
    print("TypeError:", e)
class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return i * 10
print(list(Seq()), 20 in Seq())
