# A contended lock: threads do some private work, then update a shared counter.
import sys
import threading

N_THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
UPDATES = 200_000  # total, split between the threads
lock = threading.Lock()
state = {"count": 0}


def work(n):
    for i in range(n):
        x = 0
        for j in range(10):
            x += j * i
        with lock:
            state["count"] += 1


ts = [threading.Thread(target=work, args=(UPDATES // N_THREADS,)) for _ in range(N_THREADS)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(N_THREADS, state["count"])
