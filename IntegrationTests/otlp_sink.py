#!/usr/bin/env python3
"""A counting OTLP/HTTP receiver: decodes every request with the official definitions and counts
what it received, independently of the SDK's own counters.

    otlp_sink.py PORT [--record FILE] [--key ATTRIBUTE]

POST /v1/traces, /v1/metrics, /v1/logs (protobuf or JSON, gzip or not) -> 200 with an empty body.
GET /count -> {"spans": N, "logs": N, "points": N, "requests": N, "bytes": N}
With --record, each span's integer attribute --key (default "seq") is appended to FILE, one per line,
before the response is sent, so a test can find lost and duplicated items even across restarts of
this process. HTTP/1.1 with keep-alive, one thread per connection.
"""
import gzip
import json
import sys
import threading
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
            body = json.dumps(COUNTS).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        body = gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw
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
