# threading: Thread (target, args, kwargs, name, daemon, subclass run), joins with
# timeouts, Lock, RLock, Condition, Semaphore, BoundedSemaphore, Event, Barrier,
# local, Timer, current/main thread, enumerate, excepthook.
import threading
import time

results = []
lock = threading.Lock()


def work(n, scale=1):
    with lock:
        results.append(n * n * scale)


threads = [threading.Thread(target=work, args=(i,), kwargs={"scale": 2}) for i in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(results))
print(threads[0].name.startswith("Thread-"), threads[0].name.endswith("(work)"))
print([t.is_alive() for t in threads], threads[0].daemon)
named = threading.Thread(target=work, args=(7,), name="worker-7", daemon=True)
print(named.name, named.daemon, named.is_alive(), named.ident is None)
named.start()
named.join()
print(named.is_alive(), type(named.ident) is int, results[-1])


class Counter(threading.Thread):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.total = 0

    def run(self):
        for i in range(self.n):
            self.total += i


c = Counter(1000)
c.start()
c.join()
print("subclass", c.total)
try:
    c.start()
except RuntimeError as e:
    print("RuntimeError:", e)

# Lock semantics
l = threading.Lock()
print(l.acquire(), l.locked(), l.acquire(False), l.acquire(True, 0.01))
l.release()
print(l.locked())
try:
    l.release()
except RuntimeError as e:
    print("RuntimeError:", e)

r = threading.RLock()
with r:
    with r:
        print("rlock nested ok")
try:
    r.release()
except RuntimeError as e:
    print("RuntimeError:", e)

# Condition: producer/consumer in order
cond = threading.Condition()
items = []
consumed = []


def consumer():
    for _ in range(5):
        with cond:
            cond.wait_for(lambda: items)
            consumed.append(items.pop(0))


ct = threading.Thread(target=consumer)
ct.start()
for i in range(5):
    with cond:
        items.append(i)
        cond.notify()
    time.sleep(0.001)
ct.join()
print("consumed", consumed)
with cond:
    print("wait timeout", cond.wait(0.01))

# Semaphore bounds concurrency
sem = threading.BoundedSemaphore(2)
active = [0]
peak = [0]
guard = threading.Lock()


def limited():
    with sem:
        with guard:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.005)
        with guard:
            active[0] -= 1


ts = [threading.Thread(target=limited) for _ in range(6)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("peak <= 2:", peak[0] <= 2, "active", active[0])
try:
    sem.release()
except ValueError as e:
    print("ValueError:", e)
s0 = threading.Semaphore(0)
print("sem timeout", s0.acquire(timeout=0.01), s0.acquire(False))

# Event
ev = threading.Event()
seen = []


def waiter():
    seen.append(ev.wait(5))


wt = threading.Thread(target=waiter)
wt.start()
ev.set()
wt.join()
print("event", seen, ev.is_set(), threading.Event().wait(0.01))

# Barrier: every party gets a distinct index, the action runs once
order = []
b = threading.Barrier(3, action=lambda: order.append("action"))
idx = []


def party():
    i = b.wait()
    with lock:
        idx.append(i)


ts = [threading.Thread(target=party) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("barrier", sorted(idx), order, b.broken, b.parties)
b2 = threading.Barrier(2, timeout=0.01)
try:
    b2.wait()
except threading.BrokenBarrierError:
    print("BrokenBarrierError", b2.broken)

# local: each thread sees its own attributes
data = threading.local()
data.x = "main"
out = {}


def use_local(k):
    data.x = k
    time.sleep(0.001)
    out[k] = data.x
    out[k + "-has"] = hasattr(data, "y")


ts = [threading.Thread(target=use_local, args=(k,)) for k in "abc"]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("local", data.x, sorted(out.items()))


class MyLocal(threading.local):
    def __init__(self, v):
        self.v = v


ml = MyLocal(5)
ml.v = 6
got = []
t = threading.Thread(target=lambda: got.append(ml.v))
t.start()
t.join()
print("local init per thread", ml.v, got)

# Timer
fired = []
tm = threading.Timer(0.01, fired.append, args=["fired"])
tm.start()
tm.join()
cancelled = threading.Timer(10, fired.append, args=["never"])
cancelled.start()
cancelled.cancel()
cancelled.join()
print("timer", fired)

# join with a timeout on a thread that is still blocked
gate = threading.Event()
slow = threading.Thread(target=gate.wait)
slow.start()
slow.join(0.01)
print("still alive", slow.is_alive())
gate.set()
slow.join()
print("joined", slow.is_alive())

print(threading.current_thread() is threading.main_thread(), threading.main_thread().name)
print(threading.active_count(), [t.name for t in threading.enumerate()])
print(type(threading.get_ident()) is int, threading.get_ident() == threading.main_thread().ident)


def boom():
    raise ValueError("boom in thread")


bt = threading.Thread(target=boom, name="Boomer")
bt.start()
bt.join()
print("main continues after a thread raised")
