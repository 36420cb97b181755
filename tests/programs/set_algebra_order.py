# Set algebra builds its results as CPython's setobject.c does, so iteration order
# (what print shows) matches CPython's: random sets with colliding hashes, deletions,
# every operator, method and in-place form, pop's finger.
import random
rnd = random.Random(5)
class K:
    def __init__(self, v): self.v = v
    def __hash__(self): return self.v % 7
    def __eq__(self, o): return isinstance(o, K) and o.v == self.v
    def __repr__(self): return f"K{self.v}"
for trial in range(300):
    mk = rnd.choice([lambda xs: xs, lambda xs: [K(x) for x in xs]])
    a = set(mk([rnd.randrange(-40, 60) * rnd.choice([1, 8, 64, 2**40]) for _ in range(rnd.randrange(0, 30))]))
    b = set(mk([rnd.randrange(-40, 60) * rnd.choice([1, 8, 64, 2**40]) for _ in range(rnd.randrange(0, 30))]))
    if trial % 3 == 0:
        for x in list(a)[:3]:
            a.discard(x)
    fb = frozenset(b)
    out = [list(a | b), list(a & b), list(a - b), list(a ^ b), list(b - a), list(fb & a), list(fb - a),
           a <= b, a < b, a >= b, a == b, a != b, a.isdisjoint(b), a.issubset(list(b)), a.issuperset(iter(b)),
           list(a.intersection(b, list(a)[:5])), list(a.difference(list(b), b)), list(a.union(b, [1, 2])),
           list(a.symmetric_difference(list(b))), type(fb - a).__name__, type(a ^ fb).__name__]
    for op in ("|=", "&=", "-=", "^="):
        c = set(a)
        exec(f"c {op} b")
        out.append(list(c))
    c = set(a); c.intersection_update(b, list(b)[:4]); out.append(list(c))
    c = set(a); c.difference_update(list(b)[:5], b); out.append(list(c))
    c = set(a); c.symmetric_difference_update(list(b)); out.append(list(c))
    c = set(a); c -= c; out.append(list(c))
    print(out)
print({1: 2}.keys() & {1, 3}, {1: 2}.keys() - {1}, {1, 2} - {1: 2}.keys())
s = set(range(40)); out = []
for i in range(25):
    out.append(s.pop())
    if i % 3 == 0: s.add(100 + i)
print(out, list(s))
# Dicts as operands: one resize up front for update, the dict's own order for ^=.
for trial in range(40):
    a = set(rnd.randrange(-40, 60) * rnd.choice([1, 8, 64]) for _ in range(rnd.randrange(0, 12)))
    d = {rnd.randrange(-40, 60) * rnd.choice([1, 8, 64]): 0 for _ in range(rnd.randrange(0, 20))}
    c = set(a); c.update(d)
    e = set(a); e.symmetric_difference_update(d)
    print(list(c), list(e), list(a.symmetric_difference(d)), list(a.union(d)), list(set(d)))
