import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import TelemetryClickHouse
import TelemetryCore
import TelemetryMetrics
import Testing

/// Writes what the SDK would send to a *modern* ClickHouse — the DDL and the exact row bytes, from a
/// real client run — plus the values they must read back as. run.sh loads them into a modern
/// ClickHouse engine (chdb) with `clickhouse_modern_check.py`, which also runs every dashboard query.
@Suite(.enabled(if: IntegrationEnvironment.artifacts != nil, "needs AUTOMAGIK_IT_ARTIFACTS from IntegrationTests/run.sh"))
struct ClickHouseModernArtifactsTests {
    struct Check: Encodable {
        let sql: String
        let expected: [[String]]
    }

    @Test func writeModernSchemaRowsAndChecks() async throws {
        let directory = try #require(IntegrationEnvironment.artifacts) + "/clickhouse-modern"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let exporter = RecordingExporter()
        var configuration = TelemetryConfiguration(projectName: "shop", version: "3.0.0")
        configuration.enabled = true
        configuration.logsEnabled = true
        configuration.deploymentEnvironment = "prod"
        // The rows go to ClickHouse, whose backend sends delta (the recording exporter stands in for it).
        configuration.exporter.metricTemporality = .delta
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(environment: DictionaryEnvironment(), stateStore: InMemoryStateStore(), exporter: exporter)
        )
        for index in 0..<20 {
            telemetry.trackEvent(
                "checkout.completed", attributes: ["items": .int(index % 4 + 1), "coupon": .bool(index % 2 == 0)],
                duration: .milliseconds(10 + index))
        }
        telemetry.trackError(type: "PaymentError", message: "card declined", stackTrace: "0 pay()\n1 main")
        for value in [3.0, 30, 3000] { telemetry.trackMetric("checkout.latency", value: value, type: .histogram, unit: "ms") }
        telemetry.trackMetric("orders", value: 20, type: .counter, attributes: ["region": "eu"])
        telemetry.trackMetric("queue.depth", value: 7.5)
        telemetry.trackLog("payment provider slow", severity: .warn, attributes: ["provider": "acme"])
        await telemetry.shutdown(deadline: .seconds(10))

        let encoder = ClickHouseRowEncoder(flavor: .modern)
        var files: [String: [UInt8]] = ["traces": [], "metrics": [], "logs": []]
        for batch in exporter.batches {
            files[batch.payload.signal.rawValue, default: []] += encoder.encode(batch)
        }
        for (signal, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: "\(directory)/\(signal).jsonl")) }
        try ClickHouseSchema().script.write(toFile: "\(directory)/schema.sql", atomically: true, encoding: .utf8)

        let spans = exporter.spans
        let events = spans.filter { $0.name == "checkout.completed" }
        let firstEvent = try #require(events.first)
        let resource = try #require(exporter.batches.first?.resource)
        let histogram = try #require(exporter.metrics.first { $0.name == "checkout.latency" })
        guard case .histogram(let histogramData) = histogram.data, let point = histogramData.points.first else {
            Issue.record("no histogram")
            return
        }
        let checks = [
            Check(
                sql: "SELECT count(), countIf(StatusCode = 'ERROR'), sum(DurationNs) FROM telemetry.traces",
                expected: [["21", "1", String(events.reduce(0) { $0 + UInt64($1.duration.nanoseconds) })]]),
            Check(
                sql: "SELECT TraceId, SpanId, toString(Timestamp), SpanKind, DurationNs, Attributes['items'], Attributes['coupon'] "
                    + "FROM telemetry.traces WHERE SpanId = '\(firstEvent.spanID.hexString)'",
                expected: [
                    [
                        firstEvent.traceID.hexString, firstEvent.spanID.hexString,
                        CivilTimeFormat.nanoseconds(firstEvent.startTime), "INTERNAL", String(firstEvent.duration.nanoseconds),
                        firstEvent.attributes["items"]?.displayString ?? "", firstEvent.attributes["coupon"]?.displayString ?? "",
                    ]
                ]),
            Check(
                sql: "SELECT ServiceName, ServiceVersion, Environment, UserId, SessionId, SdkName FROM telemetry.traces LIMIT 1",
                expected: [
                    [
                        "shop", "3.0.0", "prod", resource["user.id"]?.displayString ?? "", resource["session.id"]?.displayString ?? "",
                        SDKInfo.name,
                    ]
                ]),
            Check(
                sql: "SELECT ExceptionType, ExceptionMessage, ExceptionStacktrace FROM telemetry.traces WHERE StatusCode = 'ERROR'",
                expected: [["PaymentError", "card declined", "0 pay()\n1 main"]]),
            Check(
                sql: "SELECT MetricType, Temporality, Count, Sum, Min, Max, toString(BucketCounts), toString(ExplicitBounds) "
                    + "FROM telemetry.metrics WHERE MetricName = 'checkout.latency'",
                expected: [
                    [
                        "histogram", "DELTA", String(point.count), "3033", "3", "3000",
                        "[" + point.bucketCounts.map(String.init).joined(separator: ",") + "]",
                        "[" + point.explicitBounds.map { String(Int($0)) }.joined(separator: ",") + "]",
                    ]
                ]),
            Check(
                sql: "SELECT MetricType, IsMonotonic, Value, Attributes['region'] FROM telemetry.metrics WHERE MetricName = 'orders'",
                expected: [["sum", "1", "20", "eu"]]),
            Check(sql: "SELECT MetricType, Value FROM telemetry.metrics WHERE MetricName = 'queue.depth'", expected: [["gauge", "7.5"]]),
            Check(
                sql: "SELECT SeverityNumber, SeverityText, Body, Attributes['provider'] FROM telemetry.logs",
                expected: [["13", "WARN", "payment provider slow", "acme"]]),
            Check(sql: "SELECT sum(Events), sum(Errors) FROM telemetry.traces_hourly", expected: [["21", "1"]]),
            Check(
                sql: "SELECT ExceptionType, countMerge(Errors) FROM telemetry.traces_errors_daily GROUP BY ExceptionType",
                expected: [["PaymentError", "1"]]),
            Check(
                sql: "SELECT MetricName, countMerge(Points) FROM telemetry.metrics_5m GROUP BY MetricName ORDER BY MetricName",
                expected: [["checkout.latency", "1"], ["orders", "1"], ["queue.depth", "1"]]),
        ]
        let encoded = try JSONEncoder().encode(checks)
        try encoded.write(to: URL(fileURLWithPath: "\(directory)/checks.json"))
    }
}

/// The modern flavour's text form of a `DateTime64(9)` (what `toString` returns).
enum CivilTimeFormat {
    static func nanoseconds(_ timestamp: Timestamp) -> String {
        let bytes = ClickHouseRowEncoder(flavor: .modern).encode(
            ExportBatch(
                resource: TelemetryResource(),
                payload: .logs([LogRecord(time: timestamp, severity: .info, body: "")])
            ))
        let text = String(decoding: bytes, as: UTF8.self)
        let start = text.index(text.startIndex, offsetBy: "{\"Timestamp\":\"".count)
        return String(text[start...].prefix { $0 != "\"" })
    }
}
