"""The transport goes only where it was told (issue #22), checked with the CLI as a separate process,
since libcurl reads SSLKEYLOGFILE and the proxy variables once, when a process starts:

- over HTTPS (a local TLS server with the test certificate in IntegrationTests/tls), with SSLKEYLOGFILE
  set, the event arrives and no TLS secret is written to the key-log file;
- with http_proxy and ALL_PROXY pointing at a counting server, an event to a loopback collector arrives
  at the collector and the proxy sees nothing;
- a signed request, as it arrived, verifies with the README's Python receiver (signature v2: method,
  path, content headers, nonce and body), and fails when its path or a body byte is changed.

Usage: transport_check.py CLI WORKDIR. Prints PASS/FAIL lines.
"""
import http.server
import os
import ssl
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ports import free_port  # noqa: E402

CLI, WORK = sys.argv[1], sys.argv[2]
TLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tls")


def report(ok, text):
    print(("PASS " if ok else "FAIL ") + text, flush=True)


def counting_server(tls=False, captured=None):
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            received.append(self.path)
            if captured is not None:
                captured.append((self.command, self.path, dict(self.headers), body))
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(TLS, "server.crt"), os.path.join(TLS, "server.key"))
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, port, received


def send(home, extra):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "AUTOMAGIK_TELEMETRY_ENABLED": "true", **extra}
    return subprocess.run([CLI, "send", "event", "transport.check"], env=env, capture_output=True, text=True, timeout=120)


server, port, received = counting_server(tls=True)
keylog = os.path.join(WORK, "keys.log")
result = send(os.path.join(WORK, "home-tls"), {
    "OTEL_EXPORTER_OTLP_ENDPOINT": f"https://localhost:{port}",
    "OTEL_EXPORTER_OTLP_CERTIFICATE": os.path.join(TLS, "server.crt"),
    "SSLKEYLOGFILE": keylog,
})
written = os.path.getsize(keylog) if os.path.exists(keylog) else 0
report(result.returncode == 0 and received == ["/v1/traces"] and written == 0,
       f"SSLKEYLOGFILE is not honoured: event delivered over HTTPS ({received}), {written} bytes of TLS secrets written")
server.shutdown()

collector, collector_port, delivered = counting_server()
proxy, proxy_port, proxied = counting_server()
proxy_url = f"http://127.0.0.1:{proxy_port}"
result = send(os.path.join(WORK, "home-proxy"), {
    "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{collector_port}",
    "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer operator-token",
    "http_proxy": proxy_url, "ALL_PROXY": proxy_url, "all_proxy": proxy_url,
})
report(result.returncode == 0 and delivered == ["/v1/traces"] and proxied == [],
       f"no proxy for loopback: collector got {delivered}, the proxy got {proxied}")
collector.shutdown()
proxy.shutdown()


# The README's receiver, verbatim (README.md, "Request signing").
import hashlib, hmac, time  # noqa: E401,E402
def verify(header: str, method: str, path: str, headers: dict, body: bytes, key: bytes, window: int = 300) -> bool:
    fields = dict(part.split("=", 1) for part in header.split(","))
    signed = "\n".join(["v2", fields["t"], fields["n"], method, path,
                        headers.get("Content-Type", ""), headers.get("Content-Encoding", "")]) + "\n"
    expected = hmac.new(key, signed.encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v2"]) and abs(time.time() - int(fields["t"])) <= window


captured = []
collector, collector_port, delivered = counting_server(captured=captured)
result = send(os.path.join(WORK, "home-signed"), {
    "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{collector_port}",
    "AUTOMAGIK_TELEMETRY_SIGNING_KEY": "transport-check-key-0123",
})
key = b"transport-check-key-0123"
ok = result.returncode == 0 and len(captured) == 1
if ok:
    method, path, headers, body = captured[0]
    header = headers.get("X-Automagik-Signature", "")
    ok = (verify(header, method, path, headers, body, key)
          and not verify(header, method, "/v1/logs", headers, body, key)
          and not verify(header, method, path, headers, body[:-1] + bytes([body[-1] ^ 1]), key))
report(ok, "request signature v2 verifies with the README's Python receiver; another path or a changed byte does not")
collector.shutdown()

readme = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")).read()
start = readme.index("import hashlib, hmac, time  # noqa")
report(readme[start:readme.index("```", start)].strip() in open(os.path.abspath(__file__)).read(),
       "the README's receiver is the function this check ran")
