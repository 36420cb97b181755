# queue: Queue (FIFO, bounded, task_done/join), LifoQueue, PriorityQueue, SimpleQueue,
# blocking and non-blocking get/put with timeouts, Empty/Full, producers/consumers.
import queue
import threading

q = queue.Queue()
for i in range(5):
    q.put(i)
print(q.qsize(), q.empty(), q.full(), [q.get() for _ in range(5)], q.empty())
try:
    q.get_nowait()
except queue.Empty:
    print("Empty (nowait)")
try:
    q.get(timeout=0.01)
except queue.Empty:
    print("Empty (timeout)")

bq = queue.Queue(maxsize=2)
bq.put(1)
bq.put_nowait(2)
print(bq.full())
try:
    bq.put(3, block=False)
except queue.Full:
    print("Full (nowait)")
try:
    bq.put(3, timeout=0.01)
except queue.Full:
    print("Full (timeout)")

lq = queue.LifoQueue()
pq = queue.PriorityQueue()
for v in [3, 1, 4, 1, 5]:
    lq.put(v)
    pq.put((v, str(v)))
print([lq.get() for _ in range(5)], [pq.get()[0] for _ in range(5)])

sq = queue.SimpleQueue()
sq.put("a")
sq.put("b")
print(sq.qsize(), sq.get(), sq.get_nowait(), sq.empty())
try:
    sq.get(timeout=0.01)
except queue.Empty:
    print("SimpleQueue Empty")

# Producers and consumers with task_done/join: every item is processed exactly once.
work = queue.Queue(maxsize=10)
done = []
done_lock = threading.Lock()


def consumer():
    while True:
        item = work.get()
        if item is None:
            work.task_done()
            break
        with done_lock:
            done.append(item * 2)
        work.task_done()


def producer(base):
    for i in range(200):
        work.put(base + i)


consumers = [threading.Thread(target=consumer) for _ in range(4)]
producers = [threading.Thread(target=producer, args=(k * 1000,)) for k in range(3)]
for t in consumers + producers:
    t.start()
for t in producers:
    t.join()
work.join()
for _ in consumers:
    work.put(None)
for t in consumers:
    t.join()
print(len(done), sum(done), len(set(done)), work.unfinished_tasks)
try:
    work.task_done()
except ValueError as e:
    print("ValueError:", e)
