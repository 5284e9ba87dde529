#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TelemetryBatching
import TelemetryClickHouse
import TelemetryCore
import TelemetryHTTP
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
    /// Headers from the app's code, sent with every OTLP request.
    public let headers: [String: String]
    /// Headers from the environment (`OTEL_EXPORTER_OTLP_HEADERS` and the per-signal variables), for the
    /// signals whose endpoint also came from the environment or the default — never for a host the
    /// app's code chose.
    public let signalHeaders: [TelemetrySignal: [String: String]]
    /// TLS files from `OTEL_EXPORTER_OTLP_CERTIFICATE`, `_CLIENT_CERTIFICATE` and `_CLIENT_KEY` (or their
    /// per-signal forms), used only when every OTLP endpoint came from the environment or the default.
    public let tlsFiles: TLSFiles
    /// Signals switched off by `OTEL_{TRACES,METRICS,LOGS}_EXPORTER=none`: tracking them does nothing.
    public let disabledSignals: Set<TelemetrySignal>
    /// Environment values that were ignored or adjusted, each with the reason: the environment belongs
    /// to the operator, so it never makes start-up fail. Shown by `status`, printed once when enabled.
    public let environmentProblems: [String]
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

        // OpenTelemetry's rule: OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES.
        let resourceServiceName = Self.parseKeyValueList(env.string("OTEL_RESOURCE_ATTRIBUTES") ?? "")
            .last { $0.0 == "service.name" }?.1
        projectName = try Self.required(
            configuration.projectName ?? env.string("OTEL_SERVICE_NAME") ?? resourceServiceName, "projectName"
        )
        version = try Self.required(configuration.version, "version")

        if let backend = configuration.backend {
            if case .file(let path) = backend, path.isEmpty {
                throw ConfigurationError(setting: "backend", problem: "file backend needs a path (file:PATH)")
            }
            self.backend = backend
        } else if let text = env.string("AUTOMAGIK_TELEMETRY_BACKEND") {
            if let parsed = TelemetryBackend(parsing: text) {
                backend = parsed
            } else {
                env.reject(
                    "AUTOMAGIK_TELEMETRY_BACKEND",
                    "unknown backend \"\(text)\" (expected otlp, clickhouse, console or file:PATH); using otlp"
                )
                backend = .otlp
            }
        } else {
            backend = Self.backendFromSignalExporters(env) ?? .otlp
        }
        disabledSignals = Self.disabledSignals(env)

        var grpcRequested = false
        if let otlpProtocol = configuration.otlpProtocol {
            self.otlpProtocol = otlpProtocol
        } else {
            let general = env.string("OTEL_EXPORTER_OTLP_PROTOCOL").flatMap {
                Self.environmentProtocol($0, variable: "OTEL_EXPORTER_OTLP_PROTOCOL", env: env, grpc: &grpcRequested)
            }
            var chosen = general ?? .protobuf
            for signal in ["TRACES", "METRICS", "LOGS"] {
                let variable = "OTEL_EXPORTER_OTLP_\(signal)_PROTOCOL"
                guard let text = env.string(variable),
                    let parsed = Self.environmentProtocol(text, variable: variable, env: env, grpc: &grpcRequested)
                else { continue }
                if general == nil && signal == "TRACES" {
                    chosen = parsed
                } else if parsed != chosen {
                    env.reject(variable, "one encoding serves all signals; using \(chosen.rawValue)")
                }
            }
            otlpProtocol = chosen
        }

        // Code wins over environment, per setting; the environment wins over the defaults. An endpoint from
        // the environment is the operator's deliberate choice, so plain http to any host is accepted there.
        allowInsecureHTTP = configuration.allowInsecureHTTP
        let base: String
        let baseSource: SettingSource
        if let endpoint = configuration.endpoint {
            try EndpointValidator.validate(endpoint, setting: "endpoint", allowInsecureHTTP: allowInsecureHTTP)
            (base, baseSource) = (endpoint, .code)
        } else if let accepted = EndpointValidator.firstFromEnvironment(
            ["AUTOMAGIK_TELEMETRY_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"], env: env, grpc: grpcRequested
        ) {
            (base, baseSource) = (accepted, .environment)
        } else {
            (base, baseSource) = (Self.defaultEndpoint, .standard)
        }
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        var sources: [TelemetrySignal: SettingSource] = [:]
        (tracesEndpoint, sources[.traces]) = try Self.signalEndpoint(
            code: nil, setting: "endpoint", variables: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"],
            base: trimmedBase, baseSource: baseSource, path: "/v1/traces", env: env, grpc: grpcRequested, allowInsecureHTTP: allowInsecureHTTP
        )
        (metricsEndpoint, sources[.metrics]) = try Self.signalEndpoint(
            code: configuration.metricsEndpoint, setting: "metricsEndpoint",
            variables: ["AUTOMAGIK_TELEMETRY_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"],
            base: trimmedBase, baseSource: baseSource, path: "/v1/metrics", env: env, grpc: grpcRequested, allowInsecureHTTP: allowInsecureHTTP
        )
        (logsEndpoint, sources[.logs]) = try Self.signalEndpoint(
            code: configuration.logsEndpoint, setting: "logsEndpoint",
            variables: ["AUTOMAGIK_TELEMETRY_LOGS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"],
            base: trimmedBase, baseSource: baseSource, path: "/v1/logs", env: env, grpc: grpcRequested, allowInsecureHTTP: allowInsecureHTTP
        )

        organization = configuration.organization ?? env.string("AUTOMAGIK_TELEMETRY_ORGANIZATION") ?? "namastex"
        deploymentEnvironment = configuration.deploymentEnvironment ?? env.string("ENVIRONMENT")

        if let timeout = configuration.timeout {
            guard timeout > .zero else { throw ConfigurationError(setting: "timeout", problem: "must be positive, got \(timeout)") }
            self.timeout = timeout
        } else if let seconds = env.seconds("AUTOMAGIK_TELEMETRY_TIMEOUT") {
            timeout = seconds
        } else if let general = env.milliseconds("OTEL_EXPORTER_OTLP_TIMEOUT") {
            timeout = general
        } else {
            // One timeout serves every signal: the longest one the operator asked for.
            let perSignal = ["TRACES", "METRICS", "LOGS"].compactMap { env.milliseconds("OTEL_EXPORTER_OTLP_\($0)_TIMEOUT") }
            timeout = perSignal.max() ?? .seconds(5)
        }
        flushInterval = try Self.positive(
            configuration.flushInterval, env: env, variable: "AUTOMAGIK_TELEMETRY_FLUSH_INTERVAL",
            setting: "flushInterval",
            default: env.milliseconds("OTEL_BSP_SCHEDULE_DELAY") ?? env.milliseconds("OTEL_BLRP_SCHEDULE_DELAY")
                ?? env.milliseconds("OTEL_METRIC_EXPORT_INTERVAL") ?? .seconds(5)
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
            default: env.integer("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", minimum: 1) ?? env.integer("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", minimum: 1)
                ?? (isClickHouse ? 5000 : 512),
            minimum: 1
        )
        memoryBudget = try Self.count(
            configuration.memoryBudget, env: env, variable: "AUTOMAGIK_TELEMETRY_MEMORY_BUDGET",
            setting: "memoryBudget", default: 64 * 1024 * 1024, minimum: 1024 * 1024
        )
        let capacity = try Self.count(
            configuration.queueCapacity, env: env, variable: "AUTOMAGIK_TELEMETRY_QUEUE_CAPACITY",
            setting: "queueCapacity",
            default: env.integer("OTEL_BSP_MAX_QUEUE_SIZE", minimum: 1) ?? env.integer("OTEL_BLRP_MAX_QUEUE_SIZE", minimum: 1) ?? Int.max,
            minimum: 1
        )
        if capacity != Int.max, capacity < batchSize {
            guard configuration.queueCapacity == nil else {
                throw ConfigurationError(setting: "queueCapacity", problem: "must be at least batchSize (\(batchSize)), got \(capacity)")
            }
            env.note("the queue size from the environment (\(capacity)) is below the batch size (\(batchSize)); no item cap is used")
            queueCapacity = nil
        } else {
            queueCapacity = capacity == Int.max ? nil : capacity
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
        var compressionFromEnvironment = env.bool("AUTOMAGIK_TELEMETRY_COMPRESSION")
        for variable in ["OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"] where compressionFromEnvironment == nil {
            guard let text = env.string(variable) else { continue }
            switch text.lowercased() {
            case "gzip": compressionFromEnvironment = true
            case "none": compressionFromEnvironment = false
            default: env.reject(variable, "expected gzip or none, got \"\(text)\"; ignored")
            }
        }
        compressionEnabled = configuration.compressionEnabled ?? compressionFromEnvironment ?? true
        verbose = configuration.verbose ?? env.bool("AUTOMAGIK_TELEMETRY_VERBOSE") ?? Self.verboseFromLogLevel(env) ?? false
        if let temporality = configuration.metricTemporality {
            metricTemporality = temporality
        } else if let text = env.string("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE") {
            switch text.lowercased() {
            case "cumulative": metricTemporality = .cumulative
            case "delta", "lowmemory": metricTemporality = .delta
            default:
                env.reject("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "expected cumulative, delta or lowmemory, got \"\(text)\"; using delta")
                metricTemporality = .delta
            }
        } else {
            metricTemporality = .delta
        }
        // OpenTelemetry's attribute limits can only make the privacy policy's limits stricter.
        var policy = configuration.privacy
        if let limit = env.integer("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", minimum: 1) {
            policy.maxAttributeValueBytes = min(policy.maxAttributeValueBytes, limit)
        }
        if let limit = env.integer("OTEL_ATTRIBUTE_COUNT_LIMIT", minimum: 1) {
            policy.maxAttributeCount = min(policy.maxAttributeCount, limit)
        }
        privacy = policy
        systemAttributesOnSpans = configuration.systemAttributesOnSpans
        spoolDirectory = configuration.spoolDirectory ?? env.string("AUTOMAGIK_TELEMETRY_SPOOL_DIR")
        spoolMaxBytes = try Self.count(
            configuration.spoolMaxBytes, env: env, variable: "AUTOMAGIK_TELEMETRY_SPOOL_MAX_BYTES", setting: "spoolMaxBytes",
            default: 64 * 1024 * 1024, minimum: 1024
        )
        let house = configuration.clickhouse
        let houseEndpoint: String
        if let endpoint = house.endpoint {
            if isClickHouse {
                try EndpointValidator.validate(endpoint, setting: "clickhouse.endpoint", allowInsecureHTTP: allowInsecureHTTP)
            }
            houseEndpoint = endpoint
        } else if isClickHouse, let accepted = EndpointValidator.firstFromEnvironment(
            ["AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT"], env: env, grpc: false
        ) {
            houseEndpoint = accepted
        } else {
            houseEndpoint = "http://localhost:8123"
        }
        var flavor = house.flavor ?? .automatic
        if house.flavor == nil, let text = env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR") {
            if let parsed = ClickHouseExporter.FlavorChoice(rawValue: text.lowercased()) {
                flavor = parsed
            } else {
                env.reject("AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR", "expected automatic, modern or legacy, got \"\(text)\"; using automatic")
            }
        }
        let asyncFromEnvironment = env.bool("AUTOMAGIK_TELEMETRY_CLICKHOUSE_ASYNC_INSERT")
        func tableName(_ code: String?, _ variable: String, _ fallback: String, _ setting: String) throws(ConfigurationError) -> String {
            let valid: (String) -> Bool = { !$0.isEmpty && $0.utf8.count <= 200 }
            if let code {
                guard valid(code) else { throw ConfigurationError(setting: "clickhouse.\(setting)", problem: "must be 1 to 200 bytes long") }
                return code
            }
            guard let text = env.string(variable) else { return fallback }
            guard valid(text) else {
                env.reject(variable, "must be 1 to 200 bytes long; using \(fallback)")
                return fallback
            }
            return text
        }
        let names = ClickHouseSchema.Names(
            database: try tableName(house.database, "AUTOMAGIK_TELEMETRY_CLICKHOUSE_DATABASE", "telemetry", "database"),
            traces: try tableName(house.tracesTable, "AUTOMAGIK_TELEMETRY_CLICKHOUSE_TABLE", "traces", "tracesTable"),
            metrics: try tableName(house.metricsTable, "AUTOMAGIK_TELEMETRY_CLICKHOUSE_METRICS_TABLE", "metrics", "metricsTable"),
            logs: try tableName(house.logsTable, "AUTOMAGIK_TELEMETRY_CLICKHOUSE_LOGS_TABLE", "logs", "logsTable")
        )
        clickhouse = ClickHouseExporter.Configuration(
            endpoint: houseEndpoint, names: names,
            username: house.username ?? env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME") ?? "default",
            password: house.password ?? env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD") ?? "",
            authentication: house.authentication, flavor: flavor, compressor: nil,
            compressionThreshold: 0, timeout: .seconds(10),
            asyncInsert: house.asyncInsert ?? asyncFromEnvironment ?? false
        )
        privacySalt = configuration.privacySalt ?? env.string("AUTOMAGIK_TELEMETRY_SALT")
        for (name, value) in configuration.headers where !Self.isValidHeader(name: name, value: value) {
            throw ConfigurationError(setting: "headers", problem: "header \"\(name)\" has an invalid name or value")
        }
        headers = configuration.headers
        // Environment headers belong to environment endpoints: an operator's collector token must never
        // travel to a host the app's code chose. The code's headers win over them by name.
        let general = Self.environmentHeaders("OTEL_EXPORTER_OTLP_HEADERS", env: env)
        var bySignal: [TelemetrySignal: [String: String]] = [:]
        for signal in TelemetrySignal.allCases {
            let variable = "OTEL_EXPORTER_OTLP_\(signal.rawValue.uppercased())_HEADERS"
            var signalHeaders = general.merging(Self.environmentHeaders(variable, env: env)) { _, specific in specific }
            for name in configuration.headers.keys { signalHeaders = signalHeaders.filter { $0.key.lowercased() != name.lowercased() } }
            guard !signalHeaders.isEmpty else { continue }
            if sources[signal] == .code {
                env.note("environment headers are not sent to \(signal.rawValue): the app's code chose that endpoint")
            } else {
                bySignal[signal] = signalHeaders
            }
        }
        signalHeaders = bySignal
        tlsFiles = Self.environmentTLSFiles(env, codeChoseAnEndpoint: sources.values.contains(.code))
        extraResourceAttributes = Self.parseKeyValueList(env.string("OTEL_RESOURCE_ATTRIBUTES") ?? "")
        environmentProblems = env.problems
    }

    /// Where a setting's value came from; environment headers follow only non-code endpoints.
    enum SettingSource {
        case code, environment, standard
    }

    private static func signalEndpoint(
        code: String?, setting: String, variables: [String], base: String, baseSource: SettingSource, path: String,
        env: EnvironmentValues, grpc: Bool, allowInsecureHTTP: Bool
    ) throws(ConfigurationError) -> (String, SettingSource) {
        if let code {
            try EndpointValidator.validate(code, setting: setting, allowInsecureHTTP: allowInsecureHTTP)
            return (code, .code)
        }
        if baseSource == .code {
            for variable in variables where env.string(variable) != nil {
                env.reject(variable, "ignored: the app's code sets the endpoint")
            }
            return (base + path, .code)
        }
        if let accepted = EndpointValidator.firstFromEnvironment(variables, env: env, grpc: grpc) {
            return (accepted, .environment)
        }
        return (base + path, baseSource)
    }

    /// `http/protobuf`, `http/json`; `grpc` is answered with http/protobuf (gRPC needs HTTP/2 trailers,
    /// which neither URLSession nor a dependency-free client offers) and recorded.
    private static func environmentProtocol(
        _ text: String, variable: String, env: EnvironmentValues, grpc: inout Bool
    ) -> OTLPProtocol? {
        if let parsed = OTLPProtocol(rawValue: text.lowercased()) { return parsed }
        if text.lowercased() == "grpc" {
            grpc = true
            env.reject(variable, "gRPC is not supported; sending http/protobuf instead (to port 4318 where the endpoint names gRPC's 4317)")
            return .protobuf
        }
        env.reject(variable, "expected http/protobuf or http/json, got \"\(text)\"; using http/protobuf")
        return nil
    }

    /// `OTEL_LOG_LEVEL`: debug or info turn the SDK's diagnostics on, warn/error/none leave them off.
    private static func verboseFromLogLevel(_ env: EnvironmentValues) -> Bool? {
        guard let text = env.string("OTEL_LOG_LEVEL") else { return nil }
        switch text.lowercased() {
        case "debug", "info", "all", "trace": return true
        case "warn", "warning", "error", "fatal", "none", "off": return false
        default:
            env.reject("OTEL_LOG_LEVEL", "expected debug, info, warn, error or none, got \"\(text)\"; ignored")
            return nil
        }
    }

    /// `OTEL_{TRACES,METRICS,LOGS}_EXPORTER=console` for every signal that names one selects the
    /// console backend; `otlp` and `none` leave the choice alone; other exporters are not available.
    private static func backendFromSignalExporters(_ env: EnvironmentValues) -> TelemetryBackend? {
        var wantsConsole = false
        for signal in ["TRACES", "METRICS", "LOGS"] {
            let variable = "OTEL_\(signal)_EXPORTER"
            guard let text = env.string(variable) else { continue }
            let values = text.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if values.contains("console") { wantsConsole = true }
            for value in values where !["otlp", "console", "none"].contains(value) {
                env.reject(variable, "exporter \"\(value)\" is not available (otlp, console or none)")
            }
        }
        return wantsConsole ? .console : nil
    }

    private static func disabledSignals(_ env: EnvironmentValues) -> Set<TelemetrySignal> {
        var disabled: Set<TelemetrySignal> = []
        for signal in TelemetrySignal.allCases where env.string("OTEL_\(signal.rawValue.uppercased())_EXPORTER")?.lowercased() == "none" {
            disabled.insert(signal)
        }
        return disabled
    }

    /// The operator's TLS files: each must be a readable file; they belong to the operator's collector,
    /// so they are not used when the app's code chose an endpoint.
    private static func environmentTLSFiles(_ env: EnvironmentValues, codeChoseAnEndpoint: Bool) -> TLSFiles {
        func file(_ suffix: String) -> String? {
            for variable in ["OTEL_EXPORTER_OTLP_\(suffix)"] + ["TRACES", "METRICS", "LOGS"].map({ "OTEL_EXPORTER_OTLP_\($0)_\(suffix)" }) {
                guard let path = env.string(variable) else { continue }
                guard access(path, R_OK) == 0 else {
                    env.reject(variable, "\(path) is not a readable file; ignored")
                    continue
                }
                return path
            }
            return nil
        }
        let files = TLSFiles(caCertificate: file("CERTIFICATE"), clientCertificate: file("CLIENT_CERTIFICATE"), clientKey: file("CLIENT_KEY"))
        guard !files.isEmpty else { return files }
        if codeChoseAnEndpoint {
            env.note("OTEL_EXPORTER_OTLP_*CERTIFICATE/KEY ignored: the app's code chose the endpoint")
            return TLSFiles()
        }
        if !DefaultHTTPClient.supportsTLSFiles {
            env.note("OTEL_EXPORTER_OTLP_*CERTIFICATE/KEY are not supported by this platform's transport; the system's trust applies")
        }
        return files
    }

    /// Valid `name=value` pairs of a headers variable; invalid ones are recorded and skipped.
    private static func environmentHeaders(_ variable: String, env: EnvironmentValues) -> [String: String] {
        guard let text = env.string(variable) else { return [:] }
        var headers: [String: String] = [:]
        for (name, value) in parseKeyValueList(text) {
            if isValidHeader(name: name, value: value) {
                headers[name] = value
            } else {
                env.reject(variable, "header \"\(name)\" has an invalid name or value; not sent")
            }
        }
        return headers
    }

    private static func required(_ value: String?, _ setting: String) throws(ConfigurationError) -> String {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError(setting: setting, problem: "is required and must not be empty")
        }
        return value
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
    func milliseconds(_ name: String) -> Duration? { duration(name, unit: "milliseconds", nanosecondsPerUnit: 1e6) }

    /// A positive number of seconds, or nil (recorded when invalid).
    func seconds(_ name: String) -> Duration? { duration(name, unit: "seconds", nanosecondsPerUnit: 1e9) }

    private func duration(_ name: String, unit: String, nanosecondsPerUnit: Double) -> Duration? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, value > 0 else {
            reject(name, "expected a positive number of \(unit), got \"\(text)\"; ignored")
            return nil
        }
        // Capped near 30 years so the conversion cannot overflow.
        return .nanoseconds(Int64(min(value * nanosecondsPerUnit, 1e18)))
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
    /// `text` as URL components with its lower-cased scheme and its host, or nil when it has no scheme
    /// or no host.
    private static func parse(_ text: String) -> (components: URLComponents, scheme: String, host: String)? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return nil }
        return (components, scheme, host)
    }

    static func validate(_ text: String, setting: String, allowInsecureHTTP: Bool) throws(ConfigurationError) {
        guard let (_, scheme, host) = parse(text) else {
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

    /// The first of `variables` holding a usable URL. An endpoint from the environment is the operator's
    /// deliberate choice: plain http to a remote host is accepted (and noted); a malformed value is
    /// recorded and skipped. With `grpc`, gRPC's standard port 4317 becomes OTLP/HTTP's 4318.
    static func firstFromEnvironment(_ variables: [String], env: EnvironmentValues, grpc: Bool) -> String? {
        for variable in variables {
            guard var text = env.string(variable) else { continue }
            guard let (parsed, scheme, host) = parse(text), scheme == "http" || scheme == "https" else {
                env.reject(variable, "\"\(text)\" is not an absolute http(s) URL; ignored")
                continue
            }
            var components = parsed
            if grpc && components.port == 4317 {
                components.port = 4318
                text = components.string ?? text
            }
            if scheme == "http" && !isLoopback(host) {
                env.note("\(variable): plain http to \(host) accepted because the environment asks for it; telemetry travels unencrypted")
            }
            return text
        }
        return nil
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
