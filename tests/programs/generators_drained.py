# tuple()/list()/sorted()/str.join() of a generator run it in one loop entry
# (Vm::gen_drain): every yield must still behave as if next() resumed it.
import sys


def count(n):
    for i in range(n):
        yield i
    return "ignored"


print(tuple(count(5)), list(count(3)), sorted(x * -1 for x in count(4)))
print("-".join(str(x) for x in count(4)))

# Partially consumed, then drained.
g = count(6)
next(g)
next(g)
print(list(g), list(g))


# The value of each yield expression is None, as with next().
def echo():
    got = []
    for i in range(3):
        got.append((yield i))
    print("echo saw", got)


print(list(echo()))


# Nested drains: a drained generator drains another.
def outer():
    for i in range(3):
        yield tuple(x + i for x in range(i))


print(list(outer()))


# An exception mid-way propagates; nothing is returned.
def boom():
    yield 1
    yield 2
    raise KeyError("mid")


try:
    list(boom())
except KeyError as e:
    print("KeyError", e)


# PEP 479 inside a drained generator.
def stop():
    yield 1
    raise StopIteration


try:
    tuple(stop())
except RuntimeError as e:
    print("RuntimeError:", e, type(e.__cause__).__name__)


# The generator sees itself running; its handled exception survives the yields.
def self_aware():
    yield me.gi_running
    try:
        raise ValueError("handled")
    except ValueError:
        yield repr(sys.exc_info()[1])
        yield repr(sys.exc_info()[1])
    yield sys.exc_info()


me = self_aware()
print(list(me), me.gi_running, me.gi_frame)


# A trace function set inside the generator: the rest of the drain is traced.
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name == "traced_gen":
        events.append((event, arg if event != "line" else frame.f_lineno))
    return tracer


def traced_gen():
    yield 1
    sys.settrace(tracer)
    yield 2
    yield 3


print(list(traced_gen()))
sys.settrace(None)
print(events)


# Re-entry from inside is refused as with next().
def reenter():
    yield 1
    try:
        list(r)
    except ValueError as e:
        yield str(e)


r = reenter()
print(list(r))

# Generators over generators, with yield from (SEND in the caller's loop under a drain).
def chain(*its):
    for it in its:
        yield from it


print(list(chain(count(2), (c for c in "ab"), chain(count(1)))))
print(sum(1 for _ in count(100)), max(count(7)), dict((i, i * i) for i in count(3)))


# sum/any/all take builtin numbers and truths as the generator yields them, and hand
# back what needs Python code, keeping CPython's order of side effects.
class Loud:
    def __init__(self, v):
        self.v = v

    def __radd__(self, other):
        print("radd", other, self.v)
        return other + self.v

    def __bool__(self):
        print("bool", self.v)
        return bool(self.v)


def mixed():
    for x in (1, 2, Loud(10), 3.5, Loud(0), 4):
        print("yield", getattr(x, "v", x))
        yield x


print(sum(mixed()))
print(any(mixed()), all(mixed()))
g = (x for x in [0, 0, 5, 6])
print(any(g), list(g))
g = (x for x in [1, "s", [], 6])
print(all(g), list(g))
print(sum((x * 0.5 for x in range(5)), 10), sum(x for x in [2**70, 1]))
