# Assigning a function's __code__: calls after it (tier 1 specialized, JIT traces that
# inlined the function or an __init__) run the new code; checks and messages.
import types
def f(x):
    return x + 1
def g(x):
    return x * 10
def hot(n):
    s = 0
    for i in range(n):
        s += f(i)
    return s
print(hot(1000))
f.__code__ = g.__code__
print(hot(1000), f.__name__, f(3))

class C:
    def __init__(self, a):
        self.a = a
def init2(self, a):
    self.a = -a
def mk(n):
    t = 0
    for i in range(n):
        t += C(i).a
    return t
print(mk(1000))
C.__init__.__code__ = init2.__code__
print(mk(1000))

# swap inside the hot loop
def h(x): return 1
def h2(x): return 2
def loop(n):
    t = 0
    for i in range(n):
        if i == n // 2:
            h.__code__ = h2.__code__
        t += h(i)
    return t
print(loop(2000))

def outer():
    y = 5
    def inner(): return y
    return inner
inn = outer()
try:
    inn.__code__ = g.__code__
except ValueError as e:
    print(e)
try:
    f.__code__ = 5
except TypeError as e:
    print(e)
try:
    del f.__code__
except TypeError as e:
    print(e)

@types.coroutine
def gen():
    yield 1
async def co():
    await gen()
    return "done"
c = co()
print(c.send(None))
try:
    c.send(None)
except StopIteration as e:
    print(e.value)
print(f.__code__ is g.__code__)

# Threads calling a function in a hot loop while another thread swaps its code.
import threading
def k(x): return 1
def k2(x): return 2
code1, code2 = k.__code__, k2.__code__
seen = [set() for _ in range(3)]
stop = False
def worker(s):
    n = 0
    while not stop or n < 2000:
        s.add(k(n))
        n += 1
ts = [threading.Thread(target=worker, args=(s,)) for s in seen]
for t in ts:
    t.start()
for i in range(200):
    k.__code__ = code2 if i % 2 == 0 else code1
stop = True
for t in ts:
    t.join()
print(all(s <= {1, 2} for s in seen), k(0))

# The old code of a running frame keeps running to its end.
def changer():
    changer.__code__ = k2.__code__
    return "old body finished"
print(changer(), changer(0))
