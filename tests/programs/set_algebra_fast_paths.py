# Set algebra between two sets: the walks done under both locks (int and str keys)
# and the general walks (keys whose __eq__ is Python code), with CPython's
# iteration order for each result; min and max one item at a time.

class Key:
    """Equal by value, hashed to a few buckets: probes must call __eq__."""
    calls = 0

    def __init__(self, v):
        self.v = v

    def __hash__(self):
        return self.v % 3

    def __eq__(self, other):
        Key.calls += 1
        return isinstance(other, Key) and self.v == other.v

    def __repr__(self):
        return f"K{self.v}"


big = frozenset(range(50))
small = frozenset([3, 7, 9, 12, 20, 77])
print(sorted(big - small)[:10], len(big - small))
print(list(big - small)[:12])  # copy-and-remove keeps big's layout
print(list(small - big), list(small & big), list(big & small))
print(small <= big, frozenset([3, 7]) <= big, small < big, big >= small, big > frozenset(range(50)))
print(set(range(5)) == frozenset(range(5)), frozenset(range(5)) != set(range(5)))
print(set([1, 2]) < frozenset([1, 2, 3]), frozenset([1, 2, 3]) >= set([3]))
words = {"alpha", "beta", "gamma", "delta"}
print(sorted(words - {"beta"}), sorted(words & {"gamma", "zeta"}), {"beta"} <= words)
print(list({1, 2, 3, 4, 5, 6, 7, 8, 9, 10} - {2, 4}), list({5, 6, 7} - {1, 2, 3, 4, 5, 6, 7, 8, 9}))

# Keys that need __eq__: the general walk, same answers.
ks = {Key(i) for i in range(10)}
sub = {Key(2), Key(5)}
print(sub <= ks, {Key(2), Key(11)} <= ks, sorted(k.v for k in ks - sub), sorted(k.v for k in ks & sub))
print(Key.calls > 0)
mixed = {1, 2, "x", Key(4)}
print(len(mixed - {1, Key(4)}), sorted(map(repr, mixed & {"x", Key(4), 9})))

# Removing many keys leaves deleted slots; the result is compacted as CPython's.
s = set(range(100))
t = frozenset(range(0, 100, 2))
print(list(s - t)[:8], len(s - t))
s -= t
print(list(s)[:8], len(s))

# Nested frozensets compare recursively, within the recursion limit.
a = frozenset()
b = frozenset()
for i in range(100):
    a = frozenset([a, i])
    b = frozenset([b, i])
print(a == b, a <= b)

# min and max: the first of equal items wins; max asks `>` of the new item first.
class V:
    def __init__(self, v, tag):
        self.v, self.tag = v, tag

    def __lt__(self, other):
        print("lt", self.tag, other.tag)
        return self.v < other.v

    def __gt__(self, other):
        print("gt", self.tag, other.tag)
        return self.v > other.v

print(max([V(1, "a"), V(3, "b"), V(3, "c")]).tag)
print(min([V(1, "a"), V(0, "b"), V(0, "c")]).tag)
print(min(b for b in range(5, 0, -1)), max("hello"), min([], default="empty"), max(3, 9, 4))
print(min(big), max(big), min(["b", "a", "c"], key=lambda s: -ord(s)))

def gen():
    for i in range(4):
        print("yield", i)
        yield i

print(max(gen(), key=lambda v: (print("key", v), -v)[1]))
try:
    min([])
except ValueError as e:
    print(e)
try:
    max(1, 2, default=0)
except TypeError as e:
    print(e)
try:
    min(1)
except TypeError as e:
    print(e)

# Two threads walking the same pair of sets in opposite roles take both locks in one
# order: no deadlock, and the answers are those of one thread.
import threading
x = set(range(0, 60, 2))
y = set(range(0, 60, 3))
out = []

def work(p, q):
    n = 0
    for _ in range(3000):
        n += (p <= q) + len(p - q) + len(p & q) + (p == q)
    out.append(n)

ts = [threading.Thread(target=work, args=(x, y)), threading.Thread(target=work, args=(y, x))]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(out))
