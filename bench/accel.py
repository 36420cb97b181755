"""The C accelerators (itertools, _collections, _functools, _operator, _heapq, _bisect)
under load: each case prints its best CPU time (process_time) of 3 runs, in seconds
(CPU time, so that other processes on a shared machine do not count).

    target/release/stitch -X jit=off bench/accel.py
    target/release/stitch bench/accel.py
    python3.11 bench/accel.py
"""
import bisect
import functools
import heapq
import itertools
import operator
import time
from collections import deque, namedtuple


def sort_itemgetter():
    rows = [(i, (i * 7919) % 10007, str(i)) for i in range(100000)]
    key = operator.itemgetter(1)
    for _ in range(3):
        rows = sorted(rows, key=key)
    return rows[0]


def deque_ops():
    d = deque()
    append = d.append
    popleft = d.popleft
    for i in range(300000):
        append(i)
        append(i)
        popleft()
    n = 0
    while d:
        n += d.popleft()
    return n


def heap_ops():
    h = []
    for i in range(100000):
        heapq.heappush(h, (i * 7919) % 100003)
    s = 0
    while h:
        s += heapq.heappop(h)
    return s


def insort_ops():
    a = []
    for i in range(30000):
        bisect.insort(a, (i * 7919) % 30011)
    return a[len(a) // 2]


def itertools_ops():
    s = sum(itertools.chain(range(100000), range(100000), [1, 2, 3]))
    n = 0
    for t in itertools.product(range(40), repeat=3):
        n += t[2]
    g = 0
    for k, grp in itertools.groupby(sorted((i * 31) % 1000 for i in range(100000))):
        g += len(list(grp))
    c = sum(1 for _ in itertools.islice(itertools.count(), 100000))
    return s + n + g + c


def partial_calls():
    def f(a, b, c=0):
        return a + b + c
    p = functools.partial(f, 1, c=2)
    s = 0
    for i in range(300000):
        s += p(i)
    return s


def lru_hits():
    @functools.lru_cache(maxsize=256)
    def f(x):
        return x * 2
    s = 0
    for i in range(300000):
        s += f(i & 127)
    return s


def namedtuple_attrs():
    P = namedtuple('P', 'x y z')
    p = P(1, 2, 3)
    s = 0
    for _ in range(300000):
        s += p.x + p.y + p.z
    return s


CASES = [sort_itemgetter, deque_ops, heap_ops, insort_ops, itertools_ops, partial_calls,
         lru_hits, namedtuple_attrs]

for case in CASES:
    best = None
    for _ in range(3):
        t0 = time.process_time()
        r = case()
        dt = time.process_time() - t0
        best = dt if best is None or dt < best else best
    print(f"{case.__name__:18} {best:8.4f}  {r}")
