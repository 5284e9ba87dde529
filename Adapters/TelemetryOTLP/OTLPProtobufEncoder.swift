import TelemetryCore

/// Encodes export batches as binary protobuf `Export{Trace,Metrics,Logs}ServiceRequest` messages, the
/// default OTLP/HTTP encoding. Hand-written against opentelemetry-proto's field numbers (v1), so the
/// SDK needs no protobuf runtime. Attributes are written in dictionary order (the protocol gives order
/// no meaning; sorting cost more than the rest of a span's encoding).
public struct OTLPProtobufEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// The request body for `batch`.
    public func encode(_ batch: ExportBatch) -> [UInt8] {
        var writer = ProtobufWriter(capacity: 512 + batch.itemCount * 320)
        encode(batch, into: &writer)
        return writer.bytes
    }

    /// Appends the request body for `batch` to `writer`.
    package func encode(_ batch: ExportBatch, into writer: inout ProtobufWriter) {
        // Export*ServiceRequest.resource_* = 1; Resource* { resource = 1, scope_* = 2 }; Scope* { scope = 1, items = 2 }
        writer.message(1) { resourceLevel in
            resourceLevel.message(1) { resource in
                for attribute in batch.resource.attributes { keyValue(1, attribute.key, attribute.value, into: &resource) }
            }
            resourceLevel.message(2) { scopeLevel in
                scopeLevel.message(1) { scope in
                    if !batch.scope.name.isEmpty { scope.stringField(1, batch.scope.name) }
                    if !batch.scope.version.isEmpty { scope.stringField(2, batch.scope.version) }
                }
                switch batch.payload {
                case .spans(let spans):
                    for span in spans { scopeLevel.message(2) { self.span(span, into: &$0) } }
                case .metrics(let metrics):
                    for metric in metrics { scopeLevel.message(2) { self.metric(metric, into: &$0) } }
                case .logs(let logs):
                    for log in logs { scopeLevel.message(2) { self.log(log, into: &$0) } }
                }
            }
        }
    }

    // MARK: Traces (opentelemetry/proto/trace/v1/trace.proto)

    private func span(_ span: SpanRecord, into writer: inout ProtobufWriter) {
        writer.bigEndianBytesField(1, span.traceID.high, span.traceID.low)
        writer.bigEndianBytesField(2, span.spanID.rawValue)
        if let parent = span.parentSpanID { writer.bigEndianBytesField(4, parent.rawValue) }
        writer.stringField(5, span.name)
        writer.varintField(6, UInt64(span.kind.rawValue))
        writer.fixed64Field(7, span.startTime.nanosecondsSinceEpoch)
        writer.fixed64Field(8, span.endTime.nanosecondsSinceEpoch)
        attributes(9, span.attributes, into: &writer)
        for event in span.events {
            writer.message(11) { encoded in
                encoded.fixed64Field(1, event.time.nanosecondsSinceEpoch)
                encoded.stringField(2, event.name)
                attributes(3, event.attributes, into: &encoded)
            }
        }
        if span.status.code != .unset {
            writer.message(15) { status in
                if span.status.code == .error && !span.status.message.isEmpty { status.stringField(2, span.status.message) }
                status.varintField(3, UInt64(span.status.code.rawValue))
            }
        }
    }

    // MARK: Metrics (opentelemetry/proto/metrics/v1/metrics.proto)

    private func metric(_ metric: MetricRecord, into writer: inout ProtobufWriter) {
        writer.stringField(1, metric.name)
        if !metric.description.isEmpty { writer.stringField(2, metric.description) }
        if !metric.unit.isEmpty { writer.stringField(3, metric.unit) }
        switch metric.data {
        case .gauge(let points):
            writer.message(5) { gauge in
                for point in points { gauge.message(1) { numberPoint(point, into: &$0) } }
            }
        case .sum(let sum):
            writer.message(7) { encoded in
                for point in sum.points { encoded.message(1) { numberPoint(point, into: &$0) } }
                encoded.varintField(2, UInt64(sum.temporality.rawValue))
                if sum.isMonotonic { encoded.varintField(3, 1) }
            }
        case .histogram(let histogram):
            writer.message(9) { encoded in
                for point in histogram.points { encoded.message(1) { histogramPoint(point, into: &$0) } }
                encoded.varintField(2, UInt64(histogram.temporality.rawValue))
            }
        }
    }

    private func numberPoint(_ point: NumberDataPoint, into writer: inout ProtobufWriter) {
        writer.fixed64Field(2, point.startTime.nanosecondsSinceEpoch)
        writer.fixed64Field(3, point.time.nanosecondsSinceEpoch)
        switch point.value {
        case .double(let value): writer.doubleField(4, value)
        case .int(let value): writer.fixed64Field(6, UInt64(bitPattern: value))
        }
        attributes(7, point.attributes, into: &writer)
    }

    private func histogramPoint(_ point: HistogramDataPoint, into writer: inout ProtobufWriter) {
        writer.fixed64Field(2, point.startTime.nanosecondsSinceEpoch)
        writer.fixed64Field(3, point.time.nanosecondsSinceEpoch)
        writer.fixed64Field(4, point.count)
        writer.doubleField(5, point.sum)
        writer.packedFixed64Field(6, point.bucketCounts)
        writer.packedDoubleField(7, point.explicitBounds)
        attributes(9, point.attributes, into: &writer)
        if let min = point.min { writer.doubleField(11, min) }
        if let max = point.max { writer.doubleField(12, max) }
    }

    // MARK: Logs (opentelemetry/proto/logs/v1/logs.proto)

    private func log(_ log: LogRecord, into writer: inout ProtobufWriter) {
        writer.fixed64Field(1, log.time.nanosecondsSinceEpoch)
        writer.varintField(2, UInt64(log.severity.rawValue))
        writer.stringField(3, log.severity.text)
        writer.message(5) { $0.stringField(1, log.body) }
        attributes(6, log.attributes, into: &writer)
        if let traceID = log.traceID { writer.bigEndianBytesField(9, traceID.high, traceID.low) }
        if let spanID = log.spanID { writer.bigEndianBytesField(10, spanID.rawValue) }
        writer.fixed64Field(11, log.observedTime.nanosecondsSinceEpoch)
    }

    // MARK: Common (opentelemetry/proto/common/v1/common.proto)

    private func attributes(_ field: UInt32, _ attributes: TelemetryAttributes, into writer: inout ProtobufWriter) {
        for (key, value) in attributes { keyValue(field, key, value, into: &writer) }
    }

    private func keyValue(_ field: UInt32, _ key: String, _ value: AttributeValue, into writer: inout ProtobufWriter) {
        writer.message(field) { pair in
            pair.stringField(1, key)
            pair.message(2) { anyValue(value, into: &$0) }
        }
    }

    /// `AnyValue` is a one-of, so even default values are written: an empty string is still a string.
    private func anyValue(_ value: AttributeValue, into writer: inout ProtobufWriter) {
        switch value {
        case .string(let text): writer.stringField(1, text)
        case .bool(let flag): writer.varintField(2, flag ? 1 : 0)
        case .int(let number): writer.varintField(3, UInt64(bitPattern: number))
        case .double(let number): writer.doubleField(4, number)
        case .array(let values):
            writer.message(5) { array in
                for element in values { array.message(1) { anyValue(element, into: &$0) } }
            }
        }
    }
}
