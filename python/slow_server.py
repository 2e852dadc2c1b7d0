"""The slow server of chapter 9, in Python: answers each request (an id on one line) after a
delay, on 127.0.0.1. Run as a child process by requests_asyncio.py and requests_threads.py,
it says its port on stdout and serves until its stdin closes. Also the helpers both share."""

import argparse
import asyncio
import resource
import subprocess
import sys

MASK = (1 << 64) - 1


def answer(i):
    """The answer to request i, the same as the Rust demo's `protocol::answer`."""
    x = (i * 0x9E3779B97F4A7C15) & MASK
    return ((x << 29) | (x >> 35)) & MASK


def raise_open_files():
    """Ten thousand sockets need more descriptors than the usual soft limit of 1024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def arguments(description):
    """The flags of the two client recipes, named as in the Rust demo."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--delay-ms", type=int, default=200)
    parser.add_argument("--pool", type=int, default=100, help="threads of the executor")
    parser.add_argument("--processes", type=int, default=1,
                        help="accepted for `cargo xtask python`; the clients run in one process")
    return parser.parse_args()


def start(delay_ms, backlog):
    """Start the server as a child process; it and the port it listens on."""
    server = subprocess.Popen([sys.executable, __file__, str(delay_ms), str(backlog)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    line = server.stdout.readline().decode()
    if not line.startswith("port "):
        server.kill()
        server.wait()
        sys.exit("error: the server did not start")
    return server, int(line.split()[1])


def stop(server):
    server.stdin.close()
    server.wait()


def result(answers, count):
    if answers != [answer(i) for i in range(count)]:
        sys.exit("error: some answers are wrong")
    print(f"result: {len(answers)} answers, sum {sum(answers) & MASK}")


async def _answer_one(reader, writer, delay):
    line = await reader.readline()
    await asyncio.sleep(delay)
    writer.write(f"{answer(int(line))}\n".encode())
    await writer.drain()
    await reader.read(1)  # the client closes first, and keeps the TIME_WAIT
    writer.close()


async def _serve(delay_ms, backlog):
    delay = delay_ms / 1000
    server = await asyncio.start_server(lambda r, w: _answer_one(r, w, delay),
                                        "127.0.0.1", 0, backlog=backlog)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    raise_open_files()
    asyncio.run(_serve(int(sys.argv[1]), int(sys.argv[2])))
