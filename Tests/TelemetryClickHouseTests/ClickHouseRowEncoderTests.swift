import Foundation
import Testing
import TelemetryCore
@testable import TelemetryClickHouse

@Suite struct ClickHouseRowEncoderTests {
    let time = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_123_456_789)  // 2023-11-14 22:13:20.123456789 UTC
    let resource = TelemetryResource([
        ("service.name", "shop"), ("service.version", "2.1"), ("project.name", "shop"), ("project.version", "2.1"),
        ("service.organization", "acme"), ("deployment.environment", "prod"), ("user.id", "u-anon"), ("session.id", "s-1"),
        ("os.type", "linux"), ("os.version", "6.1"), ("host.arch", "amd64"), ("process.runtime.name", "swift"),
        ("process.runtime.version", "6.3"), ("telemetry.sdk.name", "automagik-telemetry-swift"), ("telemetry.sdk.version", "0.1.0"),
    ])

    private func rows(_ payload: ExportPayload, _ flavor: ClickHouseSchema.Flavor) throws -> [[String: Any]] {
        let bytes = ClickHouseRowEncoder(flavor: flavor).encode(ExportBatch(resource: resource, payload: payload))
        return try String(decoding: bytes, as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    private var errorSpan: SpanRecord {
        SpanRecord(
            traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), name: "automagik.error", startTime: time,
            endTime: time.advanced(by: .milliseconds(12)), attributes: ["n": 42, "ok": true, "r": 0.5, "tags": ["a", 1]],
            events: [
                SpanEvent(
                    name: "exception", time: time,
                    attributes: [
                        "exception.type": "ImportError", "exception.message": "bad", "exception.stacktrace": "0 main",
                    ])
            ],
            status: .error("bad")
        )
    }

    @Test func modernSpanRowFillsEveryColumn() throws {
        let row = try #require(try rows(.spans([errorSpan]), .modern).first)
        #expect(row["Timestamp"] as? String == "2023-11-14 22:13:20.123456789")
        #expect(row["TraceId"] as? String == "00000000000000010000000000000002")
        #expect(row["SpanId"] as? String == "0000000000000003")
        #expect(row["ParentSpanId"] as? String == "")
        #expect(row["SpanKind"] as? String == "INTERNAL")
        #expect(row["DurationNs"] as? Int == 12_000_000)
        #expect(row["StatusCode"] as? String == "ERROR")
        #expect(row["ExceptionType"] as? String == "ImportError")
        #expect(row["ExceptionStacktrace"] as? String == "0 main")
        #expect(row["Attributes"] as? [String: String] == ["n": "42", "ok": "true", "r": "0.5", "tags": "[\"a\",1]"])
        #expect(row["ServiceName"] as? String == "shop")
        #expect(row["Organization"] as? String == "acme")
        #expect(row["Environment"] as? String == "prod")
        #expect(row["UserId"] as? String == "u-anon")
        #expect(row["SessionId"] as? String == "s-1")
        #expect(row["RuntimeVersion"] as? String == "6.3")
        #expect((row["ResourceAttributes"] as? [String: String])?["host.arch"] == "amd64")
    }

    @Test func legacyRowsUseSecondsPlusNanosecondsAndNestedArrays() throws {
        let row = try #require(try rows(.spans([errorSpan]), .legacy).first)
        #expect(row["Timestamp"] as? String == "2023-11-14 22:13:20")
        #expect((row["TimestampNs"] as? NSNumber)?.uint64Value == 1_700_000_000_123_456_789)
        #expect(row["Attributes.Key"] as? [String] == ["n", "ok", "r", "tags"])
        #expect(row["Attributes.Value"] as? [String] == ["42", "true", "0.5", "[\"a\",1]"])
        #expect((row["ResourceAttributes.Key"] as? [String])?.count == 15)
        #expect(row["Attributes"] == nil)
    }

    @Test func metricRowsPerPoint() throws {
        let histogram = MetricRecord(
            name: "latency", unit: "ms",
            data: .histogram(
                HistogramData(
                    points: [
                        HistogramDataPoint(
                            attributes: ["route": "/"], startTime: time, time: time.advanced(by: .seconds(5)), count: 3,
                            sum: 33, bucketCounts: [1, 2, 0], explicitBounds: [5, 10], min: 1, max: 20)
                    ], temporality: .delta)))
        let counter = MetricRecord(
            name: "requests",
            data: .sum(
                SumData(
                    points: [
                        NumberDataPoint(attributes: [:], startTime: time, time: time, value: .double(7)),
                        NumberDataPoint(attributes: ["a": "b"], startTime: time, time: time, value: .double(2)),
                    ], temporality: .cumulative, isMonotonic: true)))
        let gauge = MetricRecord(name: "depth", data: .gauge([NumberDataPoint(attributes: [:], startTime: time, time: time, value: .double(4.5))]))
        let all = try rows(.metrics([histogram, counter, gauge]), .modern)
        #expect(all.count == 4)
        #expect(all[0]["MetricType"] as? String == "histogram")
        #expect(all[0]["Temporality"] as? String == "DELTA")
        #expect(all[0]["Count"] as? Int == 3)
        #expect(all[0]["Sum"] as? Double == 33)
        #expect(all[0]["Min"] as? Double == 1 && all[0]["Max"] as? Double == 20)
        #expect(all[0]["BucketCounts"] as? [Int] == [1, 2, 0])
        #expect(all[0]["ExplicitBounds"] as? [Double] == [5, 10])
        #expect(all[0]["TimeUnix"] as? String == "2023-11-14 22:13:25.123456789")
        #expect(all[0]["StartTimeUnix"] as? String == "2023-11-14 22:13:20.123456789")
        #expect(all[1]["MetricType"] as? String == "sum" && all[1]["IsMonotonic"] as? Int == 1)
        #expect(all[1]["Temporality"] as? String == "CUMULATIVE")
        #expect(all[2]["Value"] as? Double == 2)
        #expect(all[3]["MetricType"] as? String == "gauge" && all[3]["Value"] as? Double == 4.5)
    }

    @Test func logRowsCarryCorrelationAndExceptions() throws {
        let log = LogRecord(
            time: time, severity: .error, body: "failed \"quoted\"\n", attributes: ["exception.type": "IOError", "k": "v"],
            traceID: TraceID(high: 0, low: 9), spanID: SpanID(8)
        )
        let row = try #require(try rows(.logs([log]), .modern).first)
        #expect(row["SeverityNumber"] as? Int == 17)
        #expect(row["SeverityText"] as? String == "ERROR")
        #expect(row["Body"] as? String == "failed \"quoted\"\n")
        #expect(row["TraceId"] as? String == "00000000000000000000000000000009")
        #expect(row["SpanId"] as? String == "0000000000000008")
        #expect(row["ExceptionType"] as? String == "IOError")
    }

    @Test(arguments: [
        (UInt64(0), "1970-01-01 00:00:00.000000000"), (951_782_400_000_000_001, "2000-02-29 00:00:00.000000001"),
        (4_102_444_799_999_999_999, "2099-12-31 23:59:59.999999999"),
    ])
    func civilTime(nanoseconds: UInt64, expected: String) {
        #expect(CivilTime.format(Timestamp(nanosecondsSinceEpoch: nanoseconds), fractionDigits: 9) == expected)
    }

    @Test func valuesAsText() {
        #expect(ClickHouseRowEncoder.text(.double(1e21)) == "1e+21")
        #expect(ClickHouseRowEncoder.text(.double(.nan)) == "NaN")
        #expect(ClickHouseRowEncoder.text(.array([.array(["x"]), .bool(false)])) == "[\"[\\\"x\\\"]\",false]")
    }
}
