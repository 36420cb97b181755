# sys._current_frames() / sys._current_exceptions() (another thread's frames read while
# it is stopped, walked through f_back), and namespace packages (PEP 420: directories
# without __init__.py).
import sys
import threading
import time
import traceback

held = threading.Lock()
held.acquire()
ident = []


def f123():
    g456()


def g456():
    ident.append(threading.get_ident())
    try:
        raise ValueError("oops")
    except ValueError:
        held.acquire()  # blocks (a native call: g456 stays the innermost frame)
        held.release()


BLOCKED_LINE = g456.__code__.co_firstlineno + 5

t = threading.Thread(target=f123)
t.start()
try:
    # Wait until the thread is blocked where expected, reading its frames each time.
    for _ in range(2000):
        top = sys._current_frames().get(ident[0]) if ident else None
        if top is not None and top.f_code.co_name == "g456" and top.f_lineno == BLOCKED_LINE:
            break
        time.sleep(0.005)
    frames = sys._current_frames()
    me = threading.get_ident()
    print("ids are ints:", all(isinstance(k, int) and k > 0 for k in frames))
    print("main frame is this one:", frames[me] is sys._getframe())
    stack = traceback.extract_stack(frames[ident[0]])
    names = [s.name for s in stack]
    i = names.index("f123")
    print("thread stack:", names[i:])
    print("lines:", [s.line for s in stack[i:]])
    print("f_back chain:", frames[ident[0]].f_back.f_code.co_name)

    excs = sys._current_exceptions()
    print("main exception:", excs[me])
    typ, val, tb = excs[ident[0]]
    print("thread exception:", typ.__name__, val)
    names = [s.name for s in traceback.extract_stack(tb.tb_frame)]
    print("through the traceback:", names[names.index("f123"):])
    try:
        sys._current_frames(1)
    except TypeError as e:
        print("args:", e)
finally:
    held.release()
    t.join()
print("after join:", ident[0] in sys._current_frames())

# ---- namespace packages -------------------------------------------------------------
import importlib  # so modules get their __spec__ and __loader__ as CPython's do
import ns_pkg
import ns_pkg.sub.leaf
from ns_pkg import plain

print("namespace:", ns_pkg.__name__, getattr(ns_pkg, "__file__", None))
print("path:", [p.replace(sys.path[0], "HERE") for p in ns_pkg.__path__])
print("leaf:", ns_pkg.sub.leaf.VALUE, ns_pkg.sub.leaf.__name__)
print("plain:", plain.VALUE)
print("spec:", ns_pkg.__spec__.origin, type(ns_pkg.__loader__).__name__)
print("spec locations:", [p.replace(sys.path[0], "HERE")
                          for p in ns_pkg.__spec__.submodule_search_locations])
try:
    import ns_pkg.missing
except ModuleNotFoundError as e:
    print("missing:", e)
