# Assigning frame.f_lineno from a trace function: jumps forwards and backwards, out of
# loops and handlers, and the ValueErrors of the jumps CPython 3.11 refuses.
import sys


def jumper(frm, to):
    """A trace function that jumps from line `frm` to line `to` of the traced
    function (numbered from its `def`), once, and records what the jump raised."""
    state = {"done": False, "error": None}

    def trace(frame, event, arg):
        if frame.f_code is not target.__code__:
            return trace
        if event == "line" and not state["done"]:
            if frame.f_lineno - frame.f_code.co_firstlineno == frm:
                state["done"] = True
                try:
                    frame.f_lineno = frame.f_code.co_firstlineno + to
                except ValueError as e:
                    state["error"] = str(e)
        return trace

    return trace, state


def run(name, func, frm, to):
    global target
    target = func
    out = []
    trace, state = jumper(frm, to)
    sys.settrace(trace)
    try:
        func(out)
    finally:
        sys.settrace(None)
    print(name, out, state["error"])


def forwards(out):
    out.append(1)
    out.append(2)
    out.append(3)


def backwards(out):
    out.append(1)
    out.append(2)
    if len(out) < 4:
        out.append(4)


def out_of_loop(out):
    for i in range(3):
        out.append(i)
    out.append(4)


def into_loop(out):
    out.append(1)
    for i in range(2):
        out.append(i)
    out.append(5)


def out_of_except(out):
    try:
        1 / 0
    except ZeroDivisionError:
        out.append(4)
        out.append(5)
    out.append(6)


def into_except(out):
    out.append(1)
    try:
        out.append(3)
    except ValueError:
        out.append(5)
    out.append(6)


def past_end(out):
    out.append(1)


def before_start(out):
    out.append(1)


run("forwards", forwards, 1, 3)
run("backwards", backwards, 3, 1)
run("out_of_loop", out_of_loop, 2, 3)
run("into_loop", into_loop, 1, 3)
run("out_of_except", out_of_except, 4, 6)
run("into_except", into_except, 1, 5)
run("past_end", past_end, 1, 40)
run("before_start", before_start, 1, -5)


# Only a trace function may jump, and only on a 'line' event.
def outside(frame):
    try:
        frame.f_lineno = 1
    except ValueError as e:
        print("outside:", e)


outside(sys._getframe())


def on_call(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "called":
        try:
            frame.f_lineno = frame.f_lineno + 1
        except ValueError as e:
            print("call event:", e)
    return None


def called():
    return 1


sys.settrace(on_call)
called()
sys.settrace(None)


def bad_value(frame, event, arg):
    if event == "line" and frame.f_code.co_name == "typed":
        try:
            frame.f_lineno = "3"
        except ValueError as e:
            print("bad value:", e)
        sys.settrace(None)
        frame.f_trace = None
    return bad_value


def typed():
    return 1


sys.settrace(bad_value)
typed()
sys.settrace(None)
