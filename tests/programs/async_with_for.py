# async with / async for, driven by hand (no event loop): enter/exit order,
# exceptions and suppression, return/break/continue inside, else clauses.
log = []

class Ticker:
    """An awaitable that suspends once (yields a value to the driver)."""
    def __await__(self):
        got = yield "tick"
        return got

class Res:
    def __init__(self, name, suppress=False):
        self.name, self.suppress = name, suppress
    async def __aenter__(self):
        log.append(f"enter {self.name}")
        await Ticker()
        return self.name.upper()
    async def __aexit__(self, et, ev, tb):
        log.append(f"exit {self.name} {et.__name__ if et else None}")
        await Ticker()
        return self.suppress

class Count:
    def __init__(self, n, fail_at=None):
        self.i, self.n, self.fail_at = 0, n, fail_at
    def __aiter__(self):
        return self
    async def __anext__(self):
        await Ticker()
        self.i += 1
        if self.i == self.fail_at:
            raise ValueError(f"fail at {self.i}")
        if self.i > self.n:
            raise StopAsyncIteration
        return self.i

def drive(coro):
    ticks = 0
    try:
        v = coro.send(None)
        while True:
            ticks += 1
            v = coro.send(ticks)
    except StopIteration as e:
        return e.value, ticks

async def main():
    async with Res("a") as a, Res("b") as b:
        log.append(f"body {a} {b}")
    try:
        async with Res("c"):
            raise KeyError("k")
    except KeyError:
        log.append("caught k")
    async with Res("d", suppress=True):
        raise RuntimeError("swallowed")
    out = []
    async for x in Count(5):
        if x == 2:
            continue
        if x == 4:
            break
        out.append(x)
    else:
        out.append("no-else")
    async for x in Count(2):
        out.append(x * 10)
    else:
        out.append("else")
    try:
        async for x in Count(5, fail_at=3):
            out.append(x)
    except ValueError as e:
        out.append(str(e))
    total = await helper()
    return out, total

async def helper():
    async with Res("e"):
        async for x in Count(3):
            if x == 2:
                return x * 100
    return -1

print(drive(main()))
for line in log:
    print(line)

class NotCM:
    pass

async def bad_with():
    async with NotCM():
        pass

async def bad_for():
    async for x in [1, 2]:
        pass

for f in (bad_with, bad_for):
    try:
        drive(f())
    except TypeError as e:
        print("TypeError:", e)
for src in ["async with x: pass", "def f():\n    async for x in y: pass"]:
    try:
        compile(src, "<s>", "exec")
    except SyntaxError as e:
        print("SyntaxError:", e.msg)
