#!/usr/bin/env python3
"""A ClickHouse HTTP interface in front of chdb (the modern ClickHouse engine, in process).

Enough of the interface for the SDK's exporter and schema commands and for a collector's ClickHouse
exporter (rotel's): `POST /` with the SQL as body, or `POST /?query=SQL` with data in the body (gzip
`Content-Encoding` and chunked transfer decoded; binary formats such as RowBinary go through a temporary
file, `INSERT … FROM INFILE`), the `database` parameter for unqualified tables, URL settings applied
with `SET`, results as TabSeparated unless the SQL names a format, errors as HTTP 500 with ClickHouse's
own `Code: N. DB::Exception: …` text (which the exporter classifies). Credentials are not checked.

Usage: chdb_http.py PORT DATA_DIR   (prints "ready" when listening on 127.0.0.1:PORT)
"""
import gzip
import os
import re
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from chdb import session

LOCK = threading.Lock()
SESSION = None
SETTINGS = {"date_time_input_format", "input_format_skip_unknown_fields", "async_insert", "wait_for_async_insert"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        if urlsplit(self.path).path == "/ping":
            return self.answer(200, "Ok.\n")
        self.do_POST()

    def do_POST(self):
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        body = self.read_body()
        if self.headers.get("Content-Encoding", "").lower() == "gzip":
            body = gzip.decompress(body)
        infile = None
        if os.environ.get("CHDB_HTTP_DEBUG"):
            print(f"{params.get('query', '')[:60]!r} body={len(body)} te={self.headers.get('Transfer-Encoding')}", file=sys.stderr, flush=True)
        if "query" in params:
            query = params["query"]
            if "database" in params:
                # Unqualified `INSERT INTO table` names a table of the `database` parameter.
                query = re.sub(r"^(\s*INSERT\s+INTO\s+)([A-Za-z_][A-Za-z0-9_]*)(\s)", rf"\g<1>{params['database']}.\2\3", query, flags=re.I)
            binary = re.search(r"\bFORMAT\s+(RowBinary\w*|Native)\s*$", query, re.I)
            if binary and body:
                handle, infile = tempfile.mkstemp(suffix=".bin")
                with os.fdopen(handle, "wb") as out:
                    out.write(body)
                sql = query[: binary.start()] + f"FROM INFILE '{infile}' FORMAT {binary.group(1)}"
            else:
                sql = query + "\n" + body.decode("utf-8")
        else:
            sql = body.decode("utf-8")
        try:
            with LOCK:
                for name, value in params.items():
                    if name in SETTINGS and name not in ("async_insert", "wait_for_async_insert"):
                        SESSION.query(f"SET {name} = '{value}'")
                # TabSeparated unless the SQL names its own output format (an explicit FORMAT wins).
                result = SESSION.query(sql, "TabSeparated")
            if infile:
                os.unlink(infile)
            self.answer(200, result.bytes().decode("utf-8") if hasattr(result, "bytes") else str(result))
        except Exception as error:  # chdb raises with ClickHouse's own message
            if infile:
                os.unlink(infile)
                infile = None
            message = str(error)
            match = re.search(r"Code: (\d+)", message)
            self.send_response(500)
            payload = (message if match else f"Code: 1001. DB::Exception: {message}").encode()
            if match:
                self.send_header("X-ClickHouse-Exception-Code", match.group(1))
            self.send_header("Content-Type", "text/plain; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)


def main(port, directory):
    global SESSION
    SESSION = session.Session(directory)
    SESSION.query("SET input_format_skip_unknown_fields = 0")
    server = ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
