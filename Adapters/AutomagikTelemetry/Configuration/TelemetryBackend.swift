import Foundation

/// Where telemetry goes, with that destination's own settings.
public enum TelemetryBackend: Sendable, Hashable, CustomStringConvertible {
    /// OTLP over HTTP to an OpenTelemetry collector or vendor (the default).
    case otlp(OTLPSettings)
    /// Rows inserted straight into ClickHouse over its HTTP interface.
    case clickhouse(ClickHouseSettings)
    /// OTLP/JSON lines appended to a local file (the collector's `otlpjsonfile` format).
    case file(path: String)
    /// Readable lines on standard output, for development.
    case console

    /// OTLP with every setting left to the environment and the defaults.
    public static var otlp: TelemetryBackend { .otlp(OTLPSettings()) }
    /// ClickHouse with every setting left to the environment and the defaults.
    public static var clickhouse: TelemetryBackend { .clickhouse(ClickHouseSettings()) }

    /// The kinds of backend, without their settings: what `AUTOMAGIK_TELEMETRY_BACKEND` names.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case otlp, clickhouse, file, console
    }

    /// Which kind of backend this is.
    public var kind: Kind {
        switch self {
        case .otlp: .otlp
        case .clickhouse: .clickhouse
        case .file: .file
        case .console: .console
        }
    }

    /// Parses `otlp`, `clickhouse`, `console`, `file:PATH` (case-insensitive names), with default
    /// settings; nil otherwise.
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

    /// `otlp`, `clickhouse`, `console` or `file:PATH`, followed by the settings (secrets redacted).
    public var description: String {
        switch self {
        case .otlp(let settings): "otlp(\(settings))"
        case .clickhouse(let settings): "clickhouse(\(settings))"
        case .file(let path): "file:\(path)"
        case .console: "console"
        }
    }
}

/// Where a dry run writes what would have been sent.
public enum DryRun: Sendable, Hashable, CustomStringConvertible {
    /// One OTLP/JSON line per request on standard error.
    case console
    /// One OTLP/JSON line per request appended to the file (created 0600 on the first batch).
    case file(path: String)

    /// Parses `true`/`console`/`stderr`, or `file:PATH`; nil for `false`/`off` and anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "true", "1", "yes", "on", "console", "stderr": self = .console
        default:
            guard trimmed.lowercased().hasPrefix("file:"), trimmed.count > 5 else { return nil }
            self = .file(path: String(trimmed.dropFirst(5)))
        }
    }

    /// `console` or `file:PATH`.
    public var description: String {
        switch self {
        case .console: "console"
        case .file(let path): "file:\(path)"
        }
    }
}
