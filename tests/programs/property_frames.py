# Property reads in hot code (LOAD_ATTR_PROPERTY enters the getter's frame): plain
# getters, a getter that raises, a class with __getattr__ (the fallback on
# AttributeError), a property replaced on the class, a getter re-initialised, deep
# recursion through a property, and tracebacks through a getter.
import sys

class P:
    def __init__(self, x):
        self._x = x
    @property
    def x(self):
        return self._x * 2
    @property
    def bad(self):
        raise AttributeError("no bad")
    @property
    def boom(self):
        return 1 / 0

class G(P):
    def __getattr__(self, name):
        return "getattr:" + name

def work(n):
    p = P(3)
    s = 0
    for i in range(n):
        s += p.x
        if i == n // 2:
            P.x = property(lambda self: 100)
    return s

print(work(100))
P.x = property(lambda self: self._x * 2)
g = G(5)
out = []
for i in range(60):
    out.append(g.bad)
print(out[-1], len(out))
p = P(1)
for i in range(60):
    try:
        p.bad
    except AttributeError as e:
        msg = str(e)
print(msg)
prop = P.__dict__["x"]
vals = []
for i in range(60):
    if i == 30:
        prop.__init__(lambda self: -1)
    vals.append(p.x)
print(vals[29], vals[30])

class R:
    def __init__(self, n):
        self.n = n
    @property
    def depth(self):
        return 0 if self.n == 0 else 1 + R(self.n - 1).depth
print(R(200).depth)
sys.setrecursionlimit(100)
try:
    R(500).depth
except RecursionError as e:
    print("RecursionError")
sys.setrecursionlimit(1000)
for i in range(60):
    try:
        p.boom
    except ZeroDivisionError as e:
        tb = e.__traceback__
        names = []
        while tb:
            names.append(tb.tb_frame.f_code.co_name)
            tb = tb.tb_next
print(names)
