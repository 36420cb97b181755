# Loads of locals that traces borrow (no reference counted) for attribute loads and
# stores and subscripts, then leave the trace with the borrowed value still on the
# stack: a type guard failing, an index out of range, an exception, a local rebound
# after the exit.
import sys


class A:
    def __init__(self, v):
        self.v = v


class B:
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v


def total(objs):
    t = 0
    for o in objs:
        t += o.v
    return t


def store_all(objs, x):
    for o in objs:
        o.v = x
    return x


def pick(seq, idx):
    out = 0
    for i in idx:
        try:
            out += seq[i]
        except IndexError:
            out -= 1
    return out


def pairs(rows):
    s = 0
    for r in rows:
        s += r[0] * r[1]
    return s


objs = [A(i) for i in range(300)] + [B(5), A(1), B(7)]
before = sys.getrefcount(objs[-1])
print(total(objs), total(objs))
print(store_all(objs, 3), total(objs))
print(sys.getrefcount(objs[-1]) - before)

seq = list(range(50))
print(pick(seq, list(range(60)) * 5))
print(sys.getrefcount(seq) - sys.getrefcount(seq))

rows = [[i, i + 1] for i in range(200)] + [(3, 4), [5, 6]]
print(pairs(rows), pairs(rows))


def drop_in_loop(n):
    # The local is rebound inside the loop: its old value must die right there.
    last = None
    for i in range(n):
        o = B(i) if i % 100 == 99 else A(i)
        last = o.v
        o = None
    return last


print(drop_in_loop(300))


def mutate_while_reading(objs):
    # A guard exit on a borrowed object, then tier 1 rebinds the local.
    t = 0
    for o in objs:
        t += o.v
        o = None
    return t


print(mutate_while_reading([A(i) for i in range(200)] + [B(1)] + [A(2)] * 5))
print("done")
