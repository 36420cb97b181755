# stitch: cyclic
import asyncio

async def work(n):
    await asyncio.sleep(0)
    return n * 2

async def failing():
    await asyncio.sleep(0)
    raise ValueError("boom")

async def producer(q):
    for i in range(5):
        await q.put(i)
    await q.put(None)

async def consumer(q, out):
    while (item := await q.get()) is not None:
        out.append(item)

async def waiter(ev, out):
    await ev.wait()
    out.append("event set")

async def handle(reader, writer):
    while data := await reader.readline():
        writer.write(data.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()

async def main():
    print(await asyncio.gather(*(work(i) for i in range(3))))
    t = asyncio.create_task(work(21))
    print(await t, t.done())
    try:
        await failing()
    except ValueError as e:
        print("caught", e)
    r = await asyncio.gather(work(1), failing(), return_exceptions=True)
    print(r[0], type(r[1]).__name__, r[1])
    q = asyncio.Queue()
    out = []
    await asyncio.gather(producer(q), consumer(q, out))
    print(out)
    ev = asyncio.Event()
    out = []
    w = asyncio.create_task(waiter(ev, out))
    await asyncio.sleep(0)
    ev.set()
    await w
    print(out)
    try:
        await asyncio.wait_for(asyncio.sleep(10), timeout=0.01)
    except asyncio.TimeoutError:
        print("wait_for timed out")
    print(await asyncio.wait_for(work(5), timeout=5))
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("cancelled", t.cancelled())
    return "done"

print(asyncio.run(main()))
