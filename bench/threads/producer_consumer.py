# Producer/consumer through queue.Queue: producers make work items, consumers do
# CPU work on each. N_THREADS consumers, one producer.
import queue
import sys
import threading

N_THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
ITEMS = 4000
q = queue.Queue(maxsize=256)
results = []
rlock = threading.Lock()


def consumer():
    local = 0
    while True:
        item = q.get()
        if item is None:
            break
        acc = 0
        for i in range(200):
            acc += (item * i) % 13
        local += acc
    with rlock:
        results.append(local)


cs = [threading.Thread(target=consumer) for _ in range(N_THREADS)]
for c in cs:
    c.start()
for i in range(ITEMS):
    q.put(i)
for _ in cs:
    q.put(None)
for c in cs:
    c.join()
print(N_THREADS, sum(results))
