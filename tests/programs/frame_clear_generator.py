# frame.clear() on a suspended generator's frame closes the generator (its finally
# runs); on an executing one it raises; a delegating generator's frame is the caller
# of its delegate while an exception is thrown in; gc.get_referents sees unboxed items.
import gc
import sys

log = []


def g():
    try:
        yield 1
        yield 2
    finally:
        log.append("finally")


gen = g()
next(gen)
gen.gi_frame.clear()
print(log, gen.gi_frame, list(gen))


def running():
    try:
        sys._getframe().clear()
    except RuntimeError as e:
        yield str(e)


print(next(running()))


def names(frame):
    out = []
    while frame and frame.f_code.co_name in ("inner", "outer"):
        out.append(frame.f_code.co_name)
        frame = frame.f_back
    return out


def inner():
    try:
        yield
    except KeyError:
        print("inner sees callers:", names(sys._getframe()))
        yield "caught"


def outer():
    r = yield from inner()
    return r


o = outer()
next(o)
print(o.throw(KeyError))

print(sorted(gc.get_referents([1, 3, 5])), sorted(gc.get_referents((2.5, 4))))
print(sorted(gc.get_referents({1: 3, 5: 7})))
print(gc.is_tracked(int), gc.is_tracked(object()), gc.is_tracked([]))


class A:
    def cb(self, phase, info):
        pass


a = A()
gc.callbacks.append(a.cb)
gc.collect()
gc.callbacks.remove(a.cb)
print(len([c for c in gc.callbacks if c == a.cb]))
