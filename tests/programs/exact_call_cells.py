# Exact positional calls of functions with cell variables (closures over their
# parameters and locals, comprehensions that read a local): the fast frame makes the cells.
def outer(a, b=2):
    c = a + b
    def inner(): return a, b, c
    return inner
print(outer(1)(), outer(1, 5)())
class K:
    def m(self, xs):
        idx = {x: i for i, x in enumerate(xs)}
        return [idx[x] for x in xs if x in idx]
k = K()
for i in range(3000):
    r = k.m([3, 1, 2])
print(r)
def rec(n):
    if n == 0: return lambda: n
    f = lambda: n
    return rec(n - 1) if n > 5 else f
print(rec(10)())
def argcell(x):
    def g(): return x
    x += 1
    return g()
print(sum(argcell(i) for i in range(10000)))
class C:
    def __init__(self, v):
        self.get = lambda: v
print(C(7).get())
