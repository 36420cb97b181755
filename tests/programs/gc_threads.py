# Threads building cycles while another thread runs gc.collect(): every cycle is
# found once, finalizers run once, nothing in use is freed.
import gc
import threading

N_THREADS = 4
PER_THREAD = 3000
finalized = []
lock = threading.Lock()


class Node:
    def __init__(self, tag):
        self.tag = tag
        self.data = [tag] * 4

    def __del__(self):
        with lock:
            finalized.append(self.tag)


def worker(k, out):
    kept = []
    for i in range(PER_THREAD):
        a = Node((k, i))
        b = Node((k, i))
        a.peer = b
        b.peer = a
        if i % 100 == 0:
            # Reachable cycles must survive any collection.
            kept.append(a)
    del a, b
    ok = all(x.peer.peer is x and x.data == [x.tag] * 4 for x in kept)
    out.append((k, ok, len(kept)))


stop = threading.Event()


def collector():
    while not stop.is_set():
        gc.collect()


results = []
c = threading.Thread(target=collector)
c.start()
threads = [threading.Thread(target=worker, args=(k, results)) for k in range(N_THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
stop.set()
c.join()
gc.collect()
print(sorted(results))
# Every node was finalized exactly once (the kept ones died with their thread).
print(len(finalized) == N_THREADS * PER_THREAD * 2)
print(len(set(finalized)) == N_THREADS * PER_THREAD)
