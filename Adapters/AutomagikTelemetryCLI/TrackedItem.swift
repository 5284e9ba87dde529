import AutomagikTelemetry
import TelemetryCore
import TelemetryMetrics

/// One item named on the command line (`event NAME`, `metric NAME VALUE`, `log MESSAGE`,
/// `error TYPE MESSAGE`, then options and `key=value` attributes): what `send` delivers and `inspect` shows.
struct TrackedItem {
    /// `event`, `metric`, `log` or `error`.
    let kind: String
    /// The options given (`--project`, `--endpoint`, …).
    let options: [String: String]
    /// Tracks the item on a client.
    let track: (AutomagikTelemetry) -> Void

    /// Parses `arguments` (the kind first) for `command`; usage errors name the wrong argument.
    static func parse(_ arguments: [String], command: String) throws -> TrackedItem {
        guard let kind = arguments.first else { throw UsageError("\(command) needs a kind: event, metric, log or error") }
        let common: Set<String> = ["exporter", "endpoint", "project", "version"]
        let rest = Array(arguments.dropFirst())
        switch kind {
        case "event":
            let parsed = try Arguments(rest, allowedOptions: common, leadingPositionals: 1)
            guard parsed.positionals.count == 1 else { throw UsageError("usage: \(command) event NAME [key=value ...]") }
            let (name, attributes) = (parsed.positionals[0], parsed.attributes)
            return TrackedItem(kind: kind, options: parsed.options) { $0.trackEvent(name, attributes: attributes) }
        case "metric":
            let parsed = try Arguments(rest, allowedOptions: common.union(["type", "unit"]), leadingPositionals: 2)
            guard parsed.positionals.count == 2 else { throw UsageError("usage: \(command) metric NAME VALUE [options] [key=value ...]") }
            guard let value = Double(parsed.positionals[1]), value.isFinite else {
                throw UsageError("metric value \"\(parsed.positionals[1])\" is not a finite number")
            }
            let typeName = parsed.options["type"] ?? "gauge"
            guard let type = InstrumentKind(rawValue: typeName) else {
                throw UsageError("unknown metric type \"\(typeName)\" (gauge, counter, up_down_counter, histogram)")
            }
            if type == .counter && value < 0 { throw UsageError("a counter cannot decrease (value \(value))") }
            let (name, unit, attributes) = (parsed.positionals[0], parsed.options["unit"] ?? "", parsed.attributes)
            return TrackedItem(kind: kind, options: parsed.options) {
                $0.trackMetric(name, value: value, type: type, unit: unit, attributes: attributes)
            }
        case "log":
            let parsed = try Arguments(rest, allowedOptions: common.union(["severity"]), leadingPositionals: 1)
            guard parsed.positionals.count == 1 else { throw UsageError("usage: \(command) log MESSAGE [--severity S] [key=value ...]") }
            let severityName = parsed.options["severity"] ?? "info"
            guard let severity = Severity(parsing: severityName) else {
                throw UsageError("unknown severity \"\(severityName)\" (trace, debug, info, warn, error, fatal)")
            }
            let (message, attributes) = (parsed.positionals[0], parsed.attributes)
            return TrackedItem(kind: kind, options: parsed.options) { $0.trackLog(message, severity: severity, attributes: attributes) }
        case "error":
            let parsed = try Arguments(rest, allowedOptions: common, leadingPositionals: 2)
            guard parsed.positionals.count == 2 else { throw UsageError("usage: \(command) error TYPE MESSAGE [key=value ...]") }
            let (type, message, attributes) = (parsed.positionals[0], parsed.positionals[1], parsed.attributes)
            return TrackedItem(kind: kind, options: parsed.options) { $0.trackError(type: type, message: message, attributes: attributes) }
        default:
            throw UsageError("unknown kind \"\(kind)\": use event, metric, log or error")
        }
    }
}
