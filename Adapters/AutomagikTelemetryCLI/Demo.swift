import AutomagikTelemetry
import Foundation
import TelemetryCore
import TelemetryMetrics
import TelemetryPipeline
import TelemetrySystem

/// A realistic workload through the real pipeline into a local OTLP/JSON-lines file.
///
/// Hermetic on purpose: it reads no environment variables and keeps its state files next to the
/// output, so running the demo never touches the user's `~/.automagik` and never uses the network.
enum Demo {
    enum DemoError: Error, CustomStringConvertible {
        case importFailed(file: String, line: Int)
        case quotaExceeded(limit: Int)

        var description: String {
            switch self {
            case .importFailed(let file, let line): "could not parse /home/jane/imports/\(file) at line \(line)"
            case .quotaExceeded(let limit): "quota of \(limit) requests exceeded"
            }
        }
    }

    static func run(_ arguments: [String], environment: [String: String], output: some CommandOutput) async throws -> Int32 {
        let parsed = try Arguments(arguments, allowedOptions: ["output", "events"])
        guard parsed.positionals.isEmpty else { throw UsageError("demo takes no arguments") }
        let path = parsed.options["output"] ?? "demo-output/telemetry.jsonl"
        guard let events = Int(parsed.options["events"] ?? "200"), events > 0, events <= 1_000_000 else {
            throw UsageError("--events must be an integer from 1 to 1000000")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let home = (directory.isEmpty ? "." : directory) + "/.demo-home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: path)

        var configuration = TelemetryConfiguration(projectName: "automagik-demo", version: "1.4.2")
        configuration.enabled = true
        configuration.logsEnabled = true
        configuration.backend = .file(path: path)
        configuration.deploymentEnvironment = "demo"
        configuration.batching = BatchingSettings(batchSize: 100, flushInterval: .seconds(1))
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                environment: DictionaryEnvironment(), stateStore: FileStateStore(homeDirectory: home)
            )
        )
        let clock = ContinuousClock()
        let started = clock.now
        workload(telemetry, events: events)
        let report = await telemetry.shutdown(deadline: .seconds(30))
        let elapsed = clock.now - started

        let content = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        let lines = content.split(separator: UInt8(ascii: "\n"))
        let stats = report.stats
        output.print("demo: \(stats.enqueued) items tracked, \(stats.exported) exported, \(stats.totalDropped) dropped")
        output.print("file: \(path) (\(lines.count) OTLP/JSON requests, \(content.count) bytes)")
        let redactions = stats.redactions.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
        output.print("privacy: \(redactions.isEmpty ? "nothing to redact" : redactions.joined(separator: ", "))")
        let dropped = stats.dropped.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
        if !dropped.isEmpty { output.print("dropped: \(dropped.joined(separator: ", "))") }
        output.print("elapsed: \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
        return report.deadlineExceeded ? 1 : 0
    }

    /// Events, errors, every metric kind and logs, with personal data where real apps leak it.
    static func workload(_ telemetry: AutomagikTelemetry, events: Int) {
        let features = ["export_csv", "import_json", "share_link", "dark_mode"]
        let routes = ["/api/users", "/api/projects", "/api/search"]
        for index in 0..<events {
            let feature = features[index % features.count]
            let route = routes[index % routes.count]
            telemetry.trackEvent(
                StandardEvents.featureUsed,
                attributes: [
                    "feature": .string(feature), "category": "ui", "count": .int(index), "success": .bool(index % 7 != 0),
                    "user_email": "jane.doe@example.com", "api_key": "sk_live_51HxDemoKeyDoNotShip",
                ])
            telemetry.trackEvent(
                StandardEvents.apiRequest,
                attributes: [
                    "route": .string(route), "method": "GET", "status_code": .int(index % 11 == 0 ? 500 : 200),
                    "authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.demo.signature", "prompt_tokens": .int(120 + index % 40),
                ],
                duration: .milliseconds(5 + index % 90)
            )
            telemetry.trackMetric("demo.requests", value: 1, type: .counter, unit: "{request}", attributes: ["route": .string(route)])
            telemetry.trackMetric(
                "demo.request.duration", value: Double(5 + (index * 37) % 480), type: .histogram, unit: "ms",
                attributes: ["route": .string(route)]
            )
            telemetry.trackMetric("demo.queue.depth", value: Double(index % 17), type: .gauge, unit: "{item}")
            telemetry.trackMetric("demo.sessions.active", value: index % 3 == 0 ? -1 : 1, type: .upDownCounter, unit: "{session}")
            if index % 10 == 0 {
                telemetry.trackLog(
                    "slow query on \(route) took \(200 + index) ms for jane.doe@example.com from 203.0.113.7", severity: .warn,
                    attributes: ["route": .string(route), "password": "hunter2", "message": "raw user text", "user_id": "u-1842"]
                )
                telemetry.trackLog(
                    "payment with card 4111 1111 1111 1111 declined; support +1 415 555 2671", severity: .error,
                    attributes: ["client_ip": "2001:db8::42"]
                )
            }
            if index % 25 == 0 {
                telemetry.trackLog("cache warmed", severity: .info, attributes: ["entries": .int(index * 3)])
                telemetry.trackError(
                    index % 50 == 0 ? DemoError.importFailed(file: "contacts.csv", line: index) : DemoError.quotaExceeded(limit: 1000),
                    attributes: ["operation": "import"],
                    stackTrace: "0 Demo.importContacts() at /home/jane/src/app/Import.swift:42\n1 Demo.main()"
                )
            }
        }
        telemetry.trackMetric("demo.invalid", value: .nan, type: .gauge)
        telemetry.trackMetric("demo.requests", value: -5, type: .counter)
    }
}
