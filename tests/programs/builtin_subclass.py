class Stack(list):
    def push(self, x):
        self.append(x)
    def peek(self):
        return self[-1]
s = Stack([1, 2])
s.push(3)
print(s, len(s), s.peek(), isinstance(s, list), type(s).__name__, s[0], list(s), sum(s))
s.name = "mystack"
print(s.name, s.__dict__)
class Default(dict):
    def __missing__(self, key):
        return key.upper()
d = Default(a=1)
print(d["a"], d["zz"], d, len(d), "a" in d, isinstance(d, dict))
class Logged(dict):
    def __setitem__(self, k, v):
        print("set", k, v)
        super().__setitem__(k, v)
    def __getitem__(self, k):
        return super().__getitem__(k) * 10
l = Logged()
l["x"] = 5
print(l["x"], dict(l), l)
class Point(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))
    @property
    def x(self):
        return self[0]
    def __repr__(self):
        return f"Point{tuple(self)}"
p = Point(1, 2)
print(p, p.x, p[1], isinstance(p, tuple), p == (1, 2), hash(p) == hash((1, 2)), len(p))
a, b = p
print(a, b)
class Meters(int):
    def __repr__(self):
        return f"{int(self)}m"
m = Meters(5)
print(m, m + 3, isinstance(m, int), m * 2, str(m), repr(m))
class Upper(str):
    def shout(self):
        return self.upper() + "!"
u = Upper("hi")
print(u, u.shout(), u + "x", len(u), isinstance(u, str), u == "hi")
class Tags(set):
    pass
t = Tags([3, 1])
t.add(2)
print(sorted(t), len(t), 3 in t)
class Counted(list):
    def __init__(self, items):
        super().__init__(items)
        self.count_ = len(items)
c = Counted([1, 2, 3])
print(c, c.count_)
class Ordered(dict):
    def __iter__(self):
        return iter(sorted(super().__iter__()))
o = Ordered(b=1, a=2)
print(list(o), [k for k in o])
