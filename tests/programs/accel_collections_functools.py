from _collections import deque, defaultdict, _count_elements, _tuplegetter
import _functools as ft

def show(label, x):
    try:
        print(label, x() if callable(x) else x)
    except Exception as e:
        print(label, "!!", type(e).__name__, e)

d = deque([1, 2, 3])
d.append(4); d.appendleft(0)
print(d, len(d), d[0], d[-1], d.pop(), d.popleft(), d)
d.extend('ab'); d.extendleft([9, 8]); print(d)
d.rotate(2); print(d); d.rotate(-3); print(d); d.rotate(); print(d)
print(d.count(1), d.index(2), 'a' in d, 'z' in d, d.index(2, 1, 5) if 2 in list(d)[1:5] else '-')
d.insert(1, 'x'); d.remove('x'); d.reverse(); print(d, d.maxlen)
d2 = deque(range(10), maxlen=3); print(d2, d2.maxlen); d2.append(10); d2.appendleft(-1); print(d2)
print(repr(deque()), repr(deque([], 2)), repr(deque(maxlen=0)), bool(deque()), bool(deque([0])))
z = deque(maxlen=0); z.append(1); print(z)
print(deque([1, 2]) == deque([1, 2]), deque([1]) < deque([2]), deque([1]) == [1], deque([1, 2]) != deque([1]))
print(deque('ab') + deque('cd'), deque('ab') * 2, 2 * deque('x'), deque([1, 2], 3) * 2)
e = deque([1]); e += [2, 3]; e *= 2; print(e)
e[0] = 'first'; del e[1]; print(e, e.copy(), type(e.copy()))
show("pop empty", lambda: deque().pop())
show("popleft empty", lambda: deque().popleft())
show("index miss", lambda: deque([1]).index(5))
show("remove miss", lambda: deque([1]).remove('q'))
show("getitem oob", lambda: deque([1])[5])
show("slice", lambda: deque([1])[0:1])
show("maxlen neg", lambda: deque([], -1))
show("maxlen str", lambda: deque([], 'a'))
show("deque(1)", lambda: deque(1))
show("insert full", lambda: deque([1], 1).insert(0, 2))
show("add list", lambda: deque() + [1])
show("hash", lambda: hash(deque()))
dm = deque([1, 2, 3])
def mut():
    for x in dm:
        dm.append(x)
show("mutate", mut)
print(list(reversed(deque('abc'))), list(iter(deque('xy'))), deque('abc').__reversed__().__length_hint__())
class MyDeque(deque):
    def __init__(self, it=(), tag='t'):
        super().__init__(it)
        self.tag = tag
    def first(self):
        return self[0]
md = MyDeque([5, 6], tag='q')
print(md, md.first(), md.tag, isinstance(md, deque), len(md), md.copy() if False else '', type(md).__name__)
md.append(7); print(list(md), md.pop(), md.__dict__)
self_ext = deque([1, 2]); self_ext.extend(self_ext); print(self_ext)
print(deque([3, 1, 2]).__copy__(), deque.__name__, deque.__module__)

dd = defaultdict(list)
dd['a'].append(1); dd['b']; dd['a'].append(2)
print(dd, dd['a'], len(dd), dict(dd), isinstance(dd, dict), dd.default_factory)
ci = defaultdict(int, {'x': 1}, y=2); ci['z'] += 5; print(ci, sorted(ci.items()))
n = defaultdict(); print(n, n.default_factory)
show("missing none", lambda: n['q'])
show("not callable", lambda: defaultdict(1))
print(dd.copy(), type(dd.copy()).__name__, dd.get('zz'), 'zz' in dd)
dd.default_factory = set; dd['s'].add(3); print(dd)
print(defaultdict(list, a=[1]) | {'b': [2]})
class MyDD(defaultdict):
    pass
m = MyDD(int); m['k'] += 1; print(m, type(m).__name__, m.default_factory)
print(list(defaultdict(int, {'a': 1, 'b': 2})), {**defaultdict(int, {'a': 1})})

c = {}
_count_elements(c, 'abracadabra'); print(sorted(c.items()))
class Counter(dict):
    def __missing__(self, k): return 0
cc = Counter(); _count_elements(cc, [1, 1, 2]); print(cc)
class P(tuple):
    x = _tuplegetter(0, 'Alias for field number 0')
    y = _tuplegetter(1, 'doc y')
p = P((3, 4)); print(p.x, p.y, P.x.__doc__, type(P.x).__name__)
show("set attr", lambda: setattr(p, 'x', 5))

print(ft.reduce(lambda a, b: a + b, [1, 2, 3, 4]), ft.reduce(lambda a, b: a * b, [], 7), ft.reduce(max, [3, 9, 2]))
show("reduce empty", lambda: ft.reduce(max, []))
show("reduce()", lambda: ft.reduce())
def f(*args, **kw): return (args, kw)
p = ft.partial(f, 1, 2, a=3)
print(p(4, b=5), p(a=9), p.func is f, p.args, p.keywords)
pp = ft.partial(p, 0, c=1); print(pp.args, pp.keywords, pp.func is f, pp())
print(repr(ft.partial(max, 1, key=abs)).replace(hex(id(max)), 'X'))
show("partial()", lambda: ft.partial())
show("partial(1)", lambda: ft.partial(1))
p.attr = 5; print(p.attr, p.__dict__)
class MyPartial(ft.partial):
    def extra(self): return 'x'
mp = MyPartial(f, 1)
print(mp(2), mp.extra(), repr(mp).startswith('MyPartial('), type(mp).__name__)
keyf = ft.cmp_to_key(lambda a, b: (a > b) - (a < b))
print(sorted([3, 1, 2], key=keyf), sorted(['bb', 'a', 'ccc'], key=ft.cmp_to_key(lambda a, b: len(b) - len(a))))
k = keyf(5); print(k.obj, k < keyf(6), k == keyf(5), k >= keyf(9))
show("K compare", lambda: k < 5)
from collections import namedtuple
CI = namedtuple('CI', 'hits misses maxsize currsize')
calls = []
def sq(x):
    calls.append(x)
    return x * x
w = ft._lru_cache_wrapper(sq, 2, False, CI)
print([w(i) for i in [1, 2, 1, 3, 1, 2]], calls, w.cache_info())
w.cache_clear(); print(w.cache_info())
u = ft._lru_cache_wrapper(sq, None, False, CI)
print([u(i) for i in [1, 1, 2, 1]], u.cache_info())
z0 = ft._lru_cache_wrapper(sq, 0, False, CI); z0(1); z0(1); print(z0.cache_info())
t = ft._lru_cache_wrapper(lambda x, y=0: (x, y), 10, True, CI)
print(t(1), t(1.0), t(1, y=2), t(x=1), t.cache_info())
show("unhashable", lambda: u([1]))
class C:
    def m(self, x): return ('m', x)
    m = ft._lru_cache_wrapper(m, 4, False, CI)
print(C().m(3), C.m.cache_info())
def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)
fib = ft._lru_cache_wrapper(fib, 128, False, CI)
print(fib(80), fib.cache_info())
w.__wrapped__ = sq; w.__name__ = 'sq'; print(w.__name__, w.__wrapped__ is sq)
