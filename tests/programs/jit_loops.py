# Hot while-loops that tier 2 compiles (with -X jit=on; the harness runs every program
# with and without it), and every way such a trace has to leave: int overflow into big
# ints, a zero divisor, a local that changes type, a branch off the traced path, an
# unbound local, a generator frame, and threads started after the loop was compiled
# (the SingleThreaded patchpoint).
import threading


def total(n):
    i = 0
    s = 0
    while i < n:
        s += i * 3 % 7
        if i % 5 == 0:
            s -= 1
        i += 1
    return s


print(total(10000), total(3))


def powers(n):
    a = 1
    i = 0
    while i < n:
        a = a * 3  # leaves the small-int range: the trace exits, tier 1 uses big ints
        i += 1
    return a


print(powers(100) % 1000003, powers(30))


def mixed(n):
    i = 0
    x = 0
    while i < n:
        x = x + i
        if i == n - 10:
            x = x + 0.5  # x becomes a float late in the loop
        i += 1
    return x


print(mixed(5000))


def divide(n, d):
    i = 0
    acc = 0
    while i < n:
        acc = acc + i // d
        i += 1
        if i == n - 1:
            d = 0
    return acc


try:
    divide(1000, 7)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)


def unbound(n):
    i = 0
    while i < n:
        if i == n - 2:
            del j
        j = i
        i += 1
    return j


try:
    unbound(500)
except UnboundLocalError as e:
    print("UnboundLocalError:", e)


def gen(n):
    i = 0
    t = 0
    while i < n:
        t += i
        i += 1
    yield t
    yield i


print(list(gen(2000)))

results = []
print(total(20000))  # compiled while only one thread runs


def worker(k):
    results.append((k, total(3000 + k)))


ts = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(results))
print(total(20000))
