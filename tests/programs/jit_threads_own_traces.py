# Threads running JIT-compiled loops at the same time (issue 16): each thread compiles
# and runs its own trace of a shared loop, while other threads rebind the globals the
# traces load as constants, mutate shared containers and replace class attributes.
# Every result is exact (what CPython prints).
import threading

SCALE = 3
shared = list(range(100))
lock = threading.Lock()
totals = {}


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)


def int_loop(k, n):
    # Promotes the global SCALE to a constant in the trace.
    s = 0
    for i in range(n):
        s += (i * SCALE + k) % 11
    return s


def list_loop(n):
    s = 0
    for i in range(n):
        s += shared[i % 100]
    return s


def obj_loop(n):
    p = Point(1, -2)
    s = 0
    for i in range(n):
        p.x = i % 5
        s += p.norm1()
    return s


def worker(k):
    a = int_loop(k, 40000)
    b = list_loop(40000)
    c = obj_loop(20000)
    with lock:
        totals[k] = (a, b, c)


# The main thread compiles the loops first.
print(int_loop(0, 40000), list_loop(40000), obj_loop(20000))
threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for k in sorted(totals):
    print(k, totals[k])


# A global the traces promoted is rebound by another thread while they run: each
# thread's loop sees either value at each iteration, so only the count of each is
# checked; the old value object must stay alive (the trace may still load it).
class Box:
    def __init__(self, v):
        self.v = v


BOX = Box(1)
stop = threading.Event()


def reader(out, k):
    ones = twos = 0
    for i in range(300000):
        v = BOX.v
        if v == 1:
            ones += 1
        else:
            twos += 1
    out[k] = ones + twos


def rebinder():
    global BOX
    for i in range(200):
        BOX = Box(2 if i % 2 else 1)


res = [0, 0]
rs = [threading.Thread(target=reader, args=(res, k)) for k in range(2)]
rb = threading.Thread(target=rebinder)
for t in rs:
    t.start()
rb.start()
for t in rs + [rb]:
    t.join()
print(res)


# A class attribute replaced while threads run a loop that calls the method.
class Shape:
    def area(self):
        return 1


def caller(out, k):
    s = Shape()
    n = 0
    for i in range(100000):
        a = s.area()
        n += 1 if a in (1, 2) else 1000
    out[k] = n


def replacer():
    for i in range(50):
        Shape.area = (lambda self: 2) if i % 2 else (lambda self: 1)


out = [0, 0, 0]
cs = [threading.Thread(target=caller, args=(out, k)) for k in range(3)]
rp = threading.Thread(target=replacer)
for t in cs:
    t.start()
rp.start()
for t in cs + [rp]:
    t.join()
print(out)
