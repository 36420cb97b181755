# Weak references under real parallel threads: objects owned by the main thread
# are released by worker threads while other workers upgrade their weak references;
# every upgrade sees the live object or None, every reference dies exactly once and
# every callback runs exactly once.
import threading
import _weakref

N = 2000
T = 4


class Obj:
    __slots__ = ("n", "__weakref__")

    def __init__(self, n):
        self.n = n


died = []


def on_death(r):
    died.append(r.n)


class NRef(_weakref.ref):
    __slots__ = ("n",)

    def __new__(cls, ob, n):
        self = _weakref.ref.__new__(cls, ob, on_death)
        self.n = n
        return self


strong = [[Obj(t * N + i) for i in range(N)] for t in range(T)]
weak = [[NRef(o, o.n) for o in lst] for lst in strong]
print(all(r() is o for lst, rl in zip(strong, weak) for o, r in zip(lst, rl)))
start = threading.Barrier(T)
bad = []
upgraded = [0] * T


def work(t, mine, theirs):
    start.wait()
    seen = 0
    for i in range(N):
        mine[i] = None  # may free an object the main thread owns
        o = theirs[i]()  # may race with another worker releasing it
        if o is not None:
            if o.n != theirs[i].n:
                bad.append((t, i))
            seen += 1
        del o
    upgraded[t] = seen


threads = [
    threading.Thread(target=work, args=(t, strong[t], weak[(t + 1) % T])) for t in range(T)
]
del strong
for th in threads:
    th.start()
for th in threads:
    th.join()
print("bad upgrades:", bad)
print("all dead:", all(r() is None for rl in weak for r in rl))
print("callbacks:", len(died), sorted(died) == list(range(T * N)))
print("upgrades counted:", all(0 <= u <= N for u in upgraded))


# Threads creating their own objects and weak references while others upgrade them.
box = [None] * 64
refs = [None] * 64
lock = threading.Lock()
results = []


def churn(t):
    ok = 0
    for k in range(300):
        i = (t * 16 + k) % 64
        o = Obj(k)
        with lock:
            box[i] = o
            refs[i] = _weakref.ref(o)
        del o
        j = (i + 16) % 64
        with lock:
            r = refs[j]
        x = r() if r is not None else None
        if x is None or (isinstance(x, Obj) and 0 <= x.n < 300):
            ok += 1
        del x
        with lock:
            box[j] = None
    results.append(ok)


threads = [threading.Thread(target=churn, args=(t,)) for t in range(T)]
for th in threads:
    th.start()
for th in threads:
    th.join()
box = None
# Objects whose last reference another thread dropped die when their owner merges
# its counts (biased reference counting), which an exiting thread does as it leaves,
# possibly just after join() returned: wait for that.
import time
for _ in range(2000):
    if all(r is None or r() is None for r in refs):
        break
    time.sleep(0.001)
print("churn:", results == [300] * T, all(r is None or r() is None for r in refs))
