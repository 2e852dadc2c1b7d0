"""Chapter 9: --requests requests to a slow server of our own, all at once on one asyncio event
loop: open_connection, then gather."""

import asyncio

import slow_server


async def request(port, i):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"{i}\n".encode())
    await writer.drain()
    line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return int(line)


async def all_requests(port, count):
    return await asyncio.gather(*(request(port, i) for i in range(count)))


if __name__ == "__main__":
    args = slow_server.arguments(__doc__)
    slow_server.raise_open_files()
    server, port = slow_server.start(args.delay_ms, args.requests + 64)
    try:
        answers = asyncio.run(all_requests(port, args.requests))
    finally:
        slow_server.stop(server)
    slow_server.result(answers, args.requests)
