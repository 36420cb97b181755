# The stitch front ends (operator, heapq, bisect, functools, collections) on the
# native accelerator modules.
import operator, heapq, bisect, functools, collections, itertools
from collections import deque, defaultdict, namedtuple, Counter

print(operator.add(2, 3), operator.__lt__(1, 2), operator.itemgetter(1)('abc'))
print(heapq.nlargest(3, [5, 1, 8, 3, 9]), heapq.nsmallest(2, 'hello'))
h = []
for v in [4, 1, 3]:
    heapq.heappush(h, v)
print(heapq.heappop(h), h)
a = [1, 3, 5]
bisect.insort(a, 4)
print(a, bisect.bisect(a, 3), bisect.bisect_left(a, 3))

@functools.lru_cache(maxsize=32)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(60), fib.cache_info(), fib.__name__, fib.__wrapped__.__name__)
fib.cache_clear()
print(fib.cache_info(), fib.cache_parameters())

@functools.cache
def sq(x):
    return x * x
print(sq(4), sq(4), sq.cache_info())

class Box:
    @functools.lru_cache(maxsize=None)
    def area(self, k):
        return 10 * k
print(Box().area(3), Box.area.cache_info().misses)

p = functools.partial(int, base=2)
print(p('101'), functools.reduce(operator.mul, range(1, 6)))
print(sorted(['b', 'A', 'c'], key=functools.cmp_to_key(lambda x, y: (x.lower() > y.lower()) - (x.lower() < y.lower()))))

Point = namedtuple('Point', 'x y')
pt = Point(1, 2)
print(pt, pt.x, pt.y, pt._replace(x=5), Point._fields, Point.x.__doc__)
d = deque(maxlen=2)
d.extend([1, 2, 3])
print(d, defaultdict(list), Counter('abbccc').most_common(2))
print(list(itertools.chain.from_iterable([[1], [2, 3]])), type(itertools.count()).__name__)
