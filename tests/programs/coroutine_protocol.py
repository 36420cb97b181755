# Coroutines are awaitables, not iterators: __await__ gives a coroutine_wrapper;
# iterating a coroutine, `yield from` it in a plain generator, awaiting bad objects
# and bad async with / async for managers raise CPython's errors.
import sys
import types
import warnings

# Coroutines left unawaited below would warn on stderr; the warning is checked at the
# end with the warnings recorded.
warnings.simplefilter("ignore")

def run(coro):
    out = []
    try:
        while True:
            out.append(coro.send(None))
    except StopIteration as e:
        return out, e.value


async def answer():
    return 42


c = answer()
w = c.__await__()
print(type(w).__name__, iter(w) is w, "__await__" in dir(c), hasattr(c, "__next__"))
try:
    next(w)
except StopIteration as e:
    print("wrapper result:", e.value)
try:
    iter(answer())
except TypeError as e:
    print(e)
co = answer()
try:
    next(co)
except TypeError as e:
    print(e)
co.close()


class Wrapper:
    def __init__(self, coro):
        self.coro = coro

    def __await__(self):
        return self.coro.__await__()


async def via_wrapper():
    return await Wrapper(answer())


print(run(via_wrapper()))

inner = answer()


def plain_gen():
    yield from inner


try:
    list(plain_gen())
except TypeError as e:
    print(e)
inner.close()


@types.coroutine
def legacy():
    return (yield from answer())


print(run(legacy()))


class Bad:
    def __init__(self, result):
        self.result = result

    def __await__(self):
        return self.result


async def await_it(x):
    return await x


for obj in (1, Bad(None), Bad([1])):
    try:
        run(await_it(obj))
    except TypeError as e:
        print(e)
cc = answer()
try:
    run(await_it(Bad(cc)))
except TypeError as e:
    print(e)
cc.close()


@types.coroutine
def nop():
    yield


async def waits():
    await nop()


busy = waits()
busy.send(None)
try:
    await_it(busy).send(None)
except RuntimeError as e:
    print(e)
busy.close()


class NoExit:
    async def __aenter__(self):
        pass


class IntEnter:
    def __aenter__(self):
        return 1

    def __aexit__(self, *a):
        return 2


async def use(cm):
    async with cm:
        pass


for cm in (NoExit(), IntEnter()):
    try:
        run(use(cm))
    except TypeError as e:
        print(e)


class AiterNoAnext:
    def __aiter__(self):
        return self


class AnextTuple:
    def __aiter__(self):
        return self

    def __anext__(self):
        return ()


async def loop(it):
    async for _ in it:
        pass


for it in (AiterNoAnext(), AnextTuple()):
    try:
        run(loop(it))
    except TypeError as e:
        print(e, "| cause:", type(e.__cause__).__name__)


# Origin tracking and the unawaited warning.
print(sys.get_coroutine_origin_tracking_depth())
sys.set_coroutine_origin_tracking_depth(2)


def make():
    return answer()


o = make()
print([(n, f.endswith("coroutine_protocol.py")) for f, line, n in o.cr_origin])
o.close()
try:
    sys.set_coroutine_origin_tracking_depth(-1)
except ValueError as e:
    print(e, sys.get_coroutine_origin_tracking_depth())
sys.set_coroutine_origin_tracking_depth(0)
print(answer().cr_origin if False else None)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    answer()
    x = answer()
    del x
print([str(w.message) for w in caught], [w.category.__name__ for w in caught])

# Bound methods compare by their object and function.
class K:
    def m(self):
        pass


k = K()
print(k.m == k.m, k.m != K().m, hash(k.m) == hash(k.m), k.m in [k.m], len({k.m, k.m}))
