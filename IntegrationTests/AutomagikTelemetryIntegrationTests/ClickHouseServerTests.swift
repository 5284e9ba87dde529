import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import TelemetryClickHouse
import TelemetryCore
import TelemetryHTTP
import TelemetryMetrics
import TelemetryPipeline
import Testing

/// The whole client against the real ClickHouse server that run.sh starts (Debian's 18.16, so the
/// legacy flavour is detected): schema through the SDK, every signal, every column read back with SQL.
@Suite(.enabled(if: IntegrationEnvironment.hasClickHouse, "needs the ClickHouse server started by IntegrationTests/run.sh"), .serialized)
struct ClickHouseServerTests {
    let endpoint = IntegrationEnvironment.clickhouseEndpoint ?? ""

    /// Runs SQL as the test user; rows as dictionaries (`FORMAT JSONEachRow`).
    func query(_ sql: String) async throws -> [[String: Any]] {
        let exporter = ClickHouseExporter(
            configuration: .init(
                endpoint: endpoint, username: IntegrationEnvironment.clickhouseUser,
                password: IntegrationEnvironment.clickhousePassword, flavor: .legacy),
            client: DefaultHTTPClient()
        )
        let text = try await exporter.run(sql + " FORMAT JSONEachRow")
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    func client(
        database: String, password: String = IntegrationEnvironment.clickhousePassword, gzip: Bool = true,
        store: InMemoryStateStore = InMemoryStateStore(), configure: (inout TelemetryConfiguration) -> Void = { _ in }
    )
        throws -> AutomagikTelemetry
    {
        var configuration = TelemetryConfiguration(projectName: "shop", version: "2.1.0")
        configuration.enabled = true
        configuration.logsEnabled = true
        configuration.backend = .clickhouse(
            ClickHouseSettings(
                endpoint: endpoint, database: database, username: IntegrationEnvironment.clickhouseUser, password: password
            ))
        configuration.deploymentEnvironment = "staging"
        configuration.exporter.compression = gzip
        configuration.exporter.compressionThreshold = 1
        configure(&configuration)
        return try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(environment: DictionaryEnvironment(), stateStore: store)
        )
    }

    func applySchema(_ database: String) async throws {
        let exporter = ClickHouseExporter(
            configuration: .init(
                endpoint: endpoint, names: .init(database: database), username: IntegrationEnvironment.clickhouseUser,
                password: IntegrationEnvironment.clickhousePassword),
            client: DefaultHTTPClient()
        )
        #expect(try await exporter.applySchema() == .legacy)
        #expect(try await exporter.applySchema() == .legacy, "applying twice is harmless")
    }

    static func uniqueDatabase(_ prefix: String) -> String { "it_\(prefix)_\(UInt32.random(in: 0...UInt32.max))" }

    @Test(arguments: [true, false])
    func everyColumnReadsBack(gzip: Bool) async throws {
        let database = Self.uniqueDatabase(gzip ? "gz" : "plain")
        try await applySchema(database)
        let store = InMemoryStateStore()
        let telemetry = try client(database: database, gzip: gzip, store: store)
        telemetry.trackEvent(
            "checkout.completed",
            attributes: [
                "items": 3, "total": 59.9, "express": true, "user_id": "customer-77", "note": "mail jane@example.com",
            ], duration: .milliseconds(12))
        telemetry.trackError(type: "PaymentError", message: "card declined", stackTrace: "0 Checkout.pay()\n1 main")
        telemetry.trackMetric("orders", value: 3, type: .counter, unit: "{order}", attributes: ["region": "eu"])
        telemetry.trackMetric("orders", value: 3, type: .counter, unit: "{order}", attributes: ["region": "eu"])
        for value in [3.0, 30, 3000] { telemetry.trackMetric("checkout.latency", value: value, type: .histogram, unit: "ms") }
        telemetry.trackMetric("queue.depth", value: 7.5)
        telemetry.trackMetric("sessions", value: 2, type: .upDownCounter)
        telemetry.trackMetric("sessions", value: -5, type: .upDownCounter)
        telemetry.trackLog("payment provider slow", severity: .warn, attributes: ["provider": "acme"])
        let report = await telemetry.shutdown(deadline: .seconds(30))
        #expect(report.stats.totalDropped == 0, "\(report.stats.dropped)")
        #expect(report.stats.exported == 2 + 4 + 1)

        let anonymousID = try #require(store.values[.anonymousID])
        let spans = try await query(
            "SELECT SpanName, SpanKind, DurationNs, StatusCode, StatusMessage, ExceptionType, ExceptionMessage, ExceptionStacktrace, "
                + "TraceId, SpanId, ParentSpanId, TimestampNs, toUnixTimestamp(Timestamp) AS Seconds, Attributes.Key AS Keys, "
                + "Attributes.Value AS Values, ServiceName, ServiceVersion, ProjectName, ProjectVersion, Organization, Environment, "
                + "UserId, SessionId, OsType, HostArch, RuntimeName, RuntimeVersion, SdkName, SdkVersion "
                + "FROM `\(database)`.traces ORDER BY SpanName"
        )
        #expect(spans.count == 2)
        let error = spans[0], event = spans[1]
        #expect(event["SpanName"] as? String == "checkout.completed")
        #expect(event["SpanKind"] as? String == "INTERNAL")
        #expect(event["DurationNs"] as? String == "12000000" || (event["DurationNs"] as? NSNumber)?.intValue == 12_000_000)
        #expect(event["StatusCode"] as? String == "UNSET")
        #expect((event["TraceId"] as? String)?.count == 32 && (event["SpanId"] as? String)?.count == 16)
        #expect(event["ParentSpanId"] as? String == "")
        let nanos = UInt64("\(event["TimestampNs"] ?? "")") ?? 0
        let seconds = UInt64("\(event["Seconds"] ?? "")") ?? 1
        #expect(nanos / 1_000_000_000 == seconds, "the nanosecond column agrees with the DateTime column")
        let keys = try #require(event["Keys"] as? [String]), values = try #require(event["Values"] as? [String])
        let attributes = Dictionary(uniqueKeysWithValues: zip(keys, values))
        #expect(attributes["items"] == "3" && attributes["total"] == "59.9" && attributes["express"] == "true")
        #expect(attributes["user_id"] != nil && attributes["user_id"] != "customer-77", "user ids are pseudonymised")
        #expect(attributes["note"] == "mail <redacted:email>")
        for (column, expected) in [
            ("ServiceName", "shop"), ("ServiceVersion", "2.1.0"), ("ProjectName", "shop"), ("ProjectVersion", "2.1.0"),
            ("Organization", "namastex"), ("Environment", "staging"), ("UserId", anonymousID), ("RuntimeName", "swift"),
            ("SdkName", "automagik-telemetry-swift"), ("SdkVersion", SDKInfo.version),
        ] {
            #expect(event[column] as? String == expected, "\(column)")
        }
        for column in ["SessionId", "OsType", "HostArch", "RuntimeVersion"] {
            #expect((event[column] as? String)?.isEmpty == false, "\(column) is filled")
        }
        #expect(error["SpanName"] as? String == "automagik.error")
        #expect(error["StatusCode"] as? String == "ERROR")
        #expect(error["StatusMessage"] as? String == "card declined")
        #expect(error["ExceptionType"] as? String == "PaymentError")
        #expect(error["ExceptionMessage"] as? String == "card declined")
        #expect(error["ExceptionStacktrace"] as? String == "0 Checkout.pay()\n1 main")

        let metrics = try await query(
            "SELECT MetricName, MetricType, MetricUnit, Temporality, IsMonotonic, Value, Count, Sum, Min, Max, BucketCounts, "
                + "ExplicitBounds, Attributes.Value AS Values, StartTimeUnixNs, TimeUnixNs FROM `\(database)`.metrics ORDER BY MetricName"
        )
        #expect(metrics.count == 4)
        let byName = Dictionary(uniqueKeysWithValues: metrics.map { ($0["MetricName"] as? String ?? "", $0) })
        let histogram = try #require(byName["checkout.latency"])
        #expect(histogram["MetricType"] as? String == "histogram" && histogram["Temporality"] as? String == "DELTA")
        #expect("\(histogram["Count"] ?? "")" == "3")
        #expect(histogram["Sum"] as? Double == 3033 && histogram["Min"] as? Double == 3 && histogram["Max"] as? Double == 3000)
        let buckets = (histogram["BucketCounts"] as? [Any])?.map { "\($0)" } ?? []
        #expect(buckets.count == 16 && buckets[1] == "1" && buckets[4] == "1" && buckets[12] == "1")
        #expect((histogram["ExplicitBounds"] as? [Double])?.first == 0)
        let orders = try #require(byName["orders"])
        #expect(orders["MetricType"] as? String == "sum" && "\(orders["IsMonotonic"] ?? "")" == "1")
        #expect(orders["Value"] as? Double == 6 && orders["MetricUnit"] as? String == "{order}")
        #expect(orders["Values"] as? [String] == ["eu"])
        #expect(UInt64("\(orders["TimeUnixNs"] ?? "")")! >= UInt64("\(orders["StartTimeUnixNs"] ?? "")")!)
        #expect(byName["queue.depth"]?["MetricType"] as? String == "gauge" && byName["queue.depth"]?["Value"] as? Double == 7.5)
        #expect(byName["sessions"]?["Value"] as? Double == -3 && "\(byName["sessions"]?["IsMonotonic"] ?? "")" == "0")

        let logs = try await query("SELECT SeverityNumber, SeverityText, Body, Attributes.Value AS Values FROM `\(database)`.logs")
        #expect(logs.count == 1)
        #expect("\(logs.first?["SeverityNumber"] ?? "")" == "13" && logs.first?["SeverityText"] as? String == "WARN")
        #expect(logs.first?["Body"] as? String == "payment provider slow")

        let hourly = try await query("SELECT sum(Events) AS Events, sum(Errors) AS Errors FROM `\(database)`.traces_hourly")
        #expect("\(hourly.first?["Events"] ?? "")" == "2" && "\(hourly.first?["Errors"] ?? "")" == "1")
        let errors = try await query(
            "SELECT ExceptionType, countMerge(Errors) AS Errors FROM `\(database)`.traces_errors_daily GROUP BY ExceptionType")
        #expect(errors.first?["ExceptionType"] as? String == "PaymentError" && "\(errors.first?["Errors"] ?? "")" == "1")
        let fiveMinutes = try await query(
            "SELECT MetricName, countMerge(Points) AS Points FROM `\(database)`.metrics_5m GROUP BY MetricName ORDER BY MetricName")
        #expect(fiveMinutes.count == 4)
    }

    @Test func wrongPasswordIsDroppedOnceNotRetried() async throws {
        let database = Self.uniqueDatabase("auth")
        try await applySchema(database)
        let telemetry = try client(database: database, password: "wrong")
        telemetry.trackEvent("x")
        let report = await telemetry.shutdown(deadline: .seconds(20))
        #expect(report.stats.dropped[.rejectedByReceiver] == 1)
        #expect(report.stats.retries == 0)
        #expect(!"\(telemetry.status)".contains(IntegrationEnvironment.clickhousePassword))
    }

    @Test func missingTableIsPermanent() async throws {
        let database = Self.uniqueDatabase("missing")
        try await applySchema(database)
        let telemetry = try client(database: database) {
            $0.backend = .clickhouse(
                ClickHouseSettings(
                    endpoint: endpoint, database: database, tracesTable: "no_such_table", username: IntegrationEnvironment.clickhouseUser,
                    password: IntegrationEnvironment.clickhousePassword
                ))
        }
        telemetry.trackEvent("x")
        let report = await telemetry.shutdown(deadline: .seconds(20))
        #expect(report.stats.dropped[.rejectedByReceiver] == 1)
        #expect(report.stats.retries == 0)
    }

    @Test func serverRestartAtTwoThousandEventsPerSecondLosesNothingAndDuplicatesNothing() async throws {
        let directory = try #require(IntegrationEnvironment.clickhouseDirectory)
        let port = try #require(IntegrationEnvironment.clickhousePort)
        let database = Self.uniqueDatabase("restart")
        try await applySchema(database)
        // Default settings: only the backend and where it is.
        let telemetry = try AutomagikTelemetry(
            configuration: {
                var configuration = TelemetryConfiguration(projectName: "shop", version: "2.1.0")
                configuration.enabled = true
                configuration.logsEnabled = true
                configuration.backend = .clickhouse(
                    ClickHouseSettings(
                        endpoint: endpoint, database: database, username: IntegrationEnvironment.clickhouseUser,
                        password: IntegrationEnvironment.clickhousePassword
                    ))
                return configuration
            }(),
            dependencies: TelemetryDependencies(environment: DictionaryEnvironment(), stateStore: InMemoryStateStore())
        )
        // 2,000 events/s for 30 s; the server is SIGKILLed at 10 s and started again 5 s later.
        let start = ContinuousClock.now
        var seq = 0
        for tick in 0..<3_000 {
            if tick == 1_000 { try ServerControl.stop(directory: directory) }
            if tick == 1_500 { try ServerControl.start(directory: directory, port: port) }
            for _ in 0..<20 {
                telemetry.trackEvent("steady", attributes: ["seq": .int(Int64(seq))])
                seq += 1
            }
            let due = start + .milliseconds(10 * (tick + 1))
            if due > ContinuousClock.now { try await Task.sleep(until: due) }
        }
        let report = await telemetry.shutdown(deadline: .seconds(60))
        #expect(report.stats.totalDropped == 0, "\(report.stats.dropped)")
        #expect(report.stats.exported == 60_000)
        #expect(report.stats.failedAttempts > 0, "the outage was noticed")
        let counts = try await query("SELECT count() AS N, uniqExact(Attributes.Value) AS U FROM `\(database)`.traces WHERE SpanName = 'steady'")
        #expect("\(counts.first?["N"] ?? "")" == "60000", "rows: \(counts)")
        #expect("\(counts.first?["U"] ?? "")" == "60000", "distinct seq values: \(counts)")
    }
}

/// Stops and starts the test server (IntegrationTests/clickhouse/start.sh).
enum ServerControl {
    static func stop(directory: String) throws {
        let pid = try String(contentsOfFile: directory + "/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let number = Int32(pid) else { return }
        // SIGKILL: an abrupt outage (a graceful shutdown can take longer than the test's outage).
        kill(number, SIGKILL)
        for _ in 0..<200 where kill(number, 0) == 0 { usleep(25_000) }
    }

    static func start(directory: String, port: String) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("clickhouse/start.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, directory, port]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        for _ in 0..<100 {
            if let ping = try? String(contentsOf: URL(string: "http://127.0.0.1:\(port)/ping")!, encoding: .utf8), ping.hasPrefix("Ok") { return }
            usleep(50_000)
        }
    }
}
