# Shared read-only data: every thread scans the same list and dict.
import sys
import threading

N_THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
TABLE = list(range(1000))
INDEX = {i: i * i for i in range(1000)}
ROUNDS = 1200  # total scans, split between the threads


def work(rounds, out, k):
    total = 0
    for r in range(rounds):
        for v in TABLE:
            total += INDEX[v] & 15
    out[k] = total


out = [0] * N_THREADS
ts = [threading.Thread(target=work, args=(ROUNDS // N_THREADS, out, k)) for k in range(N_THREADS)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(N_THREADS, sum(out))
