# Exceptions nobody can receive go to sys.unraisablehook: a thread started by
# _thread.start_new_thread that raises, and interrupt_main in the main thread runs
# the SIGINT handler before it returns.
import _thread
import signal
import sys
import threading
import weakref

got = []


def hook(args):
    got.append((args.exc_type.__name__, str(args.exc_value), args.err_msg,
                args.object is task, type(args).__name__))


def task():
    raise ValueError("task failed")


old = sys.unraisablehook
sys.unraisablehook = hook
done = threading.Event()
_thread.start_new_thread(lambda: (task() if False else None, done.set()), ())
done.wait()


def run():
    try:
        task()
    finally:
        done2.set()


done2 = threading.Event()
_thread.start_new_thread(task, ())
import time
for _ in range(500):
    if got:
        break
    time.sleep(0.01)
sys.unraisablehook = old
print(got)

try:
    _thread.interrupt_main()
    print("not raised")
except KeyboardInterrupt:
    print("KeyboardInterrupt at once")

calls = []
old_h = signal.signal(signal.SIGUSR1, lambda s, f: calls.append(s))
_thread.interrupt_main(signal.SIGUSR1)
print(calls == [signal.SIGUSR1])
signal.signal(signal.SIGUSR1, signal.SIG_IGN)
_thread.interrupt_main(signal.SIGUSR1)
print("ignored signal: no effect")
signal.signal(signal.SIGUSR1, old_h)

r = _thread.RLock()
wr = weakref.ref(r)
print(wr() is r)
del r
print(wr())
