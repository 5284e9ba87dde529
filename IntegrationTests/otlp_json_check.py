#!/usr/bin/env python3
"""Checks OTLP/JSON request bodies against the official opentelemetry-proto definitions.

`google.protobuf.json_format.Parse` alone is not a valid check for OTLP/JSON: it base64-decodes hex
ids into garbage and accepts enum names and snake_case keys. So this script first enforces the OTLP/JSON
rules itself (hex ids of the right length, integer enums, lowerCamelCase keys, 64-bit integers as
decimal strings), then converts the hex ids to base64 and parses with unknown fields rejected, then
checks the ids survived.

Usage: otlp_json_check.py FILE.jsonl [...]   (one Export*ServiceRequest per line)
Prints a summary line per file and exits non-zero on the first violation.
"""
import base64
import json
import re
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

REQUESTS = {
    "resourceSpans": trace_service_pb2.ExportTraceServiceRequest,
    "resourceMetrics": metrics_service_pb2.ExportMetricsServiceRequest,
    "resourceLogs": logs_service_pb2.ExportLogsServiceRequest,
}
ID_LENGTHS = {"traceId": 32, "spanId": 16, "parentSpanId": 16}
ENUM_FIELDS = {"kind", "code", "severityNumber", "aggregationTemporality"}
INT64_FIELDS = {
    "startTimeUnixNano", "endTimeUnixNano", "timeUnixNano", "observedTimeUnixNano", "intValue", "asInt", "count",
}
LOWER_CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
HEX = re.compile(r"^[0-9a-f]*$")


class Violation(Exception):
    pass


def check_rules(node, path="$"):
    """Enforces the OTLP/JSON rules that json_format does not."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            check_rules(item, f"{path}[{index}]")
        return
    if not isinstance(node, dict):
        return
    is_key_value = set(node.keys()) == {"key", "value"}
    for key, value in node.items():
        where = f"{path}.{key}"
        if not LOWER_CAMEL.match(key):
            raise Violation(f"{where}: key is not lowerCamelCase")
        if key in ID_LENGTHS:
            if not isinstance(value, str) or len(value) != ID_LENGTHS[key] or not HEX.match(value):
                raise Violation(f"{where}: expected {ID_LENGTHS[key]} lowercase hex characters, got {value!r}")
            if set(value) == {"0"}:
                raise Violation(f"{where}: all-zero id is invalid")
        elif key in ENUM_FIELDS:
            if not isinstance(value, int) or isinstance(value, bool):
                raise Violation(f"{where}: enum must be an integer, got {value!r}")
        elif key in INT64_FIELDS:
            if not isinstance(value, str) or not re.match(r"^-?[0-9]+$", value):
                raise Violation(f"{where}: 64-bit integer must be a decimal string, got {value!r}")
        elif key == "bucketCounts":
            if not all(isinstance(v, str) and v.isdigit() for v in value):
                raise Violation(f"{where}: bucket counts must be decimal strings")
        if is_key_value and key == "key":
            continue
        check_rules(value, where)


def hex_ids_to_base64(node):
    if isinstance(node, list):
        return [hex_ids_to_base64(item) for item in node]
    if isinstance(node, dict):
        return {
            key: base64.b64encode(bytes.fromhex(value)).decode() if key in ID_LENGTHS else hex_ids_to_base64(value)
            for key, value in node.items()
        }
    return node


def collect_ids(node, found):
    if isinstance(node, list):
        for item in node:
            collect_ids(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ID_LENGTHS:
                found.append(value)
            else:
                collect_ids(value, found)
    return found


def _is_repeated(descriptor):
    # protobuf 5+ exposes is_repeated; older releases only label.
    if hasattr(descriptor, "is_repeated"):
        return descriptor.is_repeated
    return descriptor.label == descriptor.LABEL_REPEATED


def collect_message_ids(message, found):
    for descriptor, value in message.ListFields():
        if descriptor.name in ("trace_id", "span_id", "parent_span_id"):
            found.append(value.hex())
        elif descriptor.message_type is not None:
            values = value if _is_repeated(descriptor) else [value]
            for item in values:
                collect_message_ids(item, found)
    return found


def check_line(line):
    document = json.loads(line)
    kinds = [key for key in document if key in REQUESTS]
    if len(document) != 1 or len(kinds) != 1:
        raise Violation(f"expected exactly one of {sorted(REQUESTS)} at the top level, got {sorted(document)}")
    check_rules(document)
    message = REQUESTS[kinds[0]]()
    json_format.Parse(json.dumps(hex_ids_to_base64(document)), message, ignore_unknown_fields=False)
    if sorted(collect_ids(document, [])) != sorted(collect_message_ids(message, [])):
        raise Violation("ids did not survive the round trip")
    return kinds[0], message


def count_items(kind, message):
    if kind == "resourceSpans":
        return sum(len(s.spans) for r in message.resource_spans for s in r.scope_spans)
    if kind == "resourceLogs":
        return sum(len(s.log_records) for r in message.resource_logs for s in r.scope_logs)
    total = 0
    for r in message.resource_metrics:
        for s in r.scope_metrics:
            for metric in s.metrics:
                data = getattr(metric, metric.WhichOneof("data"))
                total += len(data.data_points)
    return total


def main(paths):
    if not paths:
        print(__doc__)
        return 2
    for path in paths:
        totals = {kind: 0 for kind in REQUESTS}
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    kind, message = check_line(line)
                except Exception as error:  # noqa: BLE001 - report any failure with its location
                    print(f"{path}:{number}: INVALID OTLP/JSON: {error}")
                    return 1
                totals[kind] += count_items(kind, message)
        print(f"{path}: valid OTLP/JSON: {totals['resourceSpans']} spans, "
              f"{totals['resourceMetrics']} metric points, {totals['resourceLogs']} log records")
        if sum(totals.values()) == 0:
            print(f"{path}: no telemetry in file")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
