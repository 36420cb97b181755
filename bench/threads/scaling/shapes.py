"""Scaling of shared-object shapes across threads (stitch's own, after the shapes of
CPython's Tools/ftscalingbench; issue 16).

Each shape is a function `work(n)` that does `n` iterations of one small operation on
objects every thread shares (functions, classes, modules, constants...). It runs on 1
thread, then on N threads with the same work per thread; with no global lock and no
contended cache line, N threads take as long as 1. The speed-up printed is
N * time(1 thread) / time(N threads) (N is ideal; CPython 3.11's GIL gives about 1).

Usage: shapes.py [-t N] [--scale S] [--only NAME,...] [--repeat R]
Prints one line per shape: name, seconds on 1 thread, seconds on N threads, speed-up,
and the speed-up by CPU time (N * the thread's CPU time alone / the slowest thread's CPU
time among N: what the speed-up would be with N idle cores; it shows the cost of
contended cache lines even when the machine's other load keeps threads from running
at once, but not serialization by a lock that parks); then the geomeans. (bench/threads/scaling/compare runs it under stitch and python3.)
"""
import math
import sys
import threading
import time
from dataclasses import dataclass

THIS_MODULE = sys.modules[__name__]
SHAPES = {}


def shape(iters):
    """Register a shape with its iteration count at scale 1 (about 0.1 s on 1 thread)."""

    def register(fn):
        SHAPES[fn.__name__] = (fn, iters)
        return fn

    return register


class Shared:
    def __init__(self):
        self.value = 1

    def method(self):
        return self.value

    @classmethod
    def cmethod(cls):
        return cls

    @staticmethod
    def smethod():
        return 1


class Base:
    def step(self):
        return 1


class Derived(Base):
    def step(self):
        return super().step() + 1


class Manager:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Plain:
    pass


class WithInit:
    def __init__(self, a):
        self.a = a


@dataclass
class Point:
    x: int
    y: int


def module_level(a):
    return a


def gen(k):
    for i in range(k):
        yield i


SHARED_OBJ = Shared()
SHARED_DERIVED = Derived()
SHARED_MANAGER = Manager()
SHARED_TUPLE = (1, 2, 3, 4)
TLOCAL = threading.local()


@shape(1_000_000)
def object_method(n):
    o = SHARED_OBJ
    for _ in range(n):
        o.method()


@shape(1_000_000)
def builtin_function(n):
    t = SHARED_TUPLE
    for _ in range(n):
        len(t)


@shape(1_000_000)
def cmodule_function(n):
    for _ in range(n):
        math.floor(1.5)


@shape(1_000_000)
def module_function(n):
    for i in range(n):
        THIS_MODULE.module_level(i)


@shape(1_000_000)
def python_function(n):
    for i in range(n):
        module_level(i)


@shape(1_000_000)
def classmethod_call(n):
    for _ in range(n):
        Shared.cmethod()


@shape(1_000_000)
def staticmethod_call(n):
    for _ in range(n):
        Shared.smethod()


@shape(500_000)
def super_call(n):
    o = SHARED_DERIVED
    for _ in range(n):
        o.step()


@shape(500_000)
def context_manager(n):
    m = SHARED_MANAGER
    for _ in range(n):
        with m:
            pass


@shape(200_000)
def generator(n):
    for _ in range(n):
        for _ in gen(4):
            pass


@shape(2_000_000)
def load_constants(n):
    for _ in range(n):
        s = "a shared string constant"
        t = (1, "two", 3.0)


@shape(500_000)
def create_object(n):
    for _ in range(n):
        Plain()


@shape(500_000)
def create_object_init(n):
    for i in range(n):
        WithInit(i)


@shape(500_000)
def create_closure(n):
    for i in range(n):

        def inner():
            return i

        inner


@shape(500_000)
def create_dict(n):
    for i in range(n):
        {"a": i, "b": 2}


@shape(300_000)
def create_dataclass(n):
    for i in range(n):
        Point(i, 2)


@shape(1_000_000)
def thread_local_read(n):
    tl = TLOCAL
    tl.x = 1
    for _ in range(n):
        tl.x


@shape(300_000)
def setattr_dynamic_name(n):
    o = Plain()
    names = ["".join(["attr", str(k)]) for k in range(4)]  # not interned
    for i in range(n):
        setattr(o, names[i & 3], i)


@shape(2_000_000)
def multiply_constant(n):
    x = 1.0
    for i in range(n):
        x = i * 3
        y = x * 1.5


def run(fn, iters, n_threads):
    """(wall time, largest per-thread CPU time) for n_threads threads each calling
    fn(iters), started together."""
    barrier = threading.Barrier(n_threads + 1)
    cpu = []

    def body():
        barrier.wait()
        c0 = time.thread_time()
        fn(iters)
        cpu.append(time.thread_time() - c0)

    ts = [threading.Thread(target=body) for _ in range(n_threads)]
    for t in ts:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in ts:
        t.join()
    elapsed = time.perf_counter() - t0
    assert len(cpu) == n_threads
    return elapsed, max(cpu)


def main(argv):
    n_threads, scale, only, repeat = 2, 1.0, None, 3
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "-t":
            n_threads = int(argv[i + 1])
            i += 1
        elif a == "--scale":
            scale = float(argv[i + 1])
            i += 1
        elif a == "--only":
            only = argv[i + 1].split(",")
            i += 1
        elif a == "--repeat":
            repeat = int(argv[i + 1])
            i += 1
        else:
            raise SystemExit("usage: shapes.py [-t N] [--scale S] [--only A,B] [--repeat R]")
        i += 1
    names = only or list(SHAPES)
    speedups = []
    cpu_speedups = []
    for name in names:
        fn, iters = SHAPES[name]
        iters = max(1, int(iters * scale))
        r1 = [run(fn, iters, 1) for _ in range(repeat)]
        rn = [run(fn, iters, n_threads) for _ in range(repeat)]
        t1, tn = min(r[0] for r in r1), min(r[0] for r in rn)
        c1, cn = min(r[1] for r in r1), min(r[1] for r in rn)
        s = n_threads * t1 / tn
        speedups.append(s)
        cpu_speedups.append(n_threads * c1 / cn)
        print(f"{name} {t1:.4f} {tn:.4f} {s:.3f} {n_threads * c1 / cn:.3f}", flush=True)
    geo = math.exp(sum(math.log(s) for s in speedups) / len(speedups))
    cgeo = math.exp(sum(math.log(s) for s in cpu_speedups) / len(cpu_speedups))
    print(f"geomean {geo:.3f} {cgeo:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
