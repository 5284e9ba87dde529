#!/usr/bin/env python3
"""A hostile HTTP endpoint for the fault suite: it reads each request whole, then misbehaves as asked.

Usage: fault_server.py PORT MODE [--log FILE]

Modes:
  huge      200 with a Content-Length of 1 GiB, streamed as fast as the client reads
  endless   200 with a chunked body that never ends
  drip      200, one body byte every 100 ms, forever (defeats per-read idle timeouts)
  hang      reads the request, never answers
  echo      500 whose body echoes the request's header lines (credentials included)
  ok        200, empty body
The log file gets one line per request ("request BODY_BYTES TIME") and one per closed connection
("closed SENT_BYTES TIME"): how much the client actually read before it stopped.
"""
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
MODE = sys.argv[2]
LOG = sys.argv[sys.argv.index("--log") + 1] if "--log" in sys.argv else None
lock = threading.Lock()


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None, None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head, rest


def log(line):
    if LOG:
        with lock, open(LOG, "a") as out:
            out.write(f"{line} {time.time():.3f}\n")


class Counting:
    """The connection, counting the bytes sendall() handed to the kernel."""

    def __init__(self, conn):
        self.conn = conn
        self.sent = 0

    def recv(self, size):
        return self.conn.recv(size)

    def sendall(self, data):
        self.conn.sendall(data)
        self.sent += len(data)


def serve(raw):
    conn = Counting(raw)
    try:
        while True:
            head, body = read_request(conn)
            if head is None:
                return
            log(f"request {len(body)}")
            if MODE == "ok":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            elif MODE == "echo":
                echoed = head + b"\r\n" + b"x" * 200_000
                conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: %d\r\n\r\n" % len(echoed) + echoed)
            elif MODE == "hang":
                while conn.recv(65536):
                    pass
                return
            elif MODE == "huge":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: %d\r\n\r\n" % (1 << 30))
                block = b"\0" * (1 << 20)
                for _ in range(1024):
                    conn.sendall(block)
            elif MODE == "endless":
                conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                block = b"\0" * (1 << 20)
                chunk = b"%x\r\n" % len(block) + block + b"\r\n"
                while True:
                    conn.sendall(chunk)
            elif MODE == "drip":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
                while True:
                    conn.sendall(b"x")
                    time.sleep(0.1)
    except OSError:
        pass
    finally:
        log(f"closed {conn.sent}")
        raw.close()


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", PORT))
    server.listen(64)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
