# _thread as the Lib's threading uses it: locks, native RLock, sentinels, _local,
# _excepthook, stack_size, error messages.
import _thread
import threading
import sys

l = _thread.allocate_lock()
print(type(l), _thread.LockType is type(l), repr(l).split(" at ")[0])
for args, kw in [((False, 1), {}), ((True, -2), {}), ((True, 1e100), {}), (("x",), {}),
                 ((), {"timeout": 1e10})]:
    try:
        l.acquire(*args, **kw)
    except Exception as e:
        print(type(e).__name__, e)
try:
    l.release()
except RuntimeError as e:
    print("RuntimeError", e)
print(l.acquire(), l.locked(), l.acquire(timeout=0.01), l.acquire(False), repr(l).split(" at ")[0])
l._at_fork_reinit()
print(l.locked())
with l:
    print("in with", l.locked())
print(l.locked())

r = _thread.RLock()
print(repr(r).split(" owner=")[0], r._is_owned())
r.acquire(); r.acquire()
print(r._is_owned(), repr(r).split(" count=")[1].split(" at ")[0])
state = r._release_save()
print(state[0], r._is_owned())
r._acquire_restore(state)
print(r._is_owned())
r.release(); r.release()
for f in (r.release, r._release_save):
    try:
        f()
    except RuntimeError as e:
        print("RuntimeError", e)
print(isinstance(threading.RLock(), _thread.RLock))

print(_thread.stack_size(), _thread.TIMEOUT_MAX, _thread.error is RuntimeError)
try:
    _thread.stack_size(100)
except ValueError as e:
    print("ValueError", e)
print(_thread.stack_size(1 << 20), _thread.stack_size(0))
for bad in [(1, ()), (print, [])]:
    try:
        _thread.start_new_thread(*bad)
    except TypeError as e:
        print("TypeError", e)
try:
    _thread.exit()
except SystemExit as e:
    print("SystemExit", e.args)

# A sentinel is released when its thread ends.
done = _thread.allocate_lock()
box = []
def worker():
    s = _thread._set_sentinel()
    s.acquire()
    box.append(s)
    done.release()
done.acquire()
_thread.start_new_thread(worker, ())
done.acquire()
box[0].acquire()
print("sentinel released", _thread._count())

# threading.local: per-thread attributes, __init__ rerun per thread.
class Loc(threading.local):
    inits = 0
    def __init__(self, x):
        Loc.inits += 1
        self.x = x
    def double(self):
        return self.x * 2
loc = Loc(21)
loc.y = "main"
out = []
def reader():
    out.append((loc.x, hasattr(loc, "y"), loc.double()))
    loc.x = 1
    out.append(loc.x)
t = threading.Thread(target=reader)
t.start(); t.join()
print(out, loc.x, loc.y, Loc.inits, sorted(loc.__dict__))
del loc.y
print(hasattr(loc, "y"))
try:
    threading.local(1)
except TypeError as e:
    print("TypeError", e)
plain = threading.local()
plain.a = 1
try:
    plain.__dict__ = {}
except AttributeError as e:
    print("AttributeError", e)
try:
    plain.b
except AttributeError as e:
    print("AttributeError", e)
print(type(plain))

# threading.excepthook (_thread._excepthook) reports on stderr; SystemExit is silent.
print(threading.excepthook is _thread._excepthook, threading.ExceptHookArgs is _thread._ExceptHookArgs)
def boom():
    raise ValueError("boom")
def quiet():
    sys.exit(3)
for fn in (boom, quiet):
    t = threading.Thread(target=fn, name="T-" + fn.__name__)
    t.start(); t.join()
args = _thread._ExceptHookArgs([KeyError, KeyError("k"), None, None])
print(args.exc_type, args.thread, len(args))
try:
    _thread._excepthook(1)
except TypeError as e:
    print("TypeError", e)
print(threading.active_count(), threading.main_thread().name, threading.current_thread() is threading.main_thread())

# Non-daemon threads are joined at exit (threading._shutdown).
ev = threading.Event()
def late():
    ev.wait()
    print("late thread done")
threading.Thread(target=late).start()
print("main done")
ev.set()
