#!/usr/bin/env python3
"""A counting OTLP/HTTP receiver: decodes every request with the official definitions and counts
what it received, independently of the SDK's own counters.

    otlp_sink.py PORT [--record FILE] [--key ATTRIBUTE]

POST /v1/traces, /v1/metrics, /v1/logs (protobuf or JSON, gzip or not) -> 200 with an empty body.
GET /count -> {"spans": N, "logs": N, "points": N, "requests": N, "bytes": N}
POST /refuse?seconds=S&status=503[&retry_after=R] -> for the next S seconds every export is answered
with that status (and a Retry-After header when R is given), its arrival time and the sender's
service.instance.id kept; GET /refusals -> [{"t": seconds since the refusal began, "client": id}, …].
With --record, each span's integer attribute --key (default "seq") is appended to FILE, one per line,
before the response is sent, so a test can find lost and duplicated items even across restarts of
this process. HTTP/1.1 with keep-alive, one thread per connection.
"""
import gzip
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

PORT = int(sys.argv[1])
RECORD = sys.argv[sys.argv.index("--record") + 1] if "--record" in sys.argv else None
KEY = sys.argv[sys.argv.index("--key") + 1] if "--key" in sys.argv else "seq"
LOCK = threading.Lock()
COUNTS = {"spans": 0, "logs": 0, "points": 0, "requests": 0, "bytes": 0}
RECORD_FILE = open(RECORD, "a", buffering=1) if RECORD else None
REFUSAL = {"until": 0.0, "began": 0.0, "status": 503, "retry_after": None, "log": []}

MESSAGES = {
    "/v1/traces": trace_service_pb2.ExportTraceServiceRequest,
    "/v1/metrics": metrics_service_pb2.ExportMetricsServiceRequest,
    "/v1/logs": logs_service_pb2.ExportLogsServiceRequest,
}


def parse(path, body, content_type):
    message = MESSAGES[path]()
    if content_type.startswith("application/json"):
        # OTLP/JSON ids are hex; the counts do not need them, so drop them before parsing.
        document = json.loads(body)
        for resource in document.get("resourceSpans", []):
            for scope in resource.get("scopeSpans", []):
                for span in scope.get("spans", []):
                    span.pop("traceId", None)
                    span.pop("spanId", None)
                    span.pop("parentSpanId", None)
        json_format.ParseDict(document, message, ignore_unknown_fields=True)
    else:
        message.ParseFromString(body)
    return message


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        with LOCK:
            body = json.dumps(REFUSAL["log"] if self.path == "/refusals" else COUNTS).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path.startswith("/refuse"):
            query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            with LOCK:
                REFUSAL["began"] = time.monotonic()
                REFUSAL["until"] = REFUSAL["began"] + float(query["seconds"][0])
                REFUSAL["status"] = int(query.get("status", ["503"])[0])
                REFUSAL["retry_after"] = query.get("retry_after", [None])[0]
                REFUSAL["log"] = []
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw
        now = time.monotonic()
        if now < REFUSAL["until"]:
            client = ""
            try:
                message = parse(self.path, body, self.headers.get("Content-Type", ""))
                resources = getattr(message, {"/v1/traces": "resource_spans", "/v1/logs": "resource_logs"}.get(self.path, "resource_metrics"))
                for attribute in resources[0].resource.attributes if resources else []:
                    if attribute.key == "service.instance.id":
                        client = attribute.value.string_value
            except Exception:
                pass
            with LOCK:
                REFUSAL["log"].append({"t": round(now - REFUSAL["began"], 3), "client": client})
            self.send_response(REFUSAL["status"])
            if REFUSAL["retry_after"]:
                self.send_header("Retry-After", REFUSAL["retry_after"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            message = parse(self.path, body, self.headers.get("Content-Type", ""))
        except Exception:  # undecodable: answer as a collector would
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        spans = logs = points = 0
        recorded = []
        if self.path == "/v1/traces":
            for resource in message.resource_spans:
                for scope in resource.scope_spans:
                    spans += len(scope.spans)
                    if RECORD_FILE:
                        for span in scope.spans:
                            for attribute in span.attributes:
                                if attribute.key == KEY:
                                    recorded.append(str(attribute.value.int_value))
        elif self.path == "/v1/logs":
            for resource in message.resource_logs:
                for scope in resource.scope_logs:
                    logs += len(scope.log_records)
        else:
            for resource in message.resource_metrics:
                for scope in resource.scope_metrics:
                    for metric in scope.metrics:
                        kind = metric.WhichOneof("data")
                        points += len(getattr(metric, kind).data_points) if kind else 0
        with LOCK:
            COUNTS["spans"] += spans
            COUNTS["logs"] += logs
            COUNTS["points"] += points
            COUNTS["requests"] += 1
            COUNTS["bytes"] += length
            if recorded:
                RECORD_FILE.write("\n".join(recorded) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.allow_reuse_address = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
