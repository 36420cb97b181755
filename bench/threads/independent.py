# Independent CPU-bound work: each thread runs its own loop over its own data.
import sys
import threading

N_THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
WORK = 2_400_000  # total iterations, split between the threads


def work(n, out, k):
    acc = 0
    x = k + 1
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        acc += x % 7
    out[k] = acc


out = [0] * N_THREADS
ts = [threading.Thread(target=work, args=(WORK // N_THREADS, out, k)) for k in range(N_THREADS)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(N_THREADS, sum(out) > 0)
