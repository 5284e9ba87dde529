@_spi(Internals) import TelemetryCore

/// Turns export batches into `JSONEachRow` lines for the SDK's tables: every column filled — ids,
/// nanosecond timestamps, real durations, readable kinds and statuses, attributes, and the identity
/// and resource columns (service, project, version, organization, environment, anonymous user id,
/// session, OS, runtime, SDK).
///
/// Modern rows write `DateTime64(9)` as `"YYYY-MM-DD hh:mm:ss.nnnnnnnnn"` and attributes as JSON
/// objects (Map); legacy rows write `DateTime` as `"YYYY-MM-DD hh:mm:ss"` plus a `…Ns` nanosecond
/// column, and attributes as the flattened `"Attributes.Key"` / `"Attributes.Value"` arrays of a
/// Nested column. Attribute values are stored as strings (`42`, `true`, `0.5`, arrays as JSON).
package struct ClickHouseRowEncoder: Sendable {
    /// The schema flavour the rows are written for.
    package let flavor: ClickHouseSchema.Flavor

    /// Creates an encoder for `flavor`.
    package init(flavor: ClickHouseSchema.Flavor) {
        self.flavor = flavor
    }

    /// The rows of `batch`, one JSON object per line.
    package func encode(_ batch: ExportBatch) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024 + batch.itemCount * 700)
        let identity = Identity(batch.resource)
        switch batch.payload {
        case .spans(let spans):
            for span in spans { spanRow(span, identity, &writer) }
        case .metrics(let metrics):
            for metric in metrics { metricRows(metric, identity, &writer) }
        case .logs(let logs):
            for log in logs { logRow(log, identity, &writer) }
        }
        return writer.bytes
    }

    // MARK: Rows

    private func spanRow(_ span: SpanRecord, _ identity: Identity, _ writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        time("Timestamp", span.startTime, &writer)
        field("TraceId", span.traceID.hexString, &writer)
        field("SpanId", span.spanID.hexString, &writer)
        field("ParentSpanId", span.parentSpanID?.hexString ?? "", &writer)
        field("SpanName", span.name, &writer)
        field("SpanKind", span.kind.name, &writer)
        number("DurationNs", UInt64(max(0, span.duration.nanoseconds)), &writer)
        field("StatusCode", span.status.code.name, &writer)
        field("StatusMessage", span.status.message, &writer)
        let exception = span.events.first { $0.name == "exception" }?.attributes ?? [:]
        field("ExceptionType", exception["exception.type"]?.displayString ?? "", &writer)
        field("ExceptionMessage", exception["exception.message"]?.displayString ?? "", &writer)
        field("ExceptionStacktrace", exception["exception.stacktrace"]?.displayString ?? "", &writer)
        attributes("Attributes", Array(span.attributes), &writer)
        identity.write(into: &writer, encoder: self)
        writer.raw("}\n")
    }

    private func metricRows(_ metric: MetricRecord, _ identity: Identity, _ writer: inout JSONWriter) {
        func common(
            start: Timestamp, time timeValue: Timestamp, type: String, temporality: String, monotonic: Bool,
            attributes pointAttributes: TelemetryAttributes
        ) {
            writer.byte(UInt8(ascii: "{"))
            time("TimeUnix", timeValue, &writer)
            time("StartTimeUnix", start, &writer)
            field("MetricName", metric.name, &writer)
            field("MetricDescription", metric.description, &writer)
            field("MetricUnit", metric.unit, &writer)
            field("MetricType", type, &writer)
            field("Temporality", temporality, &writer)
            number("IsMonotonic", monotonic ? 1 : 0, &writer)
            attributes("Attributes", Array(pointAttributes), &writer)
            identity.write(into: &writer, encoder: self)
        }
        switch metric.data {
        case .sum(let sum):
            for point in sum.points {
                common(
                    start: point.startTime, time: point.time, type: "sum", temporality: sum.temporality.name,
                    monotonic: sum.isMonotonic, attributes: point.attributes)
                values(value: point.value.doubleValue, count: 0, sum: point.value.doubleValue, min: 0, max: 0, buckets: [], bounds: [], &writer)
            }
        case .gauge(let points):
            for point in points {
                common(
                    start: point.startTime, time: point.time, type: "gauge", temporality: "", monotonic: false,
                    attributes: point.attributes)
                values(value: point.value.doubleValue, count: 0, sum: 0, min: 0, max: 0, buckets: [], bounds: [], &writer)
            }
        case .histogram(let histogram):
            for point in histogram.points {
                common(
                    start: point.startTime, time: point.time, type: "histogram", temporality: histogram.temporality.name,
                    monotonic: false, attributes: point.attributes)
                values(
                    value: point.sum, count: point.count, sum: point.sum, min: point.min ?? 0, max: point.max ?? 0,
                    buckets: point.bucketCounts, bounds: point.explicitBounds, &writer)
            }
        }
    }

    private func values(
        value: Double, count: UInt64, sum: Double, min: Double, max: Double, buckets: [UInt64], bounds: [Double],
        _ writer: inout JSONWriter
    ) {
        double("Value", value, &writer)
        number("Count", count, &writer)
        double("Sum", sum, &writer)
        double("Min", min, &writer)
        double("Max", max, &writer)
        writer.raw(",\"BucketCounts\":[")
        for (index, bucket) in buckets.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.unsigned(bucket)
        }
        writer.raw("],\"ExplicitBounds\":[")
        for (index, bound) in bounds.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.double(Self.finite(bound))
        }
        writer.raw("]}\n")
    }

    private func logRow(_ log: LogRecord, _ identity: Identity, _ writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        time("Timestamp", log.time, &writer)
        time("ObservedTimestamp", log.observedTime, &writer)
        number("SeverityNumber", UInt64(log.severity.rawValue), &writer)
        field("SeverityText", log.severity.text, &writer)
        field("Body", log.body, &writer)
        field("TraceId", log.traceID?.hexString ?? "", &writer)
        field("SpanId", log.spanID?.hexString ?? "", &writer)
        field("ExceptionType", log.attributes["exception.type"]?.displayString ?? "", &writer)
        field("ExceptionMessage", log.attributes["exception.message"]?.displayString ?? "", &writer)
        field("ExceptionStacktrace", log.attributes["exception.stacktrace"]?.displayString ?? "", &writer)
        attributes("Attributes", Array(log.attributes), &writer)
        identity.write(into: &writer, encoder: self)
        writer.raw("}\n")
    }

    // MARK: Fields

    /// Every field but the row's first is preceded by a comma; rows start with a time field.
    fileprivate func field(_ name: StaticString, _ value: String, _ writer: inout JSONWriter) {
        writer.raw(",\"")
        writer.raw(name)
        writer.raw("\":")
        writer.string(value)
    }

    private func number(_ name: StaticString, _ value: UInt64, _ writer: inout JSONWriter) {
        writer.raw(",\"")
        writer.raw(name)
        writer.raw("\":")
        writer.unsigned(value)
    }

    private func double(_ name: StaticString, _ value: Double, _ writer: inout JSONWriter) {
        writer.raw(",\"")
        writer.raw(name)
        writer.raw("\":")
        writer.double(Self.finite(value))
    }

    /// ClickHouse rejects non-finite JSON numbers; the SDK never produces them, but sums can overflow.
    private static func finite(_ value: Double) -> Double {
        value.isFinite ? value : (value.isNaN ? 0 : (value < 0 ? -Double.greatestFiniteMagnitude : Double.greatestFiniteMagnitude))
    }

    private func time(_ name: StaticString, _ timestamp: Timestamp, _ writer: inout JSONWriter) {
        // A row's first field: no leading comma.
        if writer.bytes.last != UInt8(ascii: "{") { writer.byte(UInt8(ascii: ",")) }
        writer.byte(UInt8(ascii: "\""))
        writer.raw(name)
        writer.raw("\":")
        switch flavor {
        case .modern:
            writer.string(CivilTime.format(timestamp, fractionDigits: 9))
        case .legacy:
            writer.string(CivilTime.format(timestamp, fractionDigits: 0))
            writer.raw(",\"")
            writer.raw(name)
            writer.raw("Ns\":")
            writer.unsigned(timestamp.nanosecondsSinceEpoch)
        }
    }

    fileprivate func attributes(_ name: String, _ pairs: [(String, AttributeValue)], _ writer: inout JSONWriter) {
        switch flavor {
        case .modern:
            writer.raw(",")
            writer.string(name)
            writer.raw(":{")
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.string(key)
                writer.byte(UInt8(ascii: ":"))
                writer.string(Self.text(value))
            }
            writer.byte(UInt8(ascii: "}"))
        case .legacy:
            writer.raw(",")
            writer.string(name + ".Key")
            writer.raw(":[")
            for (index, pair) in pairs.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.string(pair.0)
            }
            writer.raw("],")
            writer.string(name + ".Value")
            writer.raw(":[")
            for (index, pair) in pairs.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.string(Self.text(pair.1))
            }
            writer.byte(UInt8(ascii: "]"))
        }
    }

    /// An attribute value as stored in a String column.
    static func text(_ value: AttributeValue) -> String {
        switch value {
        case .string(let string): return string
        case .int(let number): return String(number)
        case .double(let number):
            var writer = JSONWriter(capacity: 24)
            writer.double(number)
            return String(decoding: writer.bytes.filter { $0 != UInt8(ascii: "\"") }, as: UTF8.self)
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let values):
            var writer = JSONWriter(capacity: 64)
            writer.byte(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                switch element {
                case .string(let string): writer.string(string)
                case .array: writer.string(text(element))
                default: writer.bytes.append(contentsOf: text(element).utf8)
                }
            }
            writer.byte(UInt8(ascii: "]"))
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }
}

/// The identity and resource columns, read once per batch from the resource.
private struct Identity {
    let columns: [(StaticString, String)]
    let resource: [(String, AttributeValue)]

    init(_ resource: TelemetryResource) {
        func value(_ key: String) -> String { resource[key]?.displayString ?? "" }
        columns = [
            ("ServiceName", value("service.name")), ("ServiceVersion", value("service.version")),
            ("ProjectName", value("project.name")), ("ProjectVersion", value("project.version")),
            ("Organization", value("service.organization")), ("Environment", value("deployment.environment")),
            ("UserId", value("user.id")), ("SessionId", value("session.id")), ("OsType", value("os.type")),
            ("OsVersion", value("os.version")), ("HostArch", value("host.arch")),
            ("RuntimeName", value("process.runtime.name")), ("RuntimeVersion", value("process.runtime.version")),
            ("SdkName", value("telemetry.sdk.name")), ("SdkVersion", value("telemetry.sdk.version")),
        ]
        self.resource = resource.attributes.map { ($0.key, $0.value) }
    }

    func write(into writer: inout JSONWriter, encoder: ClickHouseRowEncoder) {
        for (name, value) in columns { encoder.field(name, value, &writer) }
        encoder.attributes("ResourceAttributes", resource, &writer)
    }
}

/// UTC calendar formatting without Foundation (H. Hinnant's `civil_from_days`).
enum CivilTime {
    /// `YYYY-MM-DD hh:mm:ss` plus `.` and `fractionDigits` digits of the second when asked.
    static func format(_ timestamp: Timestamp, fractionDigits: Int) -> String {
        let nanoseconds = timestamp.nanosecondsSinceEpoch
        let seconds = Int64(nanoseconds / 1_000_000_000)
        let fraction = nanoseconds % 1_000_000_000
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var text =
            pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " " + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fractionDigits > 0 {
            let digits = pad(Int64(fraction), 9)
            text += "." + digits.prefix(fractionDigits)
        }
        return text
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
