import AutomagikTelemetry
import TelemetryCore
import TelemetryMetrics
import TelemetryPipeline

/// `send event|metric|log|error …`: one item, delivered before the command exits.
enum SendCommand {
    static func run(_ arguments: [String], environment: [String: String], output: some CommandOutput) async throws -> Int32 {
        let item = try TrackedItem.parse(arguments, command: "send")
        let (kind, parsed, track) = (item.kind, item, item.track)

        // The environment's OTEL_SERVICE_NAME still names the service (`serviceName`).
        var configuration = TelemetryConfiguration(
            projectName: parsed.options["project"] ?? "automagik-telemetry-cli", version: parsed.options["version"] ?? SDKInfo.version
        )
        configuration.enabled = true
        // Sending is the explicit request for this one item, a log included.
        configuration.logsEnabled = true
        var backend: TelemetryBackend?
        if let exporter = parsed.options["exporter"] {
            guard let parsed = TelemetryBackend(parsing: exporter) else {
                throw UsageError("unknown exporter \"\(exporter)\" (otlp, clickhouse, console, file:PATH)")
            }
            backend = parsed
        }
        if let endpoint = parsed.options["endpoint"] {
            switch backend?.kind {
            case nil, .otlp?: backend = .otlp(OTLPSettings(endpoint: endpoint))
            case .clickhouse?: backend = .clickhouse(ClickHouseSettings(endpoint: endpoint))
            case .console?, .file?: throw UsageError("--endpoint applies to the otlp and clickhouse exporters")
            }
        }
        configuration.backend = backend

        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(environment: DictionaryEnvironment(environment))
        )
        guard telemetry.isEnabled else {
            output.error("not sent: telemetry \(telemetry.decision)")
            return 1
        }
        track(telemetry)
        let report = await telemetry.shutdown(deadline: telemetry.configuration.timeout * 2 + .seconds(1))
        if report.stats.exported > 0 {
            output.error("sent \(kind) to \(telemetry.configuration.backend.rawValue)")
            return 0
        }
        let reasons = report.stats.dropped.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        output.error(
            "not delivered: \(reasons.isEmpty ? "no answer from the receiver" : reasons)"
                + (report.stats.lastFailure.map { " (\($0))" } ?? ""))
        return 1
    }
}
