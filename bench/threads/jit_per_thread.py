# Per-thread speed of JIT-compiled loops (issue 16's goal: with 2 threads each running
# independent work, each thread runs at >= 80% of the single-threaded JIT speed).
# The same function runs first on the main thread alone, then on N threads at once
# (the same work on each); each run is timed by its own thread's CPU time
# (time.thread_time), so a loaded machine changes the figures less than wall time.
#
# Usage: stitch bench/threads/jit_per_thread.py [N_THREADS] [ITERATIONS]
import sys
import threading
import time

N_THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
WORK = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000


def work(n, k):
    acc = 0
    x = k + 1
    for i in range(n):
        x = (x * 1103 + 12345) % 2147483648
        acc += x % 7
    return acc


def timed(k, out):
    t0 = time.thread_time()
    r = work(WORK, k)
    out[k] = (time.thread_time() - t0, r)


alone = [None]
work(WORK // 10, 0)  # warm up: the loop compiles on the main thread
timed(0, alone)
out = [None] * N_THREADS
ts = [threading.Thread(target=timed, args=(k, out)) for k in range(N_THREADS)]
wall = time.perf_counter()
for t in ts:
    t.start()
for t in ts:
    t.join()
wall = time.perf_counter() - wall
base = alone[0][0]
print("main thread alone: %.3f s cpu" % base)
for k, (cpu, _) in enumerate(out):
    print("thread %d of %d: %.3f s cpu, speed %.0f%% of alone" % (k, N_THREADS, cpu, 100 * base / cpu))
print("wall for %d threads: %.3f s (alone x %d would be %.3f s)" % (N_THREADS, wall, N_THREADS, base * N_THREADS))
