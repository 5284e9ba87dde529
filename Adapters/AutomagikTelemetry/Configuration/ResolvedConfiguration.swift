import Foundation
import TelemetryBatching
import TelemetryClickHouse
import TelemetryCore
import TelemetryHTTP
import TelemetryOTLP
import TelemetryPrivacy
import TelemetrySystem

/// A configuration with every setting decided and validated: code values, else environment, else
/// defaults, reading exactly the variables `SettingsCatalog` lists. Internal to the package: apps see
/// the outcome through `AutomagikTelemetry.status`.
package struct ResolvedConfiguration: Sendable {
    package let projectName: String
    package let version: String
    /// `service.name`: `serviceName`, `OTEL_SERVICE_NAME`, `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, `projectName`.
    package let serviceName: String
    package let backend: TelemetryBackend.Kind
    /// The file of the `file:PATH` backend.
    package let filePath: String?
    /// OTLP endpoints per signal, fully resolved.
    package let tracesEndpoint: String
    package let metricsEndpoint: String
    package let logsEndpoint: String
    package let organization: String
    package let deploymentEnvironment: String?
    package let otlpEncoding: OTLPHTTPExporter.Encoding
    package let timeout: Duration
    package let batchSize: Int
    package let flushInterval: Duration
    /// Bytes for undelivered telemetry (intake and waiting batches together).
    package let memoryBudget: Int
    /// Optional cap on items in the intake queue.
    package let queueCapacity: Int?
    package let overflowPolicy: QueueOverflowPolicy
    package let compressionEnabled: Bool
    package let compressionThreshold: Int
    package let maxRetries: Int
    package let retryBackoffBase: Duration
    package let metricTemporality: AggregationTemporality
    package let privacy: PrivacyPolicy
    /// The configured pseudonym salt; nil means "per installation". Never printed.
    package let privacySalt: String?
    /// Headers from the app's code, sent with every OTLP request.
    package let headers: [String: String]
    /// Headers from the environment, for the signals whose endpoint also came from the environment or
    /// the default — never for a host the app's code chose.
    package let signalHeaders: [TelemetrySignal: [String: String]]
    /// TLS files from `OTEL_EXPORTER_OTLP_CERTIFICATE`, `_CLIENT_CERTIFICATE` and `_CLIENT_KEY` (or their
    /// per-signal forms), used only when every OTLP endpoint came from the environment or the default.
    package let tlsFiles: TLSFiles
    /// The proxy variables as the environment had them (`ProxyRoute.variables`): the transport decides
    /// each request's route from these, and `status` shows the same decision.
    package let proxyEnvironment: DictionaryEnvironment
    /// Signals switched off by `OTEL_{TRACES,METRICS,LOGS}_EXPORTER=none`: tracking them does nothing.
    package let disabledSignals: Set<TelemetrySignal>
    /// Environment values that were ignored or adjusted, each with the reason: the environment belongs
    /// to the operator, so it never makes start-up fail. Shown by `status`, printed once when enabled.
    package let environmentProblems: [String]
    package let systemAttributesOnSpans: Bool
    package let flushOnExit: Bool
    /// Fraction of events kept, and per-name overrides.
    package let samplingRatio: Double
    package let eventSamplingRatios: [String: Double]
    /// The per-name event limit, or nil.
    package let eventRateLimit: EventRateLimit?
    /// Whether `trackLog` sends anything (logs are their own opt-in).
    package let logsEnabled: Bool
    /// Where a dry run writes instead of sending, or nil to send.
    package let dryRun: DryRun?
    /// Inactivity that ends a session.
    package let sessionTimeout: Duration
    package let spoolDirectory: String?
    package let spoolMaxBytes: Int
    /// When batches go to the spool (see `SpoolSettings.Persistence`).
    package let spoolPersistence: SpoolSettings.Persistence
    /// The ClickHouse exporter's settings (password included: never print this value whole).
    package let clickhouse: ClickHouseExporter.Configuration
    package let verbose: Bool
    /// The request-signing key, or nil. Never printed.
    package let signingKey: String?
    /// Extra resource attributes from `OTEL_RESOURCE_ATTRIBUTES` (`key=value,key2=value2`).
    package let extraResourceAttributes: [(String, String)]
    /// Every setting of `SettingsCatalog` with its value (secrets redacted) and where it came from.
    package let settings: [(setting: SettingDescriptor, value: String, source: SettingSource)]

    /// The default OTLP base URL (parity with the Python and TypeScript SDKs).
    package static let defaultEndpoint = "https://telemetry.namastex.ai"

    /// Resolves `configuration` against `environment`, or throws the first problem found in a value set
    /// in code. Environment values never throw: unusable ones are recorded in `environmentProblems`.
    package init(_ configuration: TelemetryConfiguration, environment: some EnvironmentReader) throws(ConfigurationError) {
        typealias Catalog = SettingsCatalog
        let env = EnvironmentValues(reader: environment)
        let resourceAttributes = Self.parseKeyValueList(env.string("OTEL_RESOURCE_ATTRIBUTES") ?? "")

        projectName = try Self.required(configuration.projectName, Catalog.projectName, env)
        version = try Self.required(configuration.version, Catalog.version, env)
        // OpenTelemetry's rule: OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES.
        if let name = configuration.serviceName {
            serviceName = try Self.required(name, Catalog.serviceName, env)
        } else if let name = env.string("OTEL_SERVICE_NAME") {
            serviceName = name
            env.decide(Catalog.serviceName, name, .environment("OTEL_SERVICE_NAME"))
        } else if let name = resourceAttributes.last(where: { $0.0 == "service.name" })?.1, !name.isEmpty {
            serviceName = name
            env.decide(Catalog.serviceName, name, .environment("OTEL_RESOURCE_ATTRIBUTES"))
        } else {
            serviceName = projectName
            env.decide(Catalog.serviceName, projectName, .standard)
        }
        extraResourceAttributes = resourceAttributes
        env.decide(
            Catalog.resourceAttributes, resourceAttributes.isEmpty ? "none" : resourceAttributes.map(\.0).joined(separator: ", "),
            resourceAttributes.isEmpty ? .standard : .environment("OTEL_RESOURCE_ATTRIBUTES")
        )
        // Whether telemetry is on is decided by consent (status's first line); this records the inputs.
        if let enabled = configuration.enabled {
            env.decide(Catalog.enabled, "\(enabled)", .code)
        } else if let text = env.string("AUTOMAGIK_TELEMETRY_ENABLED") {
            env.decide(Catalog.enabled, text, .environment("AUTOMAGIK_TELEMETRY_ENABLED"))
        } else {
            env.decide(Catalog.enabled, "unset (see the decision above)", .standard)
        }

        let chosen = try Self.backend(configuration.backend, env)
        backend = chosen.kind
        if case .file(let path) = chosen { filePath = path } else { filePath = nil }
        disabledSignals = Self.disabledSignals(env)
        let codeOTLP = if case .otlp(let settings) = configuration.backend { settings } else { OTLPSettings() }
        let codeHouse = if case .clickhouse(let settings) = configuration.backend { settings } else { ClickHouseSettings() }

        organization = Self.text(configuration.organization, Catalog.organization, env, default: "namastex")
        deploymentEnvironment = Self.optionalText(configuration.deploymentEnvironment, Catalog.deploymentEnvironment, env)

        // Exporter
        let exporter = configuration.exporter
        allowInsecureHTTP = exporter.allowInsecureHTTP
        env.decide(Catalog.allowInsecureHTTP, "\(exporter.allowInsecureHTTP)", exporter.allowInsecureHTTP ? .code : .standard)
        timeout = try Self.timeout(exporter.timeout, env)
        compressionEnabled = Self.compression(exporter.compression, env)
        compressionThreshold = try Self.count(exporter.compressionThreshold, Catalog.compressionThreshold, env, default: 1024, minimum: 0)
        maxRetries = try Self.count(exporter.maxRetries, Catalog.maxRetries, env, default: 3, minimum: 0)
        retryBackoffBase = try Self.positive(exporter.retryBackoffBase, Catalog.retryBackoffBase, env, default: .seconds(1))
        metricTemporality = Self.temporality(exporter.metricTemporality, backend: backend, env)
        if let key = exporter.signingKey, key.utf8.count < 16 {
            throw ConfigurationError(setting: Catalog.signingKey.name, problem: "must be at least 16 bytes long")
        }
        signingKey = Self.optionalText(exporter.signingKey, Catalog.signingKey, env, secret: true).flatMap { key in
            guard key.utf8.count >= 16 else {
                env.reject("AUTOMAGIK_TELEMETRY_SIGNING_KEY", "must be at least 16 bytes long; requests are not signed")
                return nil
            }
            return key
        }

        // OTLP
        let otlp = try Self.resolveOTLP(codeOTLP, allowInsecureHTTP: exporter.allowInsecureHTTP, env)
        (tracesEndpoint, metricsEndpoint, logsEndpoint) = (otlp.traces, otlp.metrics, otlp.logs)
        otlpEncoding = otlp.encoding
        headers = otlp.headers
        signalHeaders = otlp.signalHeaders
        tlsFiles = otlp.tlsFiles
        let proxies = ProxyRoute.variables.reduce(into: [String: String]()) { found, name in found[name] = env.string(name) }
        proxyEnvironment = DictionaryEnvironment(proxies)
        if let set = ProxyRoute.variables.first(where: { proxies[$0] != nil }) {
            let shown = ProxyRoute.variables.compactMap { name in proxies[name].map { "\(name)=\($0)" } }
            env.decide(Catalog.proxy, HumanText.withoutUserinfo(shown.joined(separator: " ")), .environment(set))
        } else {
            env.decide(Catalog.proxy, "none", .standard)
        }

        // Batching. ClickHouse prefers few, large inserts (its docs: at least ~1000 rows, about one insert
        // per second); the flush interval still delivers small batches promptly.
        let batching = configuration.batching
        batchSize = try Self.count(batching.batchSize, Catalog.batchSize, env, default: backend == .clickhouse ? 5000 : 512, minimum: 1)
        flushInterval = try Self.positive(batching.flushInterval, Catalog.flushInterval, env, default: .seconds(5))
        memoryBudget = try Self.count(batching.memoryBudget, Catalog.memoryBudget, env, default: 64 * 1024 * 1024, minimum: 1024 * 1024)
        queueCapacity = try Self.queueCapacity(batching.queueCapacity, batchSize: batchSize, env)
        overflowPolicy = batching.overflowPolicy ?? .dropOldest
        env.decide(Catalog.overflowPolicy, overflowPolicy.rawValue, batching.overflowPolicy == nil ? .standard : .code)

        // Privacy: OpenTelemetry's attribute limits can only make the policy's limits stricter.
        var policy = configuration.privacy.policy
        if let limit = env.integer("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", minimum: 1) {
            policy.maxAttributeValueBytes = min(policy.maxAttributeValueBytes, limit)
        }
        if let limit = env.integer("OTEL_ATTRIBUTE_COUNT_LIMIT", minimum: 1) {
            policy.maxAttributeCount = min(policy.maxAttributeCount, limit)
        }
        privacy = policy
        let policyFromCode = "\(configuration.privacy.policy)" != "\(PrivacyPolicy.default)"
        env.decide(
            Catalog.privacyPolicy,
            "\(policy.isEnabled ? "on" : "off"), \(policy.maxAttributeCount) attributes of ≤ \(policy.maxAttributeValueBytes) bytes",
            policy.maxAttributeCount != configuration.privacy.policy.maxAttributeCount
                || policy.maxAttributeValueBytes != configuration.privacy.policy.maxAttributeValueBytes
                ? .environment("OTEL_ATTRIBUTE_*_LIMIT") : policyFromCode ? .code : .standard
        )
        privacySalt = Self.optionalText(configuration.privacy.salt, Catalog.privacySalt, env, secret: true)

        // Spool
        spoolDirectory = Self.optionalText(configuration.spool.directory, Catalog.spoolDirectory, env)
        spoolMaxBytes = try Self.count(configuration.spool.maxBytes, Catalog.spoolMaxBytes, env, default: 64 * 1024 * 1024, minimum: 1024)
        if let chosen = configuration.spool.persistence {
            spoolPersistence = chosen
            env.decide(Catalog.spoolPersistence, chosen.rawValue, .code)
        } else if let text = env.string("AUTOMAGIK_TELEMETRY_SPOOL") {
            if let parsed = SpoolSettings.Persistence(rawValue: text.lowercased()) {
                spoolPersistence = parsed
                env.decide(Catalog.spoolPersistence, parsed.rawValue, .environment("AUTOMAGIK_TELEMETRY_SPOOL"))
            } else {
                spoolPersistence = spoolDirectory == nil ? .atExit : .everyBatch
                env.reject("AUTOMAGIK_TELEMETRY_SPOOL", "expected at_exit, every_batch or off, got \"\(text)\"; using \(spoolPersistence.rawValue)")
                env.decide(Catalog.spoolPersistence, spoolPersistence.rawValue, .standard)
            }
        } else {
            spoolPersistence = spoolDirectory == nil ? .atExit : .everyBatch
            env.decide(Catalog.spoolPersistence, spoolPersistence.rawValue, .standard)
        }

        clickhouse = try Self.resolveClickHouse(
            codeHouse, isChosen: backend == .clickhouse, allowInsecureHTTP: exporter.allowInsecureHTTP, env
        )
        samplingRatio = try Self.samplingRatio(configuration.sampling.ratio, env)
        for (name, ratio) in configuration.sampling.eventRatios where !(0...1).contains(ratio) {
            throw ConfigurationError(setting: Catalog.samplingEventRatios.name, problem: "ratio for \"\(name)\" must be within 0…1, got \(ratio)")
        }
        eventSamplingRatios = configuration.sampling.eventRatios
        env.decide(
            Catalog.samplingEventRatios,
            eventSamplingRatios.isEmpty
                ? "none" : eventSamplingRatios.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
            eventSamplingRatios.isEmpty ? .standard : .code
        )
        eventRateLimit = try Self.eventRateLimit(configuration.eventRateLimit, env)
        logsEnabled = Self.flag(configuration.logsEnabled, Catalog.logsEnabled, env, default: false)
        sessionTimeout = try Self.positive(configuration.sessionTimeout, Catalog.sessionTimeout, env, default: .seconds(30 * 60))
        if let code = configuration.dryRun {
            dryRun = code
            env.decide(Catalog.dryRun, code.description, .code)
        } else if let text = env.string("AUTOMAGIK_TELEMETRY_DRY_RUN") {
            dryRun = DryRun(parsing: text)
            if dryRun == nil && EnvironmentValues.parseBool(text) != false {
                env.reject("AUTOMAGIK_TELEMETRY_DRY_RUN", "expected true, console or file:PATH, got \"\(text)\"; sending normally")
            }
            env.decide(Catalog.dryRun, dryRun?.description ?? "off", dryRun == nil ? .standard : .environment("AUTOMAGIK_TELEMETRY_DRY_RUN"))
        } else {
            dryRun = nil
            env.decide(Catalog.dryRun, "off", .standard)
        }
        systemAttributesOnSpans = configuration.systemAttributesOnSpans
        env.decide(Catalog.systemAttributesOnSpans, "\(systemAttributesOnSpans)", systemAttributesOnSpans ? .standard : .code)
        flushOnExit = configuration.flushOnExit ?? ProcessShape.current.isCommandLineOrServer
        env.decide(Catalog.flushOnExit, "\(flushOnExit)", configuration.flushOnExit == nil ? .standard : .code)
        verbose = Self.verbose(configuration.verbose, env)

        environmentProblems = env.problems
        settings = SettingsCatalog.all.compactMap { setting in
            env.decisions[setting.name].map { (setting, $0.value, $0.source) }
        }
    }

    package let allowInsecureHTTP: Bool
}

// MARK: Settings of any backend

extension ResolvedConfiguration {
    private static func required(_ value: String, _ setting: SettingDescriptor, _ env: EnvironmentValues) throws(ConfigurationError) -> String {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError(setting: setting.name, problem: "is required and must not be empty")
        }
        env.decide(setting, value, .code)
        return value
    }

    private static func text(_ code: String?, _ setting: SettingDescriptor, _ env: EnvironmentValues, default fallback: String) -> String {
        optionalText(code, setting, env)
            ?? {
                env.decide(setting, fallback, .standard)
                return fallback
            }()
    }

    /// The code's text, else the environment's, else nil (recorded as the default).
    private static func optionalText(
        _ code: String?, _ setting: SettingDescriptor, _ env: EnvironmentValues, secret: Bool = false
    ) -> String? {
        let shown = { (value: String) in secret ? RedactedDescription.placeholder : value }
        if let code {
            env.decide(setting, shown(code), .code)
            return code
        }
        if let (value, variable) = env.text(setting) {
            env.decide(setting, shown(value), .environment(variable))
            return value
        }
        env.decide(setting, setting.defaultValue, .standard)
        return nil
    }

    /// The code's boolean, else the first valid one among the setting's variables, else `fallback`.
    static func flag(_ code: Bool?, _ setting: SettingDescriptor, _ env: EnvironmentValues, default fallback: Bool) -> Bool {
        if let code {
            env.decide(setting, "\(code)", .code)
            return code
        }
        if let (value, variable) = env.bool(setting) {
            env.decide(setting, "\(value)", .environment(variable))
            return value
        }
        env.decide(setting, "\(fallback)", .standard)
        return fallback
    }

    static func count(
        _ code: Int?, _ setting: SettingDescriptor, _ env: EnvironmentValues, default fallback: Int, minimum: Int
    ) throws(ConfigurationError) -> Int {
        if let code {
            guard code >= minimum else {
                throw ConfigurationError(setting: setting.name, problem: "must be at least \(minimum), got \(code)")
            }
            env.decide(setting, "\(code)", .code)
            return code
        }
        if let (value, variable) = env.integer(setting, minimum: minimum) {
            env.decide(setting, "\(value)", .environment(variable))
            return value
        }
        env.decide(setting, "\(fallback)", .standard)
        return fallback
    }

    private static func positive(
        _ code: Duration?, _ setting: SettingDescriptor, _ env: EnvironmentValues, default fallback: Duration
    ) throws(ConfigurationError) -> Duration {
        if let code {
            guard code > .zero else { throw ConfigurationError(setting: setting.name, problem: "must be positive, got \(code)") }
            env.decide(setting, "\(code)", .code)
            return code
        }
        if let (value, variable) = env.duration(setting) {
            env.decide(setting, "\(value)", .environment(variable))
            return value
        }
        env.decide(setting, "\(fallback)", .standard)
        return fallback
    }

    private static func queueCapacity(_ code: Int?, batchSize: Int, _ env: EnvironmentValues) throws(ConfigurationError) -> Int? {
        let setting = SettingsCatalog.queueCapacity
        if let code {
            guard code >= batchSize else {
                throw ConfigurationError(setting: setting.name, problem: "must be at least batchSize (\(batchSize)), got \(code)")
            }
            env.decide(setting, "\(code)", .code)
            return code
        }
        guard let (value, variable) = env.integer(setting, minimum: 1) else {
            env.decide(setting, "none", .standard)
            return nil
        }
        guard value >= batchSize else {
            env.note("the queue size from \(variable) (\(value)) is below the batch size (\(batchSize)); no item cap is used")
            env.decide(setting, "none", .standard)
            return nil
        }
        env.decide(setting, "\(value)", .environment(variable))
        return value
    }

    private static func backend(_ code: TelemetryBackend?, _ env: EnvironmentValues) throws(ConfigurationError) -> TelemetryBackend {
        let setting = SettingsCatalog.backend
        if let code {
            if case .file(let path) = code, path.isEmpty {
                throw ConfigurationError(setting: "backend", problem: "file backend needs a path (file:PATH)")
            }
            if let text = env.string("AUTOMAGIK_TELEMETRY_BACKEND"), TelemetryBackend(parsing: text)?.kind != code.kind {
                env.reject("AUTOMAGIK_TELEMETRY_BACKEND", "ignored: the app's code chooses the \(code.kind.rawValue) backend")
            }
            env.decide(setting, code.kind.rawValue, .code)
            return code
        }
        if let text = env.string("AUTOMAGIK_TELEMETRY_BACKEND") {
            if let parsed = TelemetryBackend(parsing: text) {
                env.decide(setting, "\(parsed.kind.rawValue)", .environment("AUTOMAGIK_TELEMETRY_BACKEND"))
                return parsed
            }
            env.reject(
                "AUTOMAGIK_TELEMETRY_BACKEND", "unknown backend \"\(text)\" (expected otlp, clickhouse, console or file:PATH); using otlp"
            )
        }
        // OTEL_{TRACES,METRICS,LOGS}_EXPORTER=console for any signal selects the console backend; `otlp`
        // and `none` leave the choice alone; other exporters are not available.
        var console: String?
        for variable in setting.variables.dropFirst().map(\.name) {
            guard let text = env.string(variable) else { continue }
            let values = text.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if values.contains("console") { console = variable }
            for value in values where !["otlp", "console", "none"].contains(value) {
                env.reject(variable, "exporter \"\(value)\" is not available (otlp, console or none)")
            }
        }
        if let console {
            env.decide(setting, "console", .environment(console))
            return .console
        }
        env.decide(setting, "otlp", .standard)
        return .otlp
    }

    private static func disabledSignals(_ env: EnvironmentValues) -> Set<TelemetrySignal> {
        var disabled: Set<TelemetrySignal> = []
        for signal in TelemetrySignal.allCases where env.string("OTEL_\(signal.rawValue.uppercased())_EXPORTER")?.lowercased() == "none" {
            disabled.insert(signal)
        }
        return disabled
    }

    /// One timeout serves every signal: the general variables first, else the longest per-signal one.
    private static func timeout(_ code: Duration?, _ env: EnvironmentValues) throws(ConfigurationError) -> Duration {
        let setting = SettingsCatalog.timeout
        if code != nil { return try positive(code, setting, env, default: .seconds(5)) }
        let general = SettingDescriptor(
            property: setting.property, variables: Array(setting.variables.prefix(2)), defaultValue: "", summary: ""
        )
        if let (value, variable) = env.duration(general) {
            env.decide(setting, "\(value)", .environment(variable))
            return value
        }
        let perSignal = setting.variables.dropFirst(2).compactMap { variable in env.milliseconds(variable.name).map { ($0, variable.name) } }
        if let (value, variable) = perSignal.max(by: { $0.0 < $1.0 }) {
            env.decide(setting, "\(value)", .environment(variable))
            return value
        }
        env.decide(setting, "5.0 seconds", .standard)
        return .seconds(5)
    }

    private static func compression(_ code: Bool?, _ env: EnvironmentValues) -> Bool {
        let setting = SettingsCatalog.compression
        if let code {
            env.decide(setting, code ? "gzip" : "none", .code)
            return code
        }
        for variable in setting.variables {
            let value: Bool?
            if variable.format == .boolean {
                value = env.bool(variable.name)
            } else if let text = env.string(variable.name) {
                switch text.lowercased() {
                case "gzip": value = true
                case "none": value = false
                default:
                    env.reject(variable.name, "expected gzip or none, got \"\(text)\"; ignored")
                    value = nil
                }
            } else {
                value = nil
            }
            if let value {
                env.decide(setting, value ? "gzip" : "none", .environment(variable.name))
                return value
            }
        }
        env.decide(setting, "gzip", .standard)
        return true
    }

    /// Cumulative by default for OTLP: it is the OTLP default and the only temporality Prometheus (the
    /// seed's metric store, behind the collector) accepts. Delta for ClickHouse: its dashboards sum the
    /// rows of an interval, which only delta rows allow.
    private static func temporality(
        _ code: AggregationTemporality?, backend: TelemetryBackend.Kind, _ env: EnvironmentValues
    ) -> AggregationTemporality {
        let setting = SettingsCatalog.metricTemporality
        let fallback: AggregationTemporality = backend == .clickhouse ? .delta : .cumulative
        if let code {
            env.decide(setting, code.name.lowercased(), .code)
            return code
        }
        let variable = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"
        guard let text = env.string(variable) else {
            env.decide(setting, fallback.name.lowercased(), .standard)
            return fallback
        }
        switch text.lowercased() {
        case "cumulative":
            env.decide(setting, "cumulative", .environment(variable))
            return .cumulative
        case "delta", "lowmemory":
            env.decide(setting, "delta", .environment(variable))
            return .delta
        default:
            env.reject(variable, "expected cumulative, delta or lowmemory, got \"\(text)\"; using \(fallback.name.lowercased())")
            env.decide(setting, fallback.name.lowercased(), .standard)
            return fallback
        }
    }

    /// `OTEL_TRACES_SAMPLER` and its argument: events are root spans, so `parentbased_X` means `X`.
    private static func samplingRatio(_ code: Double?, _ env: EnvironmentValues) throws(ConfigurationError) -> Double {
        let setting = SettingsCatalog.samplingRatio
        if let code {
            guard (0...1).contains(code) else {
                throw ConfigurationError(setting: setting.name, problem: "must be within 0…1, got \(code)")
            }
            env.decide(setting, "\(code)", .code)
            return code
        }
        guard let text = env.string("OTEL_TRACES_SAMPLER")?.lowercased() else {
            env.decide(setting, "1.0", .standard)
            return 1
        }
        let sampler = text.hasPrefix("parentbased_") ? String(text.dropFirst("parentbased_".count)) : text
        let ratio: Double
        switch sampler {
        case "always_on": ratio = 1
        case "always_off": ratio = 0
        case "traceidratio":
            // The specification's default argument is 1.0.
            if let argument = env.string("OTEL_TRACES_SAMPLER_ARG") {
                if let value = Double(argument), (0...1).contains(value) {
                    ratio = value
                } else {
                    env.reject("OTEL_TRACES_SAMPLER_ARG", "expected a ratio within 0…1, got \"\(argument)\"; using 1.0")
                    ratio = 1
                }
            } else {
                ratio = 1
            }
        default:
            env.reject(
                "OTEL_TRACES_SAMPLER",
                "sampler \"\(text)\" is not available (always_on, always_off, traceidratio, parentbased_*); keeping every event")
            env.decide(setting, "1.0", .standard)
            return 1
        }
        env.decide(setting, "\(ratio)", .environment("OTEL_TRACES_SAMPLER"))
        return ratio
    }

    /// `PER_SECOND` or `PER_SECOND/BURST` (the burst defaults to ten seconds' worth, at least 1).
    private static func eventRateLimit(_ code: EventRateLimit?, _ env: EnvironmentValues) throws(ConfigurationError) -> EventRateLimit? {
        let setting = SettingsCatalog.eventRateLimit
        if let code {
            guard code.perSecond > 0, code.perSecond.isFinite, code.burst >= 1 else {
                throw ConfigurationError(
                    setting: setting.name, problem: "needs a positive rate and a burst of at least 1, got \(code.perSecond)/\(code.burst)")
            }
            env.decide(setting, "\(code.perSecond)/s, bursts of \(code.burst)", .code)
            return code
        }
        let variable = "AUTOMAGIK_TELEMETRY_EVENT_RATE_LIMIT"
        guard let text = env.string(variable) else {
            env.decide(setting, "none", .standard)
            return nil
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let rate = Double(parts[0]), rate > 0, rate.isFinite,
            parts.count == 1 || Int(parts[1]).map({ $0 >= 1 }) == true
        else {
            env.reject(variable, "expected PER_SECOND or PER_SECOND/BURST (e.g. 10/100), got \"\(text)\"; no limit")
            env.decide(setting, "none", .standard)
            return nil
        }
        let limit = EventRateLimit(perSecond: rate, burst: parts.count == 2 ? Int(parts[1])! : max(1, Int(min(rate * 10, 1e9))))
        env.decide(setting, "\(limit.perSecond)/s, bursts of \(limit.burst)", .environment(variable))
        return limit
    }

    /// `OTEL_LOG_LEVEL`: debug or info turn the SDK's diagnostics on, warn/error/none leave them off.
    private static func verbose(_ code: Bool?, _ env: EnvironmentValues) -> Bool {
        let setting = SettingsCatalog.verbose
        if let code {
            env.decide(setting, "\(code)", .code)
            return code
        }
        if let value = env.bool("AUTOMAGIK_TELEMETRY_VERBOSE") {
            env.decide(setting, "\(value)", .environment("AUTOMAGIK_TELEMETRY_VERBOSE"))
            return value
        }
        if let text = env.string("OTEL_LOG_LEVEL") {
            switch text.lowercased() {
            case "debug", "info", "all", "trace":
                env.decide(setting, "true", .environment("OTEL_LOG_LEVEL"))
                return true
            case "warn", "warning", "error", "fatal", "none", "off":
                env.decide(setting, "false", .environment("OTEL_LOG_LEVEL"))
                return false
            default:
                env.reject("OTEL_LOG_LEVEL", "expected debug, info, warn, error or none, got \"\(text)\"; ignored")
            }
        }
        env.decide(setting, "false", .standard)
        return false
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

extension ResolvedConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting, with header values, the privacy salt and the ClickHouse password shown as `<redacted>`.
    package var description: String {
        RedactedDescription.describe(self, secrets: ["headers", "signalHeaders", "privacySalt", "signingKey", "settings"])
    }
    /// Same as `description`: safe to log.
    package var debugDescription: String { description }
}
