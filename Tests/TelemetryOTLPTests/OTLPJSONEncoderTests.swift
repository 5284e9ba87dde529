import AutomagikTelemetryTestKit
import Foundation
import Testing
@_spi(Internals) import TelemetryCore
import TelemetryOTLP

@Suite struct OTLPJSONEncoderTests {
    let resource = TelemetryResource([("service.name", "demo"), ("count", 3)])
    let time = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_123_456_789)

    private func decode(_ batch: ExportBatch) throws -> [String: Any] {
        let bytes = OTLPJSONEncoder().encode(batch)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func spansFollowTheOTLPJSONRules() throws {
        let span = SpanRecord(
            traceID: TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10), spanID: SpanID(0xABCDEF),
            name: "automagik.error", startTime: time, endTime: time.advanced(by: .milliseconds(5)),
            attributes: ["big": .int(Int64.max), "ok": true, "ratio": 0.5, "list": ["a", 1]],
            events: [SpanEvent(name: "exception", time: time, attributes: ["exception.type": "E"])],
            status: .error("boom")
        )
        let json = try decode(ExportBatch(resource: resource, payload: .spans([span])))
        let resourceSpans = try #require((json["resourceSpans"] as? [[String: Any]])?.first)
        let resourceAttributes = try #require((resourceSpans["resource"] as? [String: Any])?["attributes"] as? [[String: Any]])
        #expect(resourceAttributes.map { $0["key"] as? String } == ["service.name", "count"])
        #expect((resourceAttributes[1]["value"] as? [String: Any])?["intValue"] as? String == "3")
        let scopeSpans = try #require((resourceSpans["scopeSpans"] as? [[String: Any]])?.first)
        let scope = try #require(scopeSpans["scope"] as? [String: String])
        #expect(scope == ["name": SDKInfo.name, "version": SDKInfo.version])
        let encoded = try #require((scopeSpans["spans"] as? [[String: Any]])?.first)
        #expect(encoded["traceId"] as? String == "0102030405060708090a0b0c0d0e0f10")
        #expect(encoded["spanId"] as? String == "0000000000abcdef")
        #expect(encoded["parentSpanId"] == nil)
        #expect(encoded["kind"] as? Int == 1)
        #expect(encoded["startTimeUnixNano"] as? String == "1700000000123456789")
        #expect(encoded["endTimeUnixNano"] as? String == "1700000000128456789")
        let status = try #require(encoded["status"] as? [String: Any])
        #expect(status["code"] as? Int == 2)
        #expect(status["message"] as? String == "boom")
        #expect(status.count == 2)
        let list = try #require(encoded["attributes"] as? [[String: Any]])
        #expect(Set(list.compactMap { $0["key"] as? String }) == ["big", "list", "ok", "ratio"])
        func value(_ key: String) -> [String: Any]? {
            list.first { $0["key"] as? String == key }?["value"] as? [String: Any]
        }
        #expect(value("big")?["intValue"] as? String == "9223372036854775807")
        let array = try #require((value("list")?["arrayValue"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(array[0]["stringValue"] as? String == "a")
        #expect(array[1]["intValue"] as? String == "1")
        #expect(value("ok")?["boolValue"] as? Bool == true)
        #expect(value("ratio")?["doubleValue"] as? Double == 0.5)
        let event = try #require((encoded["events"] as? [[String: Any]])?.first)
        #expect(event["timeUnixNano"] as? String == "1700000000123456789")
        #expect(event["name"] as? String == "exception")
    }

    @Test func metricsCarryTemporalityMonotonicityAndBuckets() throws {
        let sum = MetricRecord(
            name: "requests", unit: "{request}",
            data: .sum(
                SumData(
                    points: [NumberDataPoint(attributes: ["r": "/"], startTime: time, time: time, value: .double(3))],
                    temporality: .delta, isMonotonic: true
                )))
        let gauge = MetricRecord(name: "depth", data: .gauge([NumberDataPoint(attributes: [:], startTime: time, time: time, value: .int(-4))]))
        let histogram = MetricRecord(
            name: "latency", unit: "ms",
            data: .histogram(
                HistogramData(
                    points: [
                        HistogramDataPoint(
                            attributes: [:], startTime: time, time: time, count: 3, sum: 12.5, bucketCounts: [1, 2, 0],
                            explicitBounds: [5, 10], min: 1, max: 9.5)
                    ], temporality: .cumulative)))
        let json = try decode(ExportBatch(resource: resource, payload: .metrics([sum, gauge, histogram])))
        let scope = try #require(((json["resourceMetrics"] as? [[String: Any]])?.first?["scopeMetrics"] as? [[String: Any]])?.first)
        let metrics = try #require(scope["metrics"] as? [[String: Any]])
        #expect(metrics.count == 3)
        let encodedSum = try #require(metrics[0]["sum"] as? [String: Any])
        #expect(metrics[0]["unit"] as? String == "{request}")
        #expect(encodedSum["aggregationTemporality"] as? Int == 1)
        #expect(encodedSum["isMonotonic"] as? Bool == true)
        #expect((encodedSum["dataPoints"] as? [[String: Any]])?.first?["asDouble"] as? Double == 3)
        let gaugePoint = try #require(((metrics[1]["gauge"] as? [String: Any])?["dataPoints"] as? [[String: Any]])?.first)
        #expect(gaugePoint["asInt"] as? String == "-4")
        let encodedHistogram = try #require(metrics[2]["histogram"] as? [String: Any])
        #expect(encodedHistogram["aggregationTemporality"] as? Int == 2)
        let point = try #require((encodedHistogram["dataPoints"] as? [[String: Any]])?.first)
        #expect(point["count"] as? String == "3")
        #expect(point["sum"] as? Double == 12.5)
        #expect(point["bucketCounts"] as? [String] == ["1", "2", "0"])
        #expect(point["explicitBounds"] as? [Double] == [5, 10])
        #expect(point["min"] as? Double == 1)
        #expect(point["max"] as? Double == 9.5)
    }

    @Test func logsCarrySeverityBodyAndCorrelation() throws {
        let log = LogRecord(
            time: time, severity: .warn, body: "disk \"almost\" full\n", attributes: ["disk": "/"],
            traceID: TraceID(high: 1, low: 2), spanID: SpanID(3)
        )
        let json = try decode(ExportBatch(resource: resource, payload: .logs([log])))
        let scope = try #require(((json["resourceLogs"] as? [[String: Any]])?.first?["scopeLogs"] as? [[String: Any]])?.first)
        let record = try #require((scope["logRecords"] as? [[String: Any]])?.first)
        #expect(record["severityNumber"] as? Int == 13)
        #expect(record["severityText"] as? String == "WARN")
        #expect(record["timeUnixNano"] as? String == "1700000000123456789")
        #expect(record["observedTimeUnixNano"] as? String == "1700000000123456789")
        #expect((record["body"] as? [String: String])?["stringValue"] == "disk \"almost\" full\n")
        #expect(record["traceId"] as? String == "00000000000000010000000000000002")
        #expect(record["spanId"] as? String == "0000000000000003")
    }

    @Test func unsetStatusAndNoParentAreOmitted() throws {
        let span = SpanRecord(
            traceID: TraceID(high: 1, low: 1), spanID: SpanID(1), parentSpanID: SpanID(2), name: "x",
            startTime: time, endTime: time)
        let text = String(decoding: OTLPJSONEncoder().encode(ExportBatch(resource: resource, payload: .spans([span]))), as: UTF8.self)
        #expect(text.contains("\"status\":{}"))
        #expect(text.contains("\"parentSpanId\":\"0000000000000002\""))
        #expect(!text.contains("\"events\""))
    }
}

@Suite struct JSONWriterTests {
    private func written(_ body: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        body(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func escapesStrings() throws {
        let text = written { $0.string("a\"b\\c\n\t\u{01}\u{1F}é👍") }
        #expect(text == "\"a\\\"b\\\\c\\n\\t\\u0001\\u001fé👍\"")
        let parsed = try JSONSerialization.jsonObject(with: Data(("[" + text + "]").utf8)) as? [String]
        #expect(parsed == ["a\"b\\c\n\t\u{01}\u{1F}é👍"])
    }

    @Test func spellsNumbers() {
        #expect(written { $0.integer(Int64.min) } == "-9223372036854775808")
        #expect(written { $0.unsigned(UInt64.max) } == "18446744073709551615")
        #expect(written { $0.unsigned(0) } == "0")
        #expect(written { $0.double(2) } == "2")
        #expect(written { $0.double(0.1) } == "0.1")
        #expect(written { $0.double(-0.0) } == "-0")
        #expect(written { $0.double(1e300) } == "1e+300")
        #expect(written { $0.double(.nan) } == "\"NaN\"")
        #expect(written { $0.double(-.infinity) } == "\"-Infinity\"")
        #expect(written { $0.quotedInteger(-5) } == "\"-5\"")
    }
}
