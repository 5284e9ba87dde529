/// Where telemetry goes.
public enum TelemetryBackend: Sendable, Hashable, CustomStringConvertible {
    /// OTLP over HTTP to an OpenTelemetry collector or vendor (the default).
    case otlp
    /// Rows inserted straight into ClickHouse over its HTTP interface.
    case clickhouse
    /// OTLP/JSON lines appended to a local file (the collector's `otlpjsonfile` format).
    case file(path: String)
    /// Readable lines on standard output, for development.
    case console

    /// Parses `otlp`, `clickhouse`, `console`, `file:PATH` (case-insensitive names); nil otherwise.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        switch lowered {
        case "otlp": self = .otlp
        case "clickhouse": self = .clickhouse
        case "console": self = .console
        default:
            guard lowered.hasPrefix("file:"), trimmed.count > 5 else { return nil }
            self = .file(path: String(trimmed.dropFirst(5)))
        }
    }

    public var description: String {
        switch self {
        case .otlp: "otlp"
        case .clickhouse: "clickhouse"
        case .file(let path): "file:\(path)"
        case .console: "console"
        }
    }
}
