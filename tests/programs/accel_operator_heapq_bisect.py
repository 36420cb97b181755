import _operator as op
import _heapq as hq
import _bisect as bs
import random

def show(label, x):
    try:
        print(label, x() if callable(x) else x)
    except Exception as e:
        print(label, "!!", type(e).__name__, e)

for name in ['add', 'sub', 'mul', 'truediv', 'floordiv', 'mod', 'pow', 'lshift', 'rshift', 'and_', 'or_', 'xor',
             'lt', 'le', 'eq', 'ne', 'gt', 'ge', 'is_', 'is_not']:
    f = getattr(op, name)
    print(name, f(7, 3), f(2.5, 2) if name not in ('lshift', 'rshift', 'and_', 'or_', 'xor') else '')
print(op.neg(5), op.pos(-2), op.abs(-3.5), op.inv(5), op.invert(0), op.not_([]), op.truth([1]), op.index(True))
print(op.concat([1], [2]), op.concat('a', 'b'), op.contains([1, 2], 2), op.countOf([1, 2, 1, 1.0], 1), op.indexOf('abc', 'c'))
l = [1, 2, 3]; op.setitem(l, 0, 9); op.delitem(l, 1); print(l, op.getitem(l, -1), op.getitem('abc', slice(1, None)))
x = [1]; y = op.iadd(x, [2]); print(x, y is x, op.iconcat(x, (3,)), op.imul([1, 2], 2), op.ipow(2, 10), op.isub(5, 1))
print(op.matmul.__name__, op.length_hint([1, 2]), op.length_hint(iter(range(5))), op.length_hint(5, 7))
show("concat bad", lambda: op.concat(1, 2))
show("add 1", lambda: op.add(1))
show("add kw", lambda: op.add(1, b=2))
show("truth()", lambda: op.truth())
show("neg str", lambda: op.neg('a'))
show("index str", lambda: op.index('a'))
show("indexOf miss", lambda: op.indexOf([1], 2))
show("lt mixed", lambda: op.lt(1, 'a'))
show("length_hint bad", lambda: op.length_hint(1, 'a'))
show("call", lambda: op.call(max, 1, 5, key=lambda v: -v))
print(op._compare_digest('abc', 'abc'), op._compare_digest(b'abc', b'abd'), op._compare_digest(b'a', b'ab'), op._compare_digest(bytearray(b'x'), b'x'))
show("cd mixed", lambda: op._compare_digest('a', b'a'))
show("cd nonascii", lambda: op._compare_digest('é', 'é'))
ig = op.itemgetter(1); ig2 = op.itemgetter(0, 2); igk = op.itemgetter('k')
print(ig([5, 6, 7]), ig2('abc'), igk({'k': 3}), ig((1, 2)), repr(ig), repr(ig2), repr(igk))
print(sorted([(3, 'c'), (1, 'a'), (2, 'b')], key=op.itemgetter(0)))
show("ig()", lambda: op.itemgetter())
show("ig call2", lambda: ig(1, 2))
show("ig index", lambda: ig([]))
class Leaf:
    a = 1
class Mid:
    child = Leaf()
    a = 1
class P:
    def __init__(self): self.a = 1; self.child = Mid()
    def m(self, x, y=0): return ('m', x, y)
ag = op.attrgetter('a'); agd = op.attrgetter('child.child.a'); ag2 = op.attrgetter('a', 'child.a')
print(ag(P()), agd(P()), ag2(P()), repr(ag), repr(agd), repr(ag2))
show("ag()", lambda: op.attrgetter())
show("ag(1)", lambda: op.attrgetter(1))
show("ag miss", lambda: op.attrgetter('zz')(P()))
mc = op.methodcaller('m', 5, y=2); mc0 = op.methodcaller('upper')
print(mc(P()), mc0('abc'), repr(mc), repr(mc0), repr(op.methodcaller('f', 'x', 1.5, k=None)))
show("mc()", lambda: op.methodcaller())
show("mc(1)", lambda: op.methodcaller(1))
print(type(ig), type(ag).__name__, type(mc).__module__, ig.__call__([1, 2]))

h = []
for v in [5, 3, 8, 1, 9, 2, 7]:
    hq.heappush(h, v)
print(h, [hq.heappop(h) for _ in range(len(h))])
random.seed(5)
data = [random.random() for _ in range(100)]
h = list(data); hq.heapify(h); print(h[:5], sorted(data) == [hq.heappop(h) for _ in range(100)])
h = ['d', 'a', 'c', 'b']; hq.heapify(h); print(h, hq.heapreplace(h, 'z'), h, hq.heappushpop(h, 'a'), hq.heappushpop(h, 'e'), h)
h = [1, 5, 3]; hq._heapify_max(h); print(h, hq._heappop_max(h), h, hq._heapreplace_max(h, 0), h)
h = [(2, 'b'), (1, 'a'), (3, 'c')]; hq.heapify(h); print(h)
show("heappop empty", lambda: hq.heappop([]))
show("heapreplace empty", lambda: hq.heapreplace([], 1))
show("heappush()", lambda: hq.heappush())
show("heappush bad", lambda: hq.heappush(1, 2))
show("heapify bad", lambda: hq.heapify(1))
show("heappop bad", lambda: hq.heappop(()))
show("heappushpop empty", lambda: hq.heappushpop([], 3))
show("mixed", lambda: hq.heapify([1, 'a', 2]))
EVIL = []
class Evil:
    def __lt__(self, o):
        EVIL.clear(); return True
EVIL.extend([Evil(), Evil(), Evil()])
show("evil", lambda: hq.heapify(EVIL))
big = list(range(3000, 0, -1)); hq.heapify(big); print(big[:10], big[2995:])

a = [1, 2, 2, 2, 3, 5]
print(bs.bisect_left(a, 2), bs.bisect_right(a, 2), bs.bisect_left(a, 2, 2), bs.bisect_right(a, 2, 0, 3), bs.bisect_left(a, 10), bs.bisect_right(a, 0))
print(bs.bisect_left(a, 2, hi=2), bs.bisect_right(a, 2, lo=1, hi=None))
recs = [('a', 1), ('b', 3), ('c', 5)]
print(bs.bisect_left(recs, 3, key=lambda r: r[1]), bs.bisect_right(recs, 3, key=lambda r: r[1]))
b = []
for v in [5, 1, 4, 1, 3]:
    bs.insort_right(b, v)
print(b)
bs.insort_left(b, 2); bs.insort_right(recs, ('d', 4), key=lambda r: r[1]); print(b, recs)
show("lo neg", lambda: bs.bisect_left([], 1, -1))
show("bl()", lambda: bs.bisect_left())
show("insort bad", lambda: bs.insort_left(1, 2))
show("bs kw", lambda: bs.bisect_left([1], 1, foo=2))
print(bs.bisect_left(range(10), 4), bs.bisect_right('abcd', 'b'))
class L(list): pass
ll = L([1, 3]); bs.insort_left(ll, 2); print(ll, type(ll).__name__)
