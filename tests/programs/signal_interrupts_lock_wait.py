# A signal interrupts lock waits on the main thread: its Python handler runs there,
# KeyboardInterrupt propagates out of acquire()/join()/Event.wait(), and a handler that
# returns lets the wait go on to its deadline.
import os
import signal
import threading
import time

# The test runner may start programs with SIGINT ignored: install Python's handler.
signal.signal(signal.SIGINT, signal.default_int_handler)


def send_later(sig, delay=0.2):
    def run():
        time.sleep(delay)
        os.kill(os.getpid(), sig)

    t = threading.Thread(target=run)
    t.start()
    return t


lock = threading.Lock()
lock.acquire()
s = send_later(signal.SIGINT)
try:
    lock.acquire()
    print("acquired?")
except KeyboardInterrupt:
    print("acquire interrupted")
s.join()

ev = threading.Event()
s = send_later(signal.SIGINT)
try:
    ev.wait()
except KeyboardInterrupt:
    print("Event.wait interrupted")
s.join()

worker = threading.Thread(target=ev.wait, daemon=True)
worker.start()
s = send_later(signal.SIGINT)
try:
    worker.join()
except KeyboardInterrupt:
    print("join interrupted")
s.join()

seen = []
signal.signal(signal.SIGUSR1, lambda signum, frame: seen.append(signum))
s = send_later(signal.SIGUSR1, 0.1)
t0 = time.monotonic()
got = lock.acquire(timeout=0.6)
waited = time.monotonic() - t0
s.join()
print("handler ran:", seen == [signal.SIGUSR1], "acquired:", got, "waited the timeout:", waited >= 0.55)

rl = threading.RLock()
holder = threading.Thread(target=lambda: (rl.acquire(), ev.wait()), daemon=True)
holder.start()
time.sleep(0.05)
s = send_later(signal.SIGINT)
try:
    rl.acquire()
except KeyboardInterrupt:
    print("RLock.acquire interrupted")
s.join()
ev.set()
