#!/usr/bin/env python3
"""A ClickHouse HTTP interface in front of chdb (the modern ClickHouse engine, in process).

Enough of the interface for the SDK's exporter and schema commands: `POST /` with the SQL as body, or
`POST /?query=SQL` with data in the body (gzip `Content-Encoding` decoded), URL settings applied with
`SET`, results as TabSeparated unless the SQL names a format, errors as HTTP 500 with ClickHouse's own
`Code: N. DB::Exception: …` text (which the exporter classifies). Credentials are not checked.

Usage: chdb_http.py PORT DATA_DIR   (prints "ready" when listening on 127.0.0.1:PORT)
"""
import gzip
import re
import sys
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

    def do_GET(self):
        if urlsplit(self.path).path == "/ping":
            return self.answer(200, "Ok.\n")
        self.do_POST()

    def do_POST(self):
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Encoding", "").lower() == "gzip":
            body = gzip.decompress(body)
        text = body.decode("utf-8")
        sql = params["query"] + "\n" + text if "query" in params else text
        try:
            with LOCK:
                for name, value in params.items():
                    if name in SETTINGS and name not in ("async_insert", "wait_for_async_insert"):
                        SESSION.query(f"SET {name} = '{value}'")
                # TabSeparated unless the SQL names its own output format (an explicit FORMAT wins).
                result = SESSION.query(sql, "TabSeparated")
            self.answer(200, result.bytes().decode("utf-8") if hasattr(result, "bytes") else str(result))
        except Exception as error:  # chdb raises with ClickHouse's own message
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
