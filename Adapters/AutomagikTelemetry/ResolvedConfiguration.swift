#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TelemetryBatching
import TelemetryClickHouse
import TelemetryCore
import TelemetryOTLP
import TelemetryPrivacy

/// A configuration with every setting decided and validated: code values, else environment, else defaults.
public struct ResolvedConfiguration: Sendable {
    public let projectName: String
    public let version: String
    public let backend: TelemetryBackend
    /// OTLP endpoints per signal, fully resolved.
    public let tracesEndpoint: String
    public let metricsEndpoint: String
    public let logsEndpoint: String
    public let organization: String
    public let deploymentEnvironment: String?
    public let otlpProtocol: OTLPProtocol
    public let timeout: Duration
    public let batchSize: Int
    public let flushInterval: Duration
    /// Bytes for undelivered telemetry (intake and waiting batches together).
    public let memoryBudget: Int
    /// Optional cap on items in the intake queue.
    public let queueCapacity: Int?
    public let overflowPolicy: QueueOverflowPolicy
    public let compressionEnabled: Bool
    public let compressionThreshold: Int
    public let maxRetries: Int
    public let retryBackoffBase: Duration
    public let metricTemporality: AggregationTemporality
    public let privacy: PrivacyPolicy
    /// The configured pseudonym salt; nil means "per installation". Never printed by `status`.
    public let privacySalt: String?
    public let headers: [String: String]
    public let systemAttributesOnSpans: Bool
    public let spoolDirectory: String?
    public let spoolMaxBytes: Int
    /// The ClickHouse exporter's settings (password included: never print this value whole).
    public let clickhouse: ClickHouseExporter.Configuration
    public let allowInsecureHTTP: Bool
    public let verbose: Bool
    /// Extra resource attributes from `OTEL_RESOURCE_ATTRIBUTES` (`key=value,key2=value2`).
    public let extraResourceAttributes: [(String, String)]

    /// The default OTLP base URL (parity with the Python and TypeScript SDKs).
    public static let defaultEndpoint = "https://telemetry.namastex.ai"

    /// Resolves `configuration` against `environment`, or throws the first problem found.
    public init(_ configuration: TelemetryConfiguration, environment: some EnvironmentReader) throws(ConfigurationError) {
        let env = EnvironmentValues(reader: environment)

        projectName = try Self.required(configuration.projectName ?? env.string("OTEL_SERVICE_NAME"), "projectName")
        version = try Self.required(configuration.version, "version")

        if let backend = configuration.backend {
            self.backend = backend
        } else if let text = env.string("AUTOMAGIK_TELEMETRY_BACKEND") {
            guard let parsed = TelemetryBackend(parsing: text) else {
                throw ConfigurationError(
                    setting: "AUTOMAGIK_TELEMETRY_BACKEND",
                    problem: "unknown backend \"\(text)\"; expected otlp, clickhouse, console or file:PATH"
                )
            }
            backend = parsed
        } else {
            backend = .otlp
        }
        if case .file(let path) = backend, path.isEmpty {
            throw ConfigurationError(setting: "backend", problem: "file backend needs a path (file:PATH)")
        }

        allowInsecureHTTP = configuration.allowInsecureHTTP
        let base = configuration.endpoint ?? env.string("AUTOMAGIK_TELEMETRY_ENDPOINT")
            ?? env.string("OTEL_EXPORTER_OTLP_ENDPOINT") ?? Self.defaultEndpoint
        try EndpointValidator.validate(base, setting: "endpoint", allowInsecureHTTP: allowInsecureHTTP)
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        tracesEndpoint = try Self.signalEndpoint(
            explicit: env.string("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), setting: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            base: trimmedBase, path: "/v1/traces", allowInsecureHTTP: allowInsecureHTTP
        )
        metricsEndpoint = try Self.signalEndpoint(
            explicit: configuration.metricsEndpoint ?? env.string("AUTOMAGIK_TELEMETRY_METRICS_ENDPOINT")
                ?? env.string("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"),
            setting: "metricsEndpoint", base: trimmedBase, path: "/v1/metrics", allowInsecureHTTP: allowInsecureHTTP
        )
        logsEndpoint = try Self.signalEndpoint(
            explicit: configuration.logsEndpoint ?? env.string("AUTOMAGIK_TELEMETRY_LOGS_ENDPOINT")
                ?? env.string("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"),
            setting: "logsEndpoint", base: trimmedBase, path: "/v1/logs", allowInsecureHTTP: allowInsecureHTTP
        )

        organization = configuration.organization ?? env.string("AUTOMAGIK_TELEMETRY_ORGANIZATION") ?? "namastex"
        deploymentEnvironment = configuration.deploymentEnvironment ?? env.string("ENVIRONMENT")

        if let otlpProtocol = configuration.otlpProtocol {
            self.otlpProtocol = otlpProtocol
        } else if let text = env.string("OTEL_EXPORTER_OTLP_PROTOCOL") {
            guard let parsed = OTLPProtocol(rawValue: text.lowercased()) else {
                throw ConfigurationError(
                    setting: "OTEL_EXPORTER_OTLP_PROTOCOL",
                    problem: "unsupported protocol \"\(text)\"; expected http/protobuf or http/json (gRPC is not supported)"
                )
            }
            otlpProtocol = parsed
        } else {
            otlpProtocol = .protobuf
        }
        if configuration.timeout == nil, env.string("AUTOMAGIK_TELEMETRY_TIMEOUT") == nil,
            let text = env.string("OTEL_EXPORTER_OTLP_TIMEOUT")
        {
            guard let milliseconds = Double(text), milliseconds.isFinite, milliseconds > 0 else {
                throw ConfigurationError(
                    setting: "OTEL_EXPORTER_OTLP_TIMEOUT", problem: "expected a positive number of milliseconds, got \"\(text)\""
                )
            }
            timeout = .nanoseconds(Int64(milliseconds * 1e6))
        } else {
            timeout = try Self.positive(
                configuration.timeout, env: env, variable: "AUTOMAGIK_TELEMETRY_TIMEOUT", setting: "timeout",
                default: .seconds(5)
            )
        }
        flushInterval = try Self.positive(
            configuration.flushInterval, env: env, variable: "AUTOMAGIK_TELEMETRY_FLUSH_INTERVAL",
            setting: "flushInterval", default: .seconds(5)
        )
        retryBackoffBase = try Self.positive(
            configuration.retryBackoffBase, env: env, variable: "AUTOMAGIK_TELEMETRY_RETRY_BACKOFF_BASE",
            setting: "retryBackoffBase", default: .seconds(1)
        )
        // ClickHouse prefers few, large inserts (its docs: at least ~1000 rows, about one insert per
        // second); the flush interval still delivers small batches promptly.
        let isClickHouse = if case .clickhouse = backend { true } else { false }
        batchSize = try Self.count(
            configuration.batchSize, env: env, variable: "AUTOMAGIK_TELEMETRY_BATCH_SIZE", setting: "batchSize",
            default: isClickHouse ? 5000 : 512, minimum: 1
        )
        memoryBudget = try Self.count(
            configuration.memoryBudget, env: env, variable: "AUTOMAGIK_TELEMETRY_MEMORY_BUDGET",
            setting: "memoryBudget", default: 64 * 1024 * 1024, minimum: 1024 * 1024
        )
        let capacity = try Self.count(
            configuration.queueCapacity, env: env, variable: "AUTOMAGIK_TELEMETRY_QUEUE_CAPACITY",
            setting: "queueCapacity", default: Int.max, minimum: 1
        )
        queueCapacity = capacity == Int.max ? nil : capacity
        if let queueCapacity, queueCapacity < batchSize {
            throw ConfigurationError(
                setting: "queueCapacity", problem: "must be at least batchSize (\(batchSize)), got \(queueCapacity)"
            )
        }
        compressionThreshold = try Self.count(
            configuration.compressionThreshold, env: env, variable: "AUTOMAGIK_TELEMETRY_COMPRESSION_THRESHOLD",
            setting: "compressionThreshold", default: 1024, minimum: 0
        )
        maxRetries = try Self.count(
            configuration.maxRetries, env: env, variable: "AUTOMAGIK_TELEMETRY_MAX_RETRIES", setting: "maxRetries",
            default: 3, minimum: 0
        )
        overflowPolicy = configuration.overflowPolicy ?? .dropOldest
        var compressionFromEnvironment = try env.bool("AUTOMAGIK_TELEMETRY_COMPRESSION")
        if compressionFromEnvironment == nil, let text = env.string("OTEL_EXPORTER_OTLP_COMPRESSION") {
            switch text.lowercased() {
            case "gzip": compressionFromEnvironment = true
            case "none": compressionFromEnvironment = false
            default:
                throw ConfigurationError(
                    setting: "OTEL_EXPORTER_OTLP_COMPRESSION", problem: "expected gzip or none, got \"\(text)\""
                )
            }
        }
        compressionEnabled = configuration.compressionEnabled ?? compressionFromEnvironment ?? true
        let verboseFromEnvironment = try env.bool("AUTOMAGIK_TELEMETRY_VERBOSE")
        verbose = configuration.verbose ?? verboseFromEnvironment ?? false
        metricTemporality = configuration.metricTemporality ?? .delta
        privacy = configuration.privacy
        systemAttributesOnSpans = configuration.systemAttributesOnSpans
        spoolDirectory = configuration.spoolDirectory ?? env.string("AUTOMAGIK_TELEMETRY_SPOOL_DIR")
        spoolMaxBytes = try Self.count(
            configuration.spoolMaxBytes, env: env, variable: "AUTOMAGIK_TELEMETRY_SPOOL_MAX_BYTES", setting: "spoolMaxBytes",
            default: 64 * 1024 * 1024, minimum: 1024
        )
        let house = configuration.clickhouse
        let houseEndpoint = house.endpoint ?? env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT") ?? "http://localhost:8123"
        if isClickHouse {
            try EndpointValidator.validate(houseEndpoint, setting: "clickhouse.endpoint", allowInsecureHTTP: allowInsecureHTTP)
        }
        var flavor = house.flavor ?? .automatic
        if house.flavor == nil, let text = env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR") {
            guard let parsed = ClickHouseExporter.FlavorChoice(rawValue: text.lowercased()) else {
                throw ConfigurationError(
                    setting: "AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR", problem: "expected automatic, modern or legacy, got \"\(text)\""
                )
            }
            flavor = parsed
        }
        let asyncFromEnvironment = try env.bool("AUTOMAGIK_TELEMETRY_CLICKHOUSE_ASYNC_INSERT")
        let names = ClickHouseSchema.Names(
            database: house.database ?? env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_DATABASE") ?? "telemetry",
            traces: house.tracesTable ?? env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_TABLE") ?? "traces",
            metrics: house.metricsTable ?? env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_METRICS_TABLE") ?? "metrics",
            logs: house.logsTable ?? env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_LOGS_TABLE") ?? "logs"
        )
        for (setting, name) in [("database", names.database), ("tracesTable", names.traces), ("metricsTable", names.metrics),
                                ("logsTable", names.logs)] where name.isEmpty || name.utf8.count > 200 {
            throw ConfigurationError(setting: "clickhouse.\(setting)", problem: "must be 1 to 200 bytes long")
        }
        clickhouse = ClickHouseExporter.Configuration(
            endpoint: houseEndpoint, names: names,
            username: house.username ?? env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME") ?? "default",
            password: house.password ?? env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD") ?? "",
            authentication: house.authentication, flavor: flavor, compressor: nil,
            compressionThreshold: 0, timeout: .seconds(10),
            asyncInsert: house.asyncInsert ?? asyncFromEnvironment ?? false
        )
        privacySalt = configuration.privacySalt ?? env.string("AUTOMAGIK_TELEMETRY_SALT")
        var headers = Dictionary(
            Self.parseKeyValueList(env.string("OTEL_EXPORTER_OTLP_HEADERS") ?? ""), uniquingKeysWith: { _, last in last }
        )
        headers.merge(configuration.headers) { _, code in code }
        for (name, value) in headers where !Self.isValidHeader(name: name, value: value) {
            throw ConfigurationError(setting: "headers", problem: "header \"\(name)\" has an invalid name or value")
        }
        self.headers = headers
        extraResourceAttributes = Self.parseKeyValueList(env.string("OTEL_RESOURCE_ATTRIBUTES") ?? "")
    }

    private static func required(_ value: String?, _ setting: String) throws(ConfigurationError) -> String {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError(setting: setting, problem: "is required and must not be empty")
        }
        return value
    }

    private static func signalEndpoint(
        explicit: String?, setting: String, base: String, path: String, allowInsecureHTTP: Bool
    ) throws(ConfigurationError) -> String {
        if let explicit {
            try EndpointValidator.validate(explicit, setting: setting, allowInsecureHTTP: allowInsecureHTTP)
            return explicit
        }
        return base + path
    }

    private static func positive(
        _ value: Duration?, env: EnvironmentValues, variable: String, setting: String, default fallback: Duration
    ) throws(ConfigurationError) -> Duration {
        if let value {
            guard value > .zero else { throw ConfigurationError(setting: setting, problem: "must be positive, got \(value)") }
            return value
        }
        return env.seconds(variable) ?? fallback
    }

    private static func count(
        _ value: Int?, env: EnvironmentValues, variable: String, setting: String, default fallback: Int, minimum: Int
    ) throws(ConfigurationError) -> Int {
        if let value {
            guard value >= minimum else {
                throw ConfigurationError(setting: setting, problem: "must be at least \(minimum), got \(value)")
            }
            return value
        }
        return env.integer(variable, minimum: minimum) ?? fallback
    }

    /// Header names are tokens; values must not contain line breaks (header injection).
    static func isValidHeader(name: String, value: String) -> Bool {
        let token = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return !name.isEmpty && name.unicodeScalars.allSatisfy(token.contains)
            && !value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" })
    }

    /// Parses the W3C-baggage-like lists of `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_EXPORTER_OTLP_HEADERS`
    /// (`key=value,key2=value2`, percent-encoded); malformed entries are skipped.
    static func parseKeyValueList(_ text: String) -> [(String, String)] {
        text.split(separator: ",").compactMap { entry in
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { return nil }
            return (key.removingPercentEncoding ?? key, value.removingPercentEncoding ?? value)
        }
    }
}

/// Reads and interprets environment variables; empty values count as unset. The environment belongs
/// to the app's operator, not its author, so a bad value never stops the app: it is recorded in
/// `problems` (shown by `status` and printed once) and the code's value or the default is used.
final class EnvironmentValues {
    let reader: any EnvironmentReader
    private(set) var problems: [String] = []

    init(reader: any EnvironmentReader) {
        self.reader = reader
    }

    func string(_ name: String) -> String? {
        guard let value = reader.value(for: name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// Records that `variable` was not used, and why.
    func reject(_ variable: String, _ problem: String) {
        problems.append("\(variable): \(problem)")
    }

    /// Records a note about how a variable was applied (not an error, but worth the operator's eye).
    func note(_ text: String) {
        problems.append(text)
    }

    /// `true/1/yes/on` → true, `false/0/no/off` → false, unset or anything else → nil (recorded).
    func bool(_ name: String) -> Bool? {
        guard let text = string(name) else { return nil }
        guard let value = Self.parseBool(text) else {
            reject(name, "expected true/false/1/0/yes/no/on/off, got \"\(text)\"; ignored")
            return nil
        }
        return value
    }

    /// A positive number of milliseconds (the OpenTelemetry convention), or nil (recorded when invalid).
    func milliseconds(_ name: String) -> Duration? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, value > 0 else {
            reject(name, "expected a positive number of milliseconds, got \"\(text)\"; ignored")
            return nil
        }
        return .nanoseconds(Int64(min(value, 1e12) * 1e6))
    }

    /// A positive number of seconds, or nil (recorded when invalid).
    func seconds(_ name: String) -> Duration? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, value > 0 else {
            reject(name, "expected a positive number of seconds, got \"\(text)\"; ignored")
            return nil
        }
        return .nanoseconds(Int64(min(value, 1e9) * 1e9))
    }

    /// An integer of at least `minimum`, or nil (recorded when invalid).
    func integer(_ name: String, minimum: Int) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), value >= minimum else {
            reject(name, "expected an integer ≥ \(minimum), got \"\(text)\"; ignored")
            return nil
        }
        return value
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }
}

/// Checks endpoint URLs: absolute http(s) with a host; plain http only to loopback unless allowed.
enum EndpointValidator {
    static func validate(_ text: String, setting: String, allowInsecureHTTP: Bool) throws(ConfigurationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(setting: setting, problem: "\"\(text)\" is not an absolute http(s) URL")
        }
        switch scheme {
        case "https":
            return
        case "http":
            if allowInsecureHTTP || isLoopback(host) { return }
            throw ConfigurationError(
                setting: setting,
                problem: "plain http to \(host) would send telemetry unencrypted; use https, or set allowInsecureHTTP"
            )
        default:
            throw ConfigurationError(setting: setting, problem: "unsupported scheme \"\(scheme)\" in \"\(text)\"; use https")
        }
    }

    /// Whether `host` certainly means this machine: exactly `localhost`, or an address literal in
    /// 127.0.0.0/8 or ::1 (also written long, or IPv4-mapped). Parsed, not prefix-matched:
    /// `127.attacker.example` and `127.0.0.1.nip.io` are public names that merely start like loopback,
    /// and `*.localhost` is only loopback if the resolver says so.
    static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        return bytes == loopback || (Array(bytes[..<12]) == mappedPrefix && bytes[12] == 127)
    }
}

extension ResolvedConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting, with header values, the privacy salt and the ClickHouse password shown as `<redacted>`.
    public var description: String { RedactedDescription.describe(self, secrets: ["headers", "privacySalt"]) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}
