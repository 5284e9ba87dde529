import Testing
import TelemetryCore
import TelemetryOTLP

/// Decodes what the encoder wrote with the independent `ProtobufReader` and checks field numbers and
/// types against opentelemetry-proto v1. (The integration suite also checks against the official
/// Python definitions, byte for byte.)
@Suite struct OTLPProtobufEncoderTests {
    let time = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_001)
    let resource = TelemetryResource([("service.name", "demo")])

    private func fields(_ bytes: [UInt8]) throws -> [(field: UInt32, value: ProtobufReader.Value)] {
        try #require(ProtobufReader.fields(of: bytes))
    }

    private func message(_ value: ProtobufReader.Value?) throws -> [(field: UInt32, value: ProtobufReader.Value)] {
        guard case .lengthDelimited(let bytes)? = value else { throw DecodeError.notAMessage }
        return try fields(bytes)
    }

    private func first(_ fields: [(field: UInt32, value: ProtobufReader.Value)], _ number: UInt32) -> ProtobufReader.Value? {
        fields.first { $0.field == number }?.value
    }

    private func all(_ fields: [(field: UInt32, value: ProtobufReader.Value)], _ number: UInt32) -> [ProtobufReader.Value] {
        fields.filter { $0.field == number }.map(\.value)
    }

    private func string(_ value: ProtobufReader.Value?) -> String? {
        guard case .lengthDelimited(let bytes)? = value else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    enum DecodeError: Error { case notAMessage }

    /// request → resource_x[0] → scope_x[0] → (scope, items)
    private func scopeLevel(_ batch: ExportBatch) throws -> [(field: UInt32, value: ProtobufReader.Value)] {
        let request = try fields(OTLPProtobufEncoder().encode(batch))
        #expect(request.count == 1 && request[0].field == 1)
        let resourceLevel = try message(first(request, 1))
        let resourceFields = try message(first(resourceLevel, 1))
        let keyValue = try message(first(resourceFields, 1))
        #expect(string(first(keyValue, 1)) == "service.name")
        #expect(string(first(try message(first(keyValue, 2)), 1)) == "demo")
        let scope = try message(first(resourceLevel, 2))
        let scopeInfo = try message(first(scope, 1))
        #expect(string(first(scopeInfo, 1)) == SDKInfo.name)
        #expect(string(first(scopeInfo, 2)) == SDKInfo.version)
        return scope
    }

    @Test func spanFields() throws {
        let span = SpanRecord(
            traceID: TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10), spanID: SpanID(0x1122_3344_5566_7788),
            name: "automagik.error", startTime: time, endTime: time.advanced(by: .nanoseconds(5)),
            attributes: ["n": -2, "ok": false, "x": 1.5, "list": ["a"]],
            events: [SpanEvent(name: "exception", time: time, attributes: ["exception.type": "E"])],
            status: .error("boom")
        )
        let scope = try scopeLevel(ExportBatch(resource: resource, payload: .spans([span])))
        let encoded = try message(first(scope, 2))
        #expect(first(encoded, 1) == .lengthDelimited([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]))
        #expect(first(encoded, 2) == .lengthDelimited([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]))
        #expect(first(encoded, 4) == nil)
        #expect(string(first(encoded, 5)) == "automagik.error")
        #expect(first(encoded, 6) == .varint(1))
        #expect(first(encoded, 7) == .fixed64(1_700_000_000_000_000_001))
        #expect(first(encoded, 8) == .fixed64(1_700_000_000_000_000_006))
        let attributes = try all(encoded, 9).map { try message($0) }
        #expect(Set(attributes.compactMap { string(first($0, 1)) }) == ["list", "n", "ok", "x"])
        func value(_ key: String) throws -> [(field: UInt32, value: ProtobufReader.Value)] {
            let pair = try #require(attributes.first { string(first($0, 1)) == key })
            return try message(first(pair, 2))
        }
        #expect(try first(value("n"), 3) == .varint(UInt64(bitPattern: -2)))
        #expect(try first(value("ok"), 2) == .varint(0), "false is still written: AnyValue is a one-of")
        #expect(try first(value("x"), 4) == .fixed64(1.5.bitPattern))
        let array = try message(first(try value("list"), 5))
        #expect(string(first(try message(first(array, 1)), 1)) == "a")
        let event = try message(first(encoded, 11))
        #expect(first(event, 1) == .fixed64(time.nanosecondsSinceEpoch))
        #expect(string(first(event, 2)) == "exception")
        let status = try message(first(encoded, 15))
        #expect(string(first(status, 2)) == "boom")
        #expect(first(status, 3) == .varint(2))
    }

    @Test func metricFields() throws {
        let sum = MetricRecord(
            name: "requests", unit: "1",
            data: .sum(
                SumData(
                    points: [NumberDataPoint(attributes: ["r": "/"], startTime: time, time: time, value: .double(3))],
                    temporality: .delta, isMonotonic: true
                )))
        let gauge = MetricRecord(name: "depth", data: .gauge([NumberDataPoint(attributes: [:], startTime: time, time: time, value: .int(-4))]))
        let histogram = MetricRecord(
            name: "latency",
            data: .histogram(
                HistogramData(
                    points: [
                        HistogramDataPoint(
                            attributes: [:], startTime: time, time: time, count: 3, sum: 12.5, bucketCounts: [1, 2, 0],
                            explicitBounds: [5, 10], min: 1, max: 9.5)
                    ], temporality: .cumulative)))
        let scope = try scopeLevel(ExportBatch(resource: resource, payload: .metrics([sum, gauge, histogram])))
        let metrics = try all(scope, 2).map { try message($0) }
        #expect(metrics.map { string(first($0, 1)) } == ["requests", "depth", "latency"])
        #expect(string(first(metrics[0], 3)) == "1")

        let encodedSum = try message(first(metrics[0], 7))
        #expect(first(encodedSum, 2) == .varint(1))
        #expect(first(encodedSum, 3) == .varint(1))
        let sumPoint = try message(first(encodedSum, 1))
        #expect(first(sumPoint, 2) == .fixed64(time.nanosecondsSinceEpoch))
        #expect(first(sumPoint, 4) == .fixed64(3.0.bitPattern))
        #expect(all(sumPoint, 7).count == 1)

        let gaugePoint = try message(first(try message(first(metrics[1], 5)), 1))
        #expect(first(gaugePoint, 6) == .fixed64(UInt64(bitPattern: -4)), "as_int is sfixed64")

        let encodedHistogram = try message(first(metrics[2], 9))
        #expect(first(encodedHistogram, 2) == .varint(2))
        let point = try message(first(encodedHistogram, 1))
        #expect(first(point, 4) == .fixed64(3))
        #expect(first(point, 5) == .fixed64(12.5.bitPattern))
        let packedCounts: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(first(point, 6) == .lengthDelimited(packedCounts))
        #expect(
            first(point, 7)
                == .lengthDelimited(
                    withUnsafeBytes(of: 5.0.bitPattern.littleEndian, Array.init)
                        + withUnsafeBytes(of: 10.0.bitPattern.littleEndian, Array.init)))
        #expect(first(point, 11) == .fixed64(1.0.bitPattern))
        #expect(first(point, 12) == .fixed64(9.5.bitPattern))
    }

    @Test func logFields() throws {
        let log = LogRecord(
            time: time, severity: .error, body: "disk full", attributes: ["d": "/"],
            traceID: TraceID(high: 0, low: 1), spanID: SpanID(2))
        let scope = try scopeLevel(ExportBatch(resource: resource, payload: .logs([log])))
        let record = try message(first(scope, 2))
        #expect(first(record, 1) == .fixed64(time.nanosecondsSinceEpoch))
        #expect(first(record, 2) == .varint(17))
        #expect(string(first(record, 3)) == "ERROR")
        #expect(string(first(try message(first(record, 5)), 1)) == "disk full")
        #expect(all(record, 6).count == 1)
        #expect(first(record, 9) == .lengthDelimited([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))
        #expect(first(record, 10) == .lengthDelimited([0, 0, 0, 0, 0, 0, 0, 2]))
        #expect(first(record, 11) == .fixed64(time.nanosecondsSinceEpoch))
    }

    @Test func longMessagesGetMultiByteLengths() throws {
        let long = String(repeating: "y", count: 70_000)
        let span = SpanRecord(traceID: TraceID(high: 1, low: 1), spanID: SpanID(1), name: long, startTime: time, endTime: time)
        let scope = try scopeLevel(ExportBatch(resource: resource, payload: .spans(Array(repeating: span, count: 3))))
        let spans = try all(scope, 2).map { try message($0) }
        #expect(spans.count == 3)
        #expect(spans.allSatisfy { string(first($0, 5)) == long })
    }

    @Test func readerRejectsMalformedInput() {
        #expect(ProtobufReader.fields(of: [0x0A, 0x05, 1, 2]) == nil, "length past the end")
        #expect(ProtobufReader.fields(of: [0x08]) == nil, "truncated varint")
        #expect(ProtobufReader.fields(of: [0x0B]) == nil, "group wire types are not supported")
        #expect(ProtobufReader.fields(of: [0x00, 0x01]) == nil, "field number 0")
        #expect(ProtobufReader.fields(of: [])?.isEmpty == true)
    }
}
