import collections
from collections import defaultdict, Counter, OrderedDict, namedtuple, deque
d = defaultdict(list); d["a"].append(1); d["b"]; print(d, isinstance(d, dict), len(d), dict(d))
dd = defaultdict(int)
for w in "the cat the hat".split(): dd[w] += 1
print(dd, sorted(dd.items()))
c = Counter("abracadabra"); print(c, c.most_common(2), c["z"], isinstance(c, dict), c.total())
c2 = Counter(a=1, b=5); print(c + c2, c - c2, c2 & c, list(c2.elements()))
c.update("aaa"); c.subtract({"b": 1}); print(c)
od = OrderedDict([("x", 1), ("y", 2)]); od["z"] = 3; od.move_to_end("x"); print(od, od.popitem(), od.popitem(last=False), od)
P = namedtuple("P", ["x", "y"]); p = P(1, y=2); print(p, p.x, p[1], isinstance(p, tuple), p == (1, 2), p._asdict(), p._replace(x=9))
x, y = p; print(x, y, P._make([5, 6]), P._fields, len(p), hash(p) == hash((1, 2)))
Card = namedtuple("Card", "rank suit", defaults=["hearts"]); print(Card(3), sorted([Card(2, "a"), Card(1, "b")]))
class Point3(namedtuple("Point3", "x y z")):
    def norm(self): return (self.x**2 + self.y**2 + self.z**2) ** 0.5
print(Point3(1, 2, 2).norm(), Point3(1, 2, 2))
q = deque(maxlen=3); q.extend(range(5)); print(q, q[0], list(reversed(q)))
q.rotate(1); print(q)
