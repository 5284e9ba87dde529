import AutomagikTelemetry
import TelemetryCore
import TelemetryMetrics

/// `send event|metric|log|error …`: one item, delivered before the command exits.
enum SendCommand {
    static func run(_ arguments: [String], environment: [String: String], output: some CommandOutput) async throws -> Int32 {
        guard let kind = arguments.first else { throw UsageError("send needs a kind: event, metric, log or error") }
        let common: Set<String> = ["exporter", "endpoint", "project", "version"]
        let rest = Array(arguments.dropFirst())

        let track: (AutomagikTelemetry) -> Void
        let parsed: Arguments
        switch kind {
        case "event":
            parsed = try Arguments(rest, allowedOptions: common, leadingPositionals: 1)
            guard parsed.positionals.count == 1 else { throw UsageError("usage: send event NAME [key=value ...]") }
            let (name, attributes) = (parsed.positionals[0], parsed.attributes)
            track = { $0.trackEvent(name, attributes: attributes) }
        case "metric":
            parsed = try Arguments(rest, allowedOptions: common.union(["type", "unit"]), leadingPositionals: 2)
            guard parsed.positionals.count == 2 else { throw UsageError("usage: send metric NAME VALUE [options] [key=value ...]") }
            guard let value = Double(parsed.positionals[1]), value.isFinite else {
                throw UsageError("metric value \"\(parsed.positionals[1])\" is not a finite number")
            }
            let typeName = parsed.options["type"] ?? "gauge"
            guard let type = InstrumentKind(rawValue: typeName) else {
                throw UsageError("unknown metric type \"\(typeName)\" (gauge, counter, up_down_counter, histogram)")
            }
            if type == .counter && value < 0 { throw UsageError("a counter cannot decrease (value \(value))") }
            let (name, unit, attributes) = (parsed.positionals[0], parsed.options["unit"] ?? "", parsed.attributes)
            track = { $0.trackMetric(name, value: value, type: type, unit: unit, attributes: attributes) }
        case "log":
            parsed = try Arguments(rest, allowedOptions: common.union(["severity"]), leadingPositionals: 1)
            guard parsed.positionals.count == 1 else { throw UsageError("usage: send log MESSAGE [--severity S] [key=value ...]") }
            let severityName = parsed.options["severity"] ?? "info"
            guard let severity = Severity(parsing: severityName) else {
                throw UsageError("unknown severity \"\(severityName)\" (trace, debug, info, warn, error, fatal)")
            }
            let (message, attributes) = (parsed.positionals[0], parsed.attributes)
            track = { $0.trackLog(message, severity: severity, attributes: attributes) }
        case "error":
            parsed = try Arguments(rest, allowedOptions: common, leadingPositionals: 2)
            guard parsed.positionals.count == 2 else { throw UsageError("usage: send error TYPE MESSAGE [key=value ...]") }
            let (type, message, attributes) = (parsed.positionals[0], parsed.positionals[1], parsed.attributes)
            track = { $0.trackError(type: type, message: message, attributes: attributes) }
        default:
            throw UsageError("unknown kind \"\(kind)\": use event, metric, log or error")
        }

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
        output.error("not delivered: \(reasons.isEmpty ? "no answer from the receiver" : reasons)")
        return 1
    }
}
