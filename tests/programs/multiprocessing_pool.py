# stitch: cyclic (the Lib's multiprocessing, concurrent.futures and logging keep class, module and finalizer cycles alive until exit)
# multiprocessing and concurrent.futures process pools (fork start method): work and
# results pickled across processes, exceptions crossing back, queues, locks and
# manager proxies, builtins and methods pickled by reference, and forks made while
# other threads wait on locks and queues.
import multiprocessing as mp
import os
import pickle
import queue
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed


class Boom(Exception):
    pass


def square(x):
    return x * x


def add(a, b):
    return a + b


def fail_on(x):
    if x == 3:
        raise Boom("bad item %d" % x)
    return x * 10


def put_items(q, n):
    for i in range(n):
        q.put(("item", i))
    q.put(None)


def bump(counter, lock, times):
    for _ in range(times):
        with lock:
            counter.value += 1


def fill(arr):
    for i in range(len(arr)):
        arr[i] = arr[i] * 2 + 1


def main():
    mp.set_start_method("fork")
    # Builtins, methods and method descriptors pickle by reference.
    for obj in (pow, len, time.sleep, [3, 1, 2].copy, list.append, str.join):
        back = pickle.loads(pickle.dumps(obj))
        print(type(obj).__name__, obj.__name__, back == obj or back.__qualname__)
    print(list.append.__objclass__, str.join.__qualname__, repr(list.append))

    with mp.Pool(2) as pool:
        print("map", pool.map(square, range(10)))
        print("starmap", pool.starmap(add, [(1, 2), (3, 4), (5, 6)]))
        r = pool.apply_async(add, (20, 22))
        print("apply_async", r.get(timeout=30))
        print("builtin map", pool.map(abs, [-1, -2, 3]))
        print("imap", list(pool.imap(square, range(5))))
        try:
            pool.map(fail_on, range(6))
        except Boom as e:
            print("pool error", type(e).__name__, e)

    with ProcessPoolExecutor(max_workers=2) as ex:
        print("executor map", list(ex.map(square, range(8), chunksize=3)))
        print("executor pow", list(ex.map(pow, [2, 3], [5, 2])))
        futs = {ex.submit(fail_on, i): i for i in range(5)}
        out = []
        for f in as_completed(futs):
            i = futs[f]
            e = f.exception()
            out.append((i, f.result() if e is None else "%s: %s" % (type(e).__name__, e)))
        print("executor submit", sorted(out))
        try:
            list(ex.map(fail_on, range(5)))
        except Boom as e:
            print("executor error", e, type(e.__cause__).__name__)

    q = mp.Queue()
    p = mp.Process(target=put_items, args=(q, 4))
    p.start()
    got = []
    while (x := q.get(timeout=30)) is not None:
        got.append(x)
    p.join()
    print("queue", got, "exitcode", p.exitcode)

    with mp.Manager() as m:
        counter = m.Value("i", 0)
        lock = mp.Lock()
        procs = [mp.Process(target=bump, args=(counter, lock, 50)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        print("value", counter.value)
        arr = m.list([1.0, 2.0, 3.0])
        p = mp.Process(target=fill, args=(arr,))
        p.start()
        p.join()
        print("array", list(arr))

    # A fork while other threads wait on a threading lock, an Event and a SimpleQueue.
    ev = threading.Event()
    held = threading.Lock()
    held.acquire()
    sq = queue.SimpleQueue()
    waiters = [
        threading.Thread(target=ev.wait),
        threading.Thread(target=held.acquire),
        threading.Thread(target=sq.get),
    ]
    for t in waiters:
        t.start()
    time.sleep(0.2)
    for _ in range(3):
        with mp.Pool(2) as pool:
            print("pool beside waiting threads", pool.map(square, [7, 8]))
        m = mp.Manager()
        shared = m.list([1, 2])
        shared.append(3)
        print("manager list", list(shared))
        m.shutdown()
    ev.set()
    held.release()
    sq.put(1)
    for t in waiters:
        t.join()
    print("children left", mp.active_children())


if __name__ == "__main__":
    main()
