@_spi(Internals) import TelemetryCore

/// Encodes export batches as OTLP/JSON `Export{Trace,Metrics,Logs}ServiceRequest` bodies.
///
/// Follows the OTLP/JSON rules of the OpenTelemetry protocol specification, which differ from plain
/// proto3 JSON mapping: trace and span ids are lowercase hex (32 / 16 characters) rather than base64,
/// enum fields are integers, keys are lowerCamelCase, 64-bit integers are decimal strings. No field
/// outside opentelemetry-proto is written. Attributes are written in dictionary order (the protocol
/// gives order no meaning); the resource keeps its insertion order.
public struct OTLPJSONEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// The request body for `batch`.
    public func encode(_ batch: ExportBatch) -> [UInt8] {
        var writer = JSONWriter(capacity: 512 + batch.itemCount * 768)
        encode(batch, into: &writer)
        return writer.bytes
    }

    /// Appends the request body for `batch` to `writer`.
    package func encode(_ batch: ExportBatch, into writer: inout JSONWriter) {
        switch batch.payload {
        case .spans(let spans):
            envelope(batch, ("{\"resourceSpans\":[{", "\"scopeSpans\":[{", "\"spans\":["), spans, into: &writer, item: span)
        case .metrics(let metrics):
            envelope(batch, ("{\"resourceMetrics\":[{", "\"scopeMetrics\":[{", "\"metrics\":["), metrics, into: &writer, item: metric)
        case .logs(let logs):
            envelope(batch, ("{\"resourceLogs\":[{", "\"scopeLogs\":[{", "\"logRecords\":["), logs, into: &writer, item: log)
        }
    }

    /// One signal's request: the resource, the scope, then `items` written by `item`, comma-separated.
    private func envelope<Item>(
        _ batch: ExportBatch, _ keys: (resource: StaticString, scope: StaticString, items: StaticString), _ items: [Item],
        into writer: inout JSONWriter, item: (Item, inout JSONWriter) -> Void
    ) {
        writer.raw(keys.resource)
        resourceAndScope(batch, into: &writer, scopeKey: keys.scope)
        writer.raw(keys.items)
        for (index, element) in items.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            item(element, &writer)
        }
        writer.raw("]}]}]}")
    }

    private func resourceAndScope(_ batch: ExportBatch, into writer: inout JSONWriter, scopeKey: StaticString) {
        writer.raw("\"resource\":{\"attributes\":[")
        for (index, attribute) in batch.resource.attributes.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            keyValue(attribute.key, attribute.value, into: &writer)
        }
        writer.raw("]},")
        writer.raw(scopeKey)
        writer.raw("\"scope\":{\"name\":")
        writer.string(batch.scope.name)
        writer.raw(",\"version\":")
        writer.string(batch.scope.version)
        writer.raw("},")
    }

    // MARK: Traces

    private func span(_ span: SpanRecord, into writer: inout JSONWriter) {
        writer.raw("{\"traceId\":")
        writer.quotedHex(span.traceID.high, span.traceID.low)
        writer.raw(",\"spanId\":")
        writer.quotedHex(span.spanID.rawValue)
        if let parent = span.parentSpanID {
            writer.raw(",\"parentSpanId\":")
            writer.quotedHex(parent.rawValue)
        }
        writer.raw(",\"name\":")
        writer.string(span.name)
        writer.raw(",\"kind\":")
        writer.integer(Int64(span.kind.rawValue))
        writer.raw(",\"startTimeUnixNano\":")
        writer.quotedUnsigned(span.startTime.nanosecondsSinceEpoch)
        writer.raw(",\"endTimeUnixNano\":")
        writer.quotedUnsigned(span.endTime.nanosecondsSinceEpoch)
        writer.raw(",\"attributes\":")
        attributes(span.attributes, into: &writer)
        if !span.events.isEmpty {
            writer.raw(",\"events\":[")
            for (index, event) in span.events.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.raw("{\"timeUnixNano\":")
                writer.quotedUnsigned(event.time.nanosecondsSinceEpoch)
                writer.raw(",\"name\":")
                writer.string(event.name)
                writer.raw(",\"attributes\":")
                attributes(event.attributes, into: &writer)
                writer.byte(UInt8(ascii: "}"))
            }
            writer.byte(UInt8(ascii: "]"))
        }
        writer.raw(",\"status\":{")
        if span.status.code != .unset {
            writer.raw("\"code\":")
            writer.integer(Int64(span.status.code.rawValue))
            if span.status.code == .error && !span.status.message.isEmpty {
                writer.raw(",\"message\":")
                writer.string(span.status.message)
            }
        }
        writer.raw("}}")
    }

    // MARK: Metrics

    private func metric(_ metric: MetricRecord, into writer: inout JSONWriter) {
        writer.raw("{\"name\":")
        writer.string(metric.name)
        if !metric.description.isEmpty {
            writer.raw(",\"description\":")
            writer.string(metric.description)
        }
        if !metric.unit.isEmpty {
            writer.raw(",\"unit\":")
            writer.string(metric.unit)
        }
        switch metric.data {
        case .sum(let sum):
            writer.raw(",\"sum\":{\"dataPoints\":")
            numberPoints(sum.points, into: &writer)
            writer.raw(",\"aggregationTemporality\":")
            writer.integer(Int64(sum.temporality.rawValue))
            writer.raw(",\"isMonotonic\":")
            writer.bool(sum.isMonotonic)
            writer.byte(UInt8(ascii: "}"))
        case .gauge(let points):
            writer.raw(",\"gauge\":{\"dataPoints\":")
            numberPoints(points, into: &writer)
            writer.byte(UInt8(ascii: "}"))
        case .histogram(let histogram):
            writer.raw(",\"histogram\":{\"dataPoints\":[")
            for (index, point) in histogram.points.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                histogramPoint(point, into: &writer)
            }
            writer.raw("],\"aggregationTemporality\":")
            writer.integer(Int64(histogram.temporality.rawValue))
            writer.byte(UInt8(ascii: "}"))
        }
        writer.byte(UInt8(ascii: "}"))
    }

    private func numberPoints(_ points: [NumberDataPoint], into writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "["))
        for (index, point) in points.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.raw("{\"attributes\":")
            attributes(point.attributes, into: &writer)
            writer.raw(",\"startTimeUnixNano\":")
            writer.quotedUnsigned(point.startTime.nanosecondsSinceEpoch)
            writer.raw(",\"timeUnixNano\":")
            writer.quotedUnsigned(point.time.nanosecondsSinceEpoch)
            switch point.value {
            case .int(let value):
                writer.raw(",\"asInt\":")
                writer.quotedInteger(value)
            case .double(let value):
                writer.raw(",\"asDouble\":")
                writer.double(value)
            }
            writer.byte(UInt8(ascii: "}"))
        }
        writer.byte(UInt8(ascii: "]"))
    }

    private func histogramPoint(_ point: HistogramDataPoint, into writer: inout JSONWriter) {
        writer.raw("{\"attributes\":")
        attributes(point.attributes, into: &writer)
        writer.raw(",\"startTimeUnixNano\":")
        writer.quotedUnsigned(point.startTime.nanosecondsSinceEpoch)
        writer.raw(",\"timeUnixNano\":")
        writer.quotedUnsigned(point.time.nanosecondsSinceEpoch)
        writer.raw(",\"count\":")
        writer.quotedUnsigned(point.count)
        writer.raw(",\"sum\":")
        writer.double(point.sum)
        writer.raw(",\"bucketCounts\":[")
        for (index, count) in point.bucketCounts.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.quotedUnsigned(count)
        }
        writer.raw("],\"explicitBounds\":[")
        for (index, bound) in point.explicitBounds.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.double(bound)
        }
        writer.byte(UInt8(ascii: "]"))
        if let min = point.min {
            writer.raw(",\"min\":")
            writer.double(min)
        }
        if let max = point.max {
            writer.raw(",\"max\":")
            writer.double(max)
        }
        writer.byte(UInt8(ascii: "}"))
    }

    // MARK: Logs

    private func log(_ log: LogRecord, into writer: inout JSONWriter) {
        writer.raw("{\"timeUnixNano\":")
        writer.quotedUnsigned(log.time.nanosecondsSinceEpoch)
        writer.raw(",\"observedTimeUnixNano\":")
        writer.quotedUnsigned(log.observedTime.nanosecondsSinceEpoch)
        writer.raw(",\"severityNumber\":")
        writer.integer(Int64(log.severity.rawValue))
        writer.raw(",\"severityText\":")
        writer.string(log.severity.text)
        writer.raw(",\"body\":{\"stringValue\":")
        writer.string(log.body)
        writer.raw("},\"attributes\":")
        attributes(log.attributes, into: &writer)
        if let traceID = log.traceID {
            writer.raw(",\"traceId\":")
            writer.quotedHex(traceID.high, traceID.low)
        }
        if let spanID = log.spanID {
            writer.raw(",\"spanId\":")
            writer.quotedHex(spanID.rawValue)
        }
        writer.byte(UInt8(ascii: "}"))
    }

    // MARK: Attributes

    private func attributes(_ attributes: TelemetryAttributes, into writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "["))
        var first = true
        for (key, value) in attributes {
            if !first { writer.byte(UInt8(ascii: ",")) }
            first = false
            keyValue(key, value, into: &writer)
        }
        writer.byte(UInt8(ascii: "]"))
    }

    private func keyValue(_ key: String, _ value: AttributeValue, into writer: inout JSONWriter) {
        writer.raw("{\"key\":")
        writer.string(key)
        writer.raw(",\"value\":")
        anyValue(value, into: &writer)
        writer.byte(UInt8(ascii: "}"))
    }

    private func anyValue(_ value: AttributeValue, into writer: inout JSONWriter) {
        switch value {
        case .string(let text):
            writer.raw("{\"stringValue\":")
            writer.string(text)
        case .int(let number):
            writer.raw("{\"intValue\":")
            writer.quotedInteger(number)
        case .double(let number):
            writer.raw("{\"doubleValue\":")
            writer.double(number)
        case .bool(let flag):
            writer.raw("{\"boolValue\":")
            writer.bool(flag)
        case .array(let values):
            writer.raw("{\"arrayValue\":{\"values\":[")
            for (index, element) in values.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                anyValue(element, into: &writer)
            }
            writer.raw("]}")
        }
        writer.byte(UInt8(ascii: "}"))
    }
}
