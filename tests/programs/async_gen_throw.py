# stitch: cyclic (an exception thrown by athrow() is kept by the awaitable, which the
# finished frame of step() keeps among its locals, as in CPython; no cycle GC yet)
def run(coro):
    value = None
    while True:
        try:
            req = coro.send(value)
        except StopIteration as e:
            return e.value
        value = req

class Pause:
    def __await__(self):
        return (yield "paused")

async def agen():
    try:
        yield 1
        await Pause()
        yield 2
    except ValueError as e:
        print("  agen caught", repr(e))
        yield "recovered"
    finally:
        print("  agen finally")

def step(aw, v=None):
    try:
        r = aw.send(v)
        return ("yield-to-loop", r)
    except StopIteration as e:
        return ("value", e.value)
    except StopAsyncIteration:
        return ("stop-async",)
    except Exception as e:
        return ("error", type(e).__name__, str(e))

print("-- athrow after first yield")
a = agen()
print(step(a.__anext__()))
t = a.athrow(ValueError("boom"))
print(type(t).__name__)
print(step(t))
print(step(a.__anext__()))

print("-- athrow 3-arg form")
a = agen()
print(step(a.__anext__()))
print(step(a.athrow(ValueError, "x")))
print(step(a.athrow(ValueError, ValueError("y"), None)))
print(step(a.athrow(ValueError, ("t1", "t2"))))

print("-- athrow uncaught")
async def plain():
    yield 1
a = plain()
print(step(a.__anext__()))
print(step(a.athrow(KeyError("k"))))
print(step(a.__anext__()))
print(step(a.athrow(KeyError("k"))))

print("-- athrow on unstarted")
a = plain()
print(step(a.athrow(TypeError("early"))))
print(step(a.__anext__()))

print("-- aclose")
a = agen()
print(step(a.__anext__()))
c = a.aclose()
print(type(c).__name__)
print(step(c))
print(step(c))
print(step(a.__anext__()))
print(step(a.aclose()))

print("-- aclose on unstarted / finished")
a = agen()
print(step(a.aclose()))
a = plain()
print(step(a.__anext__()))
print(step(a.__anext__()))
print(step(a.aclose()))

print("-- aclose while awaiting inside the generator")
a = agen()
print(step(a.__anext__()))
n = a.__anext__()
print(step(n))
print(a.ag_await.__class__.__name__, a.ag_running)
print(step(a.aclose()))
print(step(n, "late"))

print("-- ignored GeneratorExit")
async def stubborn():
    try:
        yield 1
    finally:
        yield 2
a = stubborn()
print(step(a.__anext__()))
print(step(a.aclose()))

print("-- await in finally during aclose")
async def cleanup():
    try:
        yield 1
    finally:
        print("  cleaning")
        v = await Pause()
        print("  cleaned with", v)
a = cleanup()
print(step(a.__anext__()))
c = a.aclose()
print(step(c))
print(step(c, "ok"))

print("-- asend values")
async def echo():
    v = None
    while True:
        v = yield v
        if v == "stop":
            return
a = echo()
print(step(a.asend(None)))
print(step(a.asend("hi")))
print(step(a.asend(42)))
print(step(a.asend("stop")))
print(step(a.asend(1)))

print("-- running checks")
async def slow():
    await Pause()
    yield 1
a = slow()
n1 = a.__anext__()
print(step(n1))
print(a.ag_running)
print(step(a.__anext__()))
print(step(a.aclose()))
print(step(a.athrow(ValueError)))
print(step(n1))
print(a.ag_running)

print("-- send non-None to fresh athrow")
a = agen()
print(step(a.__anext__()))
print(step(a.athrow(ValueError), 5))

print("-- StopIteration / StopAsyncIteration raised inside")
async def bad1():
    yield 1
    raise StopIteration
async def bad2():
    yield 1
    raise StopAsyncIteration("x")
for b in (bad1, bad2):
    a = b()
    print(step(a.__anext__()))
    try:
        a.__anext__().send(None)
    except RuntimeError as e:
        print("RuntimeError:", e, "| cause:", repr(e.__cause__))

print("-- throw into asend / athrow awaitables")
a = agen()
n = a.__anext__()
print(step(n))
a2 = agen()
print(step(a2.__anext__()))
n2 = a2.__anext__()
print(step(n2))
try:
    print(n2.throw(ValueError("via asend")))
except StopIteration as e:
    print("value", e.value)
n2.close()
print(step(n2))
t = a2.athrow(KeyError)
t.close()
print(step(t))
a3 = agen()
print(step(a3.__anext__()))
c3 = a3.aclose()
try:
    c3.throw(GeneratorExit)
except StopIteration as e:
    print("aclose.throw(GeneratorExit) -> StopIteration", e.args)

print("-- bad athrow arguments")
a = agen()
print(step(a.__anext__()))
print(step(a.athrow()))
a = agen()
print(step(a.__anext__()))
print(step(a.athrow(1)))
a = agen()
print(step(a.__anext__()))
print(step(a.athrow(ValueError("v"), 1)))
try:
    a.athrow(x=1)
except TypeError as e:
    print("TypeError:", e)

print("-- cleanup")
del a
print("dropped a")
del n
print("dropped n")
del t
print("dropped t")
del n2
print("dropped n2")
del a2
print("dropped a2")
del c3, a3
print("end")
