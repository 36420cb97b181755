import contextvars as cv
import threading
v = cv.ContextVar("v"); w = cv.ContextVar("w", default=5)
print(repr(v)[:25], repr(w)[:35], v.name)
for f in [lambda: v.get(), lambda: w.get(), lambda: v.get(9), lambda: cv.ContextVar(), lambda: cv.ContextVar(1),
          lambda: cv.Context()[1], lambda: cv.Context()[v], lambda: cv.Token(), lambda: cv.Context(1)]:
    try:
        print(f())
    except BaseException as e:
        print(type(e).__name__, str(e).split(" at 0x")[0])
t = v.set(1)
print(repr(t)[:30], t.var is v, t.old_value, cv.Token.MISSING, v.get())
v.reset(t)
try:
    v.reset(t)
except Exception as e:
    print(type(e).__name__, str(e)[:20], str(e)[-25:])
try:
    w.reset(v.set(2))
except Exception as e:
    print(type(e).__name__, str(e)[-35:])
c = cv.copy_context()
print(v in c, c[v], len(c), c.get(w), c.get(w, 3), list(c.keys()) == [v], list(c.values()), list(c.items()) == [(v, 2)])
t2 = c.run(v.set, 3)
try:
    v.reset(t2)
except Exception as e:
    print(type(e).__name__, str(e)[-35:])
print(c[v], v.get(), list(c) == [v])
def f():
    return c.run(lambda: 1)
try:
    c.run(f)
except Exception as e:
    print(type(e).__name__, str(e)[:30])
try:
    class X(cv.ContextVar):
        pass
except Exception as e:
    print(type(e).__name__, e)
print(cv.Context.__module__, type(c), type(v), type(t), c == cv.copy_context(), hash(v) == hash(v))
try:
    hash(c)
except Exception as e:
    print(type(e).__name__, e)
print(repr(t)[:24])
c2 = c.copy(); print(c2 == c, c2 is c)
def kw(a, b=0):
    return v.get(), a, b
print(c.run(kw, 1, b=2))
# each thread has its own context
res = []
def worker(k):
    res.append((k, v.get(-1)))
    v.set(k)
    res.append((k, v.get()))
ts = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
for t_ in ts: t_.start()
for t_ in ts: t_.join()
print(sorted(res), v.get())
# generators do not capture a context in 3.11
def gen():
    yield v.get()
    yield v.get()
g = gen()
print(next(g)); v.set(42); print(next(g))
