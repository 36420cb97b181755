# stitch: cyclic lib
# Gap: asyncio.start_server/open_connection echo hangs under stitch (after the rest of
# asyncio works: tests/programs/lib_asyncio.py).
import asyncio

async def handle(reader, writer):
    while data := await reader.readline():
        writer.write(data.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for line in [b"hello\n", b"asyncio\n"]:
        writer.write(line)
        await writer.drain()
        print(await reader.readline())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

asyncio.run(main())
