# Specialized instructions whose bodies tier 1 and traces share
# (specialize/shared.rs): class instantiation into __init__ (recursion limit,
# __init__ returning a value), attribute loads and stores, subscripts, len,
# list.append and unpacking, each run hot enough to be specialized and traced.
import sys


class P:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Q:
    k = 7

    def __init__(self, v):
        self.v = v

    def get(self):
        return self.v


def hot_loop(n):
    total = 0
    items = []
    d = {}
    for i in range(n):
        p = P(i, i + 1)
        q = Q(i)
        total += p.x + p.y + q.v + q.k + q.get()
        p.x = i * 2
        q.v = p.x
        items.append(q.v)
        t = (i, i + 2)
        a, b = t
        c, e = [a, b]
        total += t[1] + items[i] + len(items) + a + b + c + e
        items[i] = total % 97
        d[i % 5] = i
        total += d[i % 5]
    return total, items[:5], len(items), sorted(d.items())


print(hot_loop(2000))


class Deep:
    def __init__(self, n):
        self.child = Deep(n - 1) if n else None


def depth():
    for limit in (60, 120):
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(limit)
        try:
            for _ in range(100):
                try:
                    Deep(10)
                except RecursionError:
                    print("unexpected")
            try:
                Deep(10000)
            except RecursionError as e:
                print("RecursionError", type(e).__name__)
        finally:
            sys.setrecursionlimit(old)


depth()


class Bad:
    def __init__(self, flag):
        if flag:
            return 1


def bad():
    n = 0
    for i in range(300):
        try:
            Bad(i == 250)
            n += 1
        except TypeError as e:
            print(i, e)
    print(n)


bad()


class S:
    __slots__ = ("a",)

    def __init__(self):
        pass


def unset_slot():
    s = S()
    for i in range(200):
        try:
            s.a
        except AttributeError as e:
            if i == 199:
                print(e)
        if i == 150:
            s.a = 1
            print(s.a)
            del s.a


unset_slot()


def unpack_mismatch():
    seqs = [(1, 2)] * 100 + [(1, 2, 3)]
    for s in seqs:
        try:
            a, b = s
        except ValueError as e:
            print(e)
    lists = [[1, 2]] * 100 + [[1]]
    for s in lists:
        try:
            a, b = s
        except ValueError as e:
            print(e)


unpack_mismatch()
