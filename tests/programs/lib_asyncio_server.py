# stitch: cyclic
# asyncio.start_server/open_connection echo. It hung when `del bytearray[:n]` (the
# StreamReader's buffer) raised in the server's handler task.
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
