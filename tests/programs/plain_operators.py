# Operators of plain Python classes (the builtin attempts are skipped for them):
# forward, reflected, NotImplemented fallbacks, subclass-first order, in-place forms,
# with ints, floats, None and other instances, in hot loops.
class V:
    def __init__(self, x):
        self.x = x
    def __add__(self, o):
        if isinstance(o, V):
            return V(self.x + o.x)
        if isinstance(o, (int, float)):
            return V(self.x + o)
        return NotImplemented
    def __radd__(self, o):
        return V(o + self.x) if isinstance(o, (int, float)) else NotImplemented
    def __mul__(self, o):
        return V(self.x * o) if isinstance(o, (int, float)) else NotImplemented
    __rmul__ = __mul__
    def __eq__(self, o):
        return isinstance(o, V) and self.x == o.x
    def __repr__(self):
        return "V(%r)" % (self.x,)

class W(V):
    def __radd__(self, o):
        return "W.__radd__ first"

class Plain:
    pass

class Idx:
    def __index__(self):
        return 2

def work(n):
    acc = V(0)
    s = 0
    for i in range(n):
        acc = acc + V(1)
        acc = acc + 1
        acc = 2 + acc
        acc = acc * 1
        acc = 1.0 * acc
        acc += 1
        s += (V(1) + W(2)) == V(3)
    return acc, s

print(work(100))
print(V(1) + W(2))
for a, b in [(V(1), None), (None, V(1)), (Plain(), Plain()), (V(1), Plain()), (1, Plain())]:
    try:
        print(a + b)
    except TypeError as e:
        print("TypeError:", e)
print([1, 2] * Idx(), Idx() * [3], "ab" * Idx())
try:
    Plain() * [1]
except TypeError as e:
    print("TypeError:", e)
def f(a, b=2, *args):
    return a, b, args
print(sorted([3, 1, 2], key=lambda v: -v), list(map(f, [1, 2])), list(map(lambda a, b: a * b, [1, 2], [3, 4])))
