# stitch: cyclic
# asyncio on the native _asyncio Future/Task: gather, wait, wait_for, timeouts,
# cancellation with messages, TaskGroup, exceptions, task names, current_task,
# all_tasks, run_coroutine_threadsafe, future callbacks and attributes.
import asyncio
import _asyncio
import contextvars
import threading

print(asyncio.Future is _asyncio.Future, asyncio.Task is _asyncio.Task)
print(asyncio.Task.__mro__)
print(asyncio.Future[int])

var = contextvars.ContextVar("var", default="unset")


async def double(n, delay=0):
    await asyncio.sleep(delay)
    return n * 2


async def boom(msg):
    await asyncio.sleep(0)
    raise ValueError(msg)


async def futures_basics():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    print(f, f._state, f.done(), f.cancelled(), f._callbacks, f._asyncio_future_blocking)
    seen = []
    f.add_done_callback(lambda fut: seen.append(("cb1", fut.result())))
    f.add_done_callback(seen.append)
    print(len(f._callbacks), f.remove_done_callback(seen.append), len(f._callbacks))
    try:
        f.result()
    except asyncio.InvalidStateError as e:
        print("InvalidStateError", e)
    try:
        f.exception()
    except asyncio.InvalidStateError as e:
        print("InvalidStateError", e)
    f.set_result(5)
    print(f, f.result(), f.exception(), f._result)
    await asyncio.sleep(0)
    print(seen)
    try:
        f.set_result(6)
    except asyncio.InvalidStateError as e:
        print("InvalidStateError", e)
    g = loop.create_future()
    try:
        g.set_exception(StopIteration())
    except TypeError as e:
        print("TypeError", e)
    g.set_exception(KeyError)
    print(g, type(g.exception()).__name__, g._log_traceback)
    try:
        g.result()
    except KeyError as e:
        print("raised", repr(e))
    try:
        g._log_traceback = True
    except ValueError as e:
        print("ValueError", e)
    h = loop.create_future()
    print(h.cancel("why"), h.cancel(), h.cancelled(), h._cancel_message)
    try:
        h.result()
    except asyncio.CancelledError as e:
        print("CancelledError", e.args)
    try:
        asyncio.Future().get_loop()
    except RuntimeError as e:
        print("RuntimeError", e)
    u = asyncio.Future.__new__(asyncio.Future)
    for name in ["result", "exception", "get_loop", "cancel", "__await__"]:
        try:
            getattr(u, name)()
        except Exception as e:
            print(name, type(e).__name__, e)
    try:
        u.add_done_callback(print)
    except RuntimeError as e:
        print("RuntimeError", e)
    print(u.done(), u.cancelled(), u._loop, u._asyncio_future_blocking)
    # Awaiting a future set from a callback.
    k = loop.create_future()
    loop.call_later(0.001, k.set_result, "later")
    print(await k)
    # yield from on a future (generator-based awaiting).
    it = iter(loop.create_future())
    print(type(it).__name__, next(it)._state)


class MyFuture(asyncio.Future):
    def __init__(self, *, loop=None, tag=""):
        super().__init__(loop=loop)
        self.tag = tag

    def set_result(self, r):
        super().set_result(("wrapped", r))


async def subclasses():
    loop = asyncio.get_running_loop()
    f = MyFuture(loop=loop, tag="t")
    loop.call_soon(f.set_result, 1)
    print(await f, f.tag, isinstance(f, asyncio.Future))

    class MyTask(asyncio.Task):
        pass

    t = MyTask(double(21), loop=loop, name="mine")
    print(await t, t.get_name(), type(t).__name__)


async def tasks_and_names():
    t1 = asyncio.create_task(double(1), name="first")
    t2 = asyncio.create_task(double(2))
    t2.set_name(12345)
    print(t1.get_name(), t2.get_name(), type(t2.get_name()).__name__)
    print(await t1, await t2)
    print(t1.done(), t1.result(), t1.get_coro().__name__)
    cur = asyncio.current_task()
    print(cur.get_name(), cur in asyncio.all_tasks(), cur.cancelling())
    try:
        t1.set_result(1)
    except RuntimeError as e:
        print("RuntimeError", e)
    try:
        asyncio.Task(42)
    except TypeError as e:
        print("TypeError", e)


async def gather_and_wait():
    print(await asyncio.gather(double(1), double(2, 0.001), double(3)))
    res = await asyncio.gather(boom("x"), double(4), return_exceptions=True)
    print([repr(r) for r in res])
    try:
        await asyncio.gather(boom("first"), double(5))
    except ValueError as e:
        print("gather raised", e)
    tasks = [asyncio.create_task(double(i, i * 0.002)) for i in range(3)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(len(done), len(pending))
    done, pending = await asyncio.wait(tasks)
    print(sorted(t.result() for t in done), len(pending))
    out = []
    for c in asyncio.as_completed([double(3, 0.003), double(1, 0.001)]):
        out.append(await c)
    print(out)


async def timeouts():
    try:
        await asyncio.wait_for(asyncio.sleep(1), timeout=0.001)
    except asyncio.TimeoutError:
        print("wait_for timed out")
    print(await asyncio.wait_for(double(7), timeout=1))
    try:
        async with asyncio.timeout(0.001) as cm:
            await asyncio.sleep(1)
    except TimeoutError:
        print("timeout() expired", cm.expired())
    async with asyncio.timeout(None):
        await asyncio.sleep(0)
    print("no timeout")


async def cancellation():
    started = asyncio.Event()

    async def sleeper():
        started.set()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError as e:
            print("inner cancelled", e.args)
            raise

    t = asyncio.create_task(sleeper())
    await started.wait()
    print(t.cancel(msg="stop now"), t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print("outer cancelled", e.args, t.cancelled())
    print(t.cancel(), t._state, repr(t).split(" coro=")[0])

    async def stubborn():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            return "refused"

    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    t.cancel()
    print(await t, t.cancelled(), t.cancelling(), t.uncancel(), t.uncancel())

    # Cancelled before its first step.
    t = asyncio.create_task(double(1))
    t.cancel("early")
    try:
        await t
    except asyncio.CancelledError as e:
        print("early", e.args)

    # shield
    inner = asyncio.create_task(double(8, 0.002))
    outer = asyncio.shield(inner)
    outer.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("shield outer cancelled")
    print(await inner)


async def exceptions():
    t = asyncio.create_task(boom("bad"))
    try:
        await t
    except ValueError as e:
        print("task raised", e, type(t.exception()).__name__)

    async def raises_stop():
        raise StopIteration("s")

    try:
        await asyncio.create_task(raises_stop())
    except RuntimeError as e:
        print("RuntimeError", e)

    async def bad_yield():
        class Weird:
            def __await__(self):
                yield 42
        await Weird()

    try:
        await asyncio.create_task(bad_yield())
    except RuntimeError as e:
        print("RuntimeError", e)

    async def await_self():
        await asyncio.current_task()

    try:
        await asyncio.create_task(await_self())
    except RuntimeError as e:
        print("RuntimeError", str(e).split(":")[0])


async def taskgroups():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(double(10))
        b = tg.create_task(double(20, 0.001))
    print(a.result(), b.result())
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(boom("in group"))
            tg.create_task(asyncio.sleep(1))
    except* ValueError as eg:
        print("group", [str(e) for e in eg.exceptions])


async def contexts():
    var.set("main")

    async def reader(tag):
        await asyncio.sleep(0)
        return tag, var.get()

    t = asyncio.create_task(reader("copied"))
    var.set("changed")
    print(await t)
    ctx = contextvars.Context()
    t = asyncio.create_task(reader("explicit"), context=ctx)
    print(await t)
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    got = []
    f.add_done_callback(lambda _: got.append(var.get()), context=ctx)
    f.set_result(None)
    await asyncio.sleep(0)
    print(got)


def threadsafe():
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        loop.run_forever()

    th = threading.Thread(target=run)
    th.start()
    ready.wait()
    futs = [asyncio.run_coroutine_threadsafe(double(i), loop) for i in range(5)]
    print([f.result(timeout=5) for f in futs])
    f = asyncio.run_coroutine_threadsafe(boom("remote"), loop)
    try:
        f.result(timeout=5)
    except ValueError as e:
        print("remote raised", e)
    loop.call_soon_threadsafe(loop.stop)
    th.join()
    loop.close()


def running_loop():
    print(asyncio._get_running_loop())
    try:
        asyncio.get_running_loop()
    except RuntimeError as e:
        print("RuntimeError", e)


async def main():
    await futures_basics()
    await subclasses()
    await tasks_and_names()
    await gather_and_wait()
    await timeouts()
    await cancellation()
    await exceptions()
    await taskgroups()
    await contexts()
    print(asyncio.get_running_loop() is asyncio.get_event_loop())


running_loop()
asyncio.run(main())
threadsafe()
running_loop()


# An exception never retrieved is reported through the loop's exception handler.
def handler(loop, context):
    print("handler:", context["message"], type(context.get("exception")).__name__)


loop = asyncio.new_event_loop()
loop.set_exception_handler(handler)
fut = loop.create_future()
fut.set_exception(ValueError("lost"))
del fut
loop.close()
print("done")
