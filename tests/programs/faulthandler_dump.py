# faulthandler: tracebacks on demand, after a timeout, on a user signal and on a
# fatal signal (in a child process), normalized (thread ids, paths).
import faulthandler
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time


def norm(text):
    text = re.sub(r"0x[0-9a-f]{16}", "0xTHREAD", text)
    text = re.sub(r'File "[^"]*/([^"/]+)"', r'File "\1"', text)
    return text


def dumped(fn):
    with tempfile.TemporaryFile("w+") as f:
        fn(f)
        f.seek(0)
        return norm(f.read())


def inner(f):
    faulthandler.dump_traceback(f, all_threads=False)


def outer(f):
    inner(f)


print(dumped(outer), end="")

ready = threading.Event()
go = threading.Event()


def worker():
    ready.set()
    go.wait()


t = threading.Thread(target=worker)
t.start()
ready.wait()
text = dumped(lambda f: faulthandler.dump_traceback(f))
go.set()
t.join()
# Two threads: the worker (waiting) and this one, marked current.
print(text.count("Thread 0xTHREAD"), text.count("Current thread 0xTHREAD"))
print([l.split(" in ")[-1] for l in text.splitlines() if "faulthandler_dump.py" in l])
print(text.splitlines()[-1])


def later(f):
    faulthandler.dump_traceback_later(0.2, file=f)
    while os.fstat(f.fileno()).st_size == 0:
        time.sleep(0.01)
    faulthandler.cancel_dump_traceback_later()


print(dumped(later), end="")


def on_signal(f):
    faulthandler.register(signal.SIGUSR1, file=f, all_threads=False)
    os.kill(os.getpid(), signal.SIGUSR1)
    print("unregister:", faulthandler.unregister(signal.SIGUSR1))


print(dumped(on_signal), end="")
print("unregister again:", faulthandler.unregister(signal.SIGUSR1))

for bad in [lambda: faulthandler.dump_traceback_later(0),
            lambda: faulthandler.dump_traceback_later(-1.5),
            lambda: faulthandler.enable(file=-1),
            lambda: faulthandler.register(signal.SIGSEGV),
            lambda: faulthandler.register(0)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)

print("enabled:", faulthandler.is_enabled())
child = """
import faulthandler
def crash():
    faulthandler._sigsegv()
crash()
"""
for args in (["-X", "faulthandler"], []):
    p = subprocess.run([sys.executable, *args, "-c", child], capture_output=True, text=True)
    print(args, p.returncode, repr(norm(p.stderr)))
