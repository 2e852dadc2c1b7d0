"""Chapter 9: --requests requests to a slow server of our own, on a ThreadPoolExecutor of
--pool threads with blocking sockets."""

import socket
from concurrent.futures import ThreadPoolExecutor

import slow_server


def request(port, i):
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"{i}\n".encode())
        with sock.makefile() as lines:
            return int(lines.readline())


if __name__ == "__main__":
    args = slow_server.arguments(__doc__)
    slow_server.raise_open_files()
    server, port = slow_server.start(args.delay_ms, args.requests + 64)
    try:
        with ThreadPoolExecutor(max_workers=args.pool) as pool:
            answers = list(pool.map(lambda i: request(port, i), range(args.requests)))
    finally:
        slow_server.stop(server)
    slow_server.result(answers, args.requests)
