# multiprocessing's locks on _multiprocessing.SemLock, shared with a forked child;
# a process pool (fork) maps a function.
import concurrent.futures as cf
import multiprocessing as mp
import os


def square(x):
    return x * x


if __name__ == "__main__":
    ctx = mp.get_context("fork")
    lock = ctx.Lock()
    with lock:
        print("locked", lock)
    r = ctx.RLock()
    r.acquire()
    r.acquire()
    print(r)
    r.release()
    r.release()
    try:
        r.release()
    except AssertionError as e:
        print("AssertionError:", e)
    s = ctx.BoundedSemaphore(2)
    print(s.acquire(), s.acquire(), s.acquire(timeout=0.05))
    s.release()
    s.release()
    try:
        s.release()
    except ValueError as e:
        print("ValueError:", e)
    ev = ctx.Event()
    sem = ctx.Semaphore(0)
    pid = os.fork()
    if pid == 0:
        sem.release()
        ev.wait(5)
        os._exit(0 if ev.is_set() else 1)
    print("child released:", sem.acquire(timeout=5))
    ev.set()
    print("child exit:", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    with cf.ProcessPoolExecutor(2, mp_context=ctx) as ex:
        print(list(ex.map(square, range(5))))
