#!/usr/bin/env python3
"""Checks binary OTLP request bodies against the official opentelemetry-proto definitions.

Each file is one Export*ServiceRequest; its signal is taken from the file name
(`...-traces.pb`, `...-metrics.pb`, `...-logs.pb`). A body passes when the official parser accepts
it with no unknown fields, every id has the right length and is not all zero, enums hold defined
values, and serializing the parsed message again gives back the exact same bytes (so every field
number, wire type and packing matches what protoc-generated code writes).

Usage: otlp_protobuf_check.py FILE.pb [...]
"""
import sys

from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

REQUESTS = {
    "traces": trace_service_pb2.ExportTraceServiceRequest,
    "metrics": metrics_service_pb2.ExportMetricsServiceRequest,
    "logs": logs_service_pb2.ExportLogsServiceRequest,
}


def has_unknown_fields(message):
    if hasattr(message, "UnknownFields"):
        try:
            if len(message.UnknownFields()) > 0:
                return True
        except NotImplementedError:
            pass
    for descriptor, value in message.ListFields():
        if descriptor.message_type is None:
            continue
        repeated = descriptor.is_repeated if hasattr(descriptor, "is_repeated") else descriptor.label == descriptor.LABEL_REPEATED
        for item in (value if repeated else [value]):
            if has_unknown_fields(item):
                return True
    return False


def check_ids_and_enums(signal, message):
    if signal == "traces":
        for resource in message.resource_spans:
            for scope in resource.scope_spans:
                for span in scope.spans:
                    assert len(span.trace_id) == 16 and any(span.trace_id), "bad trace_id"
                    assert len(span.span_id) == 8 and any(span.span_id), "bad span_id"
                    assert span.kind in (1, 2, 3, 4, 5), f"bad kind {span.kind}"
                    assert span.status.code in (0, 1, 2), "bad status code"
                    assert span.end_time_unix_nano >= span.start_time_unix_nano, "span ends before it starts"
    elif signal == "logs":
        for resource in message.resource_logs:
            for scope in resource.scope_logs:
                for record in scope.log_records:
                    assert record.severity_number in (1, 5, 9, 13, 17, 21), f"bad severity {record.severity_number}"
                    assert record.time_unix_nano > 0 and record.observed_time_unix_nano > 0, "missing timestamps"
    else:
        for resource in message.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    kind = metric.WhichOneof("data")
                    assert kind in ("sum", "gauge", "histogram"), f"unexpected metric kind {kind}"
                    data = getattr(metric, kind)
                    if kind in ("sum", "histogram"):
                        assert data.aggregation_temporality in (1, 2), "temporality must be DELTA or CUMULATIVE"
                    for point in data.data_points:
                        assert point.time_unix_nano >= point.start_time_unix_nano > 0, "bad point times"
                        if kind == "histogram":
                            assert len(point.bucket_counts) == len(point.explicit_bounds) + 1, "bucket/bound mismatch"
                            assert sum(point.bucket_counts) == point.count, "bucket counts do not add up"


def main(paths):
    if not paths:
        print(__doc__)
        return 2
    checked = 0
    for path in paths:
        signal = next((name for name in REQUESTS if path.endswith(f"-{name}.pb")), None)
        if signal is None:
            print(f"{path}: cannot tell the signal from the file name")
            return 1
        with open(path, "rb") as handle:
            body = handle.read()
        try:
            message = REQUESTS[signal].FromString(body)
            assert not has_unknown_fields(message), "unknown fields present"
            check_ids_and_enums(signal, message)
            again = message.SerializeToString(deterministic=True)
            assert again == body, f"re-serialized bytes differ ({len(again)} vs {len(body)} bytes)"
        except Exception as error:  # noqa: BLE001 - report any failure with its file
            print(f"{path}: INVALID OTLP protobuf: {error}")
            return 1
        checked += 1
    print(f"{checked} OTLP protobuf bodies valid and byte-identical to the official serializer")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
