# sys.settrace / sys.setprofile: the events of a small program (calls, lines, loops,
# exceptions caught and uncaught, generators, f_trace_lines / f_trace_opcodes off/on),
# as CPython 3.11 reports them.
import sys


def tracer(frame, event, arg):
    if event == "exception":
        arg = arg[0].__name__
    elif event != "return":
        arg = None
    print(event, frame.f_code.co_name, frame.f_lineno, arg)
    return tracer


def gen(n):
    for i in range(n):
        yield i * 2


def fails(x):
    if x:
        raise ValueError(x)
    return x


def work(n):
    total = 0
    for i in range(n):
        if i % 2:
            total += i
        else:
            pass
    while total < 10:
        total += 3
    try:
        fails(1)
    except ValueError:
        total += 1
    for v in gen(2):
        total += v
    try:
        1 / 0
    finally:
        total += 100


sys.settrace(tracer)
try:
    work(3)
except ZeroDivisionError:
    pass
sys.settrace(None)
print("gettrace after reset:", sys.gettrace())


# A trace function that returns None for a frame: no 'line' events there.
def selective(frame, event, arg):
    print(event, frame.f_code.co_name)
    return tracer if frame.f_code.co_name == "traced" else None


def traced():
    a = 1
    return untraced(a)


def untraced(a):
    b = a + 1
    return b


sys.settrace(selective)
traced()
sys.settrace(None)


# A trace function that raises: tracing stops, the exception propagates.
def broken(frame, event, arg):
    if event == "line":
        raise RuntimeError("tracer failed")
    return broken


def victim():
    x = 1
    return x


sys.settrace(broken)
try:
    victim()
except RuntimeError as e:
    print("caught:", e, sys.gettrace())


# Opcode events are on when the frame asks (only counted: instruction sets differ).
counts = {}


def opcodes(frame, event, arg):
    frame.f_trace_opcodes = True
    counts[event] = counts.get(event, 0) + 1
    return opcodes


def small():
    return 1 + 2


sys.settrace(opcodes)
small()
sys.settrace(None)
print("opcode events seen:", counts.get("opcode", 0) > 0, "lines:", counts["line"])


# Profiling: calls and returns of Python functions, builtins as c_call/c_return.
def profiler(frame, event, arg):
    if event.startswith("c_"):
        print(event, arg.__name__)
    else:
        print(event, frame.f_code.co_name)


def prof_target(xs):
    return len(xs) + sum(xs)


sys.setprofile(profiler)
prof_target([1, 2, 3])
sys.setprofile(None)
print("getprofile after reset:", sys.getprofile())


# Set in the middle of a hot loop (tier 2 has compiled it): the loop leaves its trace
# and every later call is reported.
hot_events = []


def hot_tracer(frame, event, arg):
    hot_events.append((frame.f_code.co_name, event))
    return hot_tracer


def step(i):
    return i + 1


def hot_loop():
    t = 0
    for i in range(3000):
        t = step(t)
        if i == 2000:
            sys.settrace(hot_tracer)
    sys.settrace(None)
    return t


hot_loop()
print("hot loop events:", len(hot_events), hot_events[:3], hot_events[-2:])


# threading.settrace: new threads start with the function (per-thread state).
import threading

thread_events = []


def thread_tracer(frame, event, arg):
    if frame.f_code.co_name == "in_thread":
        thread_events.append((threading.current_thread().name, event))
    return thread_tracer


def in_thread():
    x = 1
    return x


threading.settrace(thread_tracer)
th = threading.Thread(target=in_thread, name="T1")
th.start()
th.join()
threading.settrace(None)
print("thread events:", thread_events, "main thread tracer:", sys.gettrace())
