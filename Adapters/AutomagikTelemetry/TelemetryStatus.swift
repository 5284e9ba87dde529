import TelemetryClickHouse
import TelemetryCore
import TelemetryHTTP

/// A snapshot of the client's configuration and state, safe to print: no credentials, no header values.
/// `description` is what `automagik-telemetry status` prints too. Configuration values (project,
/// endpoints, the ClickHouse destination, the spool directory, …) are in `settings`, one entry per
/// property path, with where each came from: `status.setting("backend.otlp.tracesEndpoint")?.value`.
public struct TelemetryStatus: Sendable, CustomStringConvertible {
    /// One setting as the client resolved it.
    public struct Setting: Sendable, Hashable {
        /// The property path in `TelemetryConfiguration` (`batching.batchSize`), or the environment
        /// variable for settings only the environment has.
        public var name: String
        /// The value in force; secrets show as `<redacted>`.
        public var value: String
        /// Who set it: the app's code, an environment variable, or nobody (the default). Its
        /// `description` is `code`, the variable's name, or `default`.
        public var source: SettingSource
    }

    /// Whether telemetry is on right now.
    public var isEnabled: Bool
    /// Why telemetry is on or off.
    public var decision: ConsentDecision
    /// The app's `projectName`.
    package var projectName: String
    /// The app's `version`.
    package var version: String
    /// `service.organization`.
    package var organization: String
    /// The backend in force.
    public var backend: TelemetryBackend.Kind
    /// Where a dry run writes instead of sending; nil when telemetry is sent.
    public var dryRun: DryRun?
    /// Where events and errors go (OTLP backend).
    package var tracesEndpoint: String
    /// Where metrics go (OTLP backend).
    package var metricsEndpoint: String
    /// Where logs go (OTLP backend).
    package var logsEndpoint: String
    /// The anonymous installation id; nil until telemetry has been enabled (it is never created while off).
    public var anonymousID: String?
    /// This process's session id (`session.id`, `service.instance.id`); nil outside a client.
    public var sessionID: String?
    /// Items in the intake queue.
    public var queueDepth: Int
    /// Items taken from the intake and not yet delivered (converting, batched, or in flight).
    public var pending: Int
    /// Bytes held for `queueDepth` and `pending` (estimated for raw items, exact for prepared requests).
    public var bufferedBytes: Int
    /// Whether `shutdown` has run.
    public var isShutDown: Bool
    /// Why the latest failed export failed (credentials removed), or nil.
    public var lastFailure: String?
    /// Names of configured extra headers (values withheld).
    package var headerNames: [String]
    /// `endpoint, database.tables, user` for the ClickHouse backend (never the password).
    package var clickhouse: String?
    /// How the default transport reaches each destination: `direct (loopback destination)` or the proxy
    /// and the variable that chose it (credentials removed), per distinct endpoint.
    package var proxyRoutes: [(endpoint: String, route: String)]
    /// The spool directory and when it is written (`at_exit`, `every_batch`), or nil without one.
    package var spoolDirectory: String?
    /// Why the configured spool is not used (an unsafe directory), or nil when it is (or none is set).
    public var spoolProblem: String?
    /// Environment values that were ignored or adjusted, each with its reason (credentials removed).
    public var environmentProblems: [String]
    /// Every setting that applies to the backend in force, with its value and where it came from, in
    /// the README's order.
    public var settings: [Setting]

    /// The setting at `name`, a property path of `TelemetryConfiguration` as the README's table lists
    /// them (`batching.batchSize`); nil for a setting that does not apply to the backend in force.
    public func setting(_ name: String) -> Setting? { settings.first { $0.name == name } }

    /// The status of `configuration` (for the client and for the CLI, which has no client).
    package init(
        configuration: ResolvedConfiguration, decision: ConsentDecision, isEnabled: Bool, anonymousID: String?, sessionID: String?,
        queueDepth: Int = 0, pending: Int = 0, bufferedBytes: Int = 0, isShutDown: Bool = false, spoolDirectory: String? = nil,
        spoolProblem: String? = nil, lastFailure: String? = nil, scrubber: SecretScrubber
    ) {
        self.lastFailure = lastFailure.map(scrubber.scrub)
        self.isEnabled = isEnabled
        self.decision = decision
        projectName = configuration.projectName
        version = configuration.version
        organization = configuration.organization
        backend = configuration.backend
        dryRun = configuration.dryRun
        // Endpoints are shown whole (an operator needs the host, IP addresses included) but never with
        // credentials in them.
        tracesEndpoint = HumanText.withoutUserinfo(configuration.tracesEndpoint)
        metricsEndpoint = HumanText.withoutUserinfo(configuration.metricsEndpoint)
        logsEndpoint = HumanText.withoutUserinfo(configuration.logsEndpoint)
        self.anonymousID = anonymousID
        self.sessionID = sessionID
        self.queueDepth = queueDepth
        self.pending = pending
        self.bufferedBytes = bufferedBytes
        self.isShutDown = isShutDown
        headerNames = Array(Set(configuration.headers.keys).union(configuration.signalHeaders.values.flatMap(\.keys))).sorted()
        if configuration.backend == .clickhouse {
            let house = configuration.clickhouse
            clickhouse =
                "\(HumanText.withoutUserinfo(house.endpoint)) \(house.names.database).{\(house.names.traces),\(house.names.metrics),\(house.names.logs)} "
                + "as \(house.username)\(house.password.isEmpty ? "" : " (password set)"), flavor \(house.flavor.rawValue)"
        } else {
            clickhouse = nil
        }
        let destinations =
            configuration.backend == .clickhouse
            ? [configuration.clickhouse.endpoint]
            : [configuration.tracesEndpoint, configuration.metricsEndpoint, configuration.logsEndpoint]
        var seen: Set<String> = []
        proxyRoutes = destinations.filter { seen.insert($0).inserted }.map { endpoint in
            let route =
                DefaultHTTPClient.routesByProxyVariables
                ? ProxyRoute.route(for: endpoint, environment: configuration.proxyEnvironment).summary : "the system's proxy settings"
            return (HumanText.withoutUserinfo(endpoint), route)
        }
        self.spoolDirectory = spoolDirectory.map { "\($0) (\(configuration.spoolPersistence.rawValue))" }
        self.spoolProblem = spoolProblem
        environmentProblems = configuration.environmentProblems.map(scrubber.scrub)
        let backend = configuration.backend
        settings = configuration.settings.filter { entry in
            let name = entry.setting.name
            if name.hasPrefix("backend.otlp.") || entry.setting == SettingsCatalog.tlsFiles { return backend == .otlp }
            if name.hasPrefix("backend.clickhouse.") { return backend == .clickhouse }
            return true
        }.map { Setting(name: $0.setting.name, value: scrubber.scrub($0.value), source: $0.source) }
    }

    /// Several lines: the decision, the backend and its destination, identities, queue state, then
    /// every setting as `name = value (source)`, then the environment's problems.
    public var description: String {
        var lines = [
            "telemetry: \(decision)",
            "project: \(projectName) \(version) (organization \(organization))",
            "backend: \(backend.rawValue)",
        ]
        if let dryRun { lines.append("dry run: nothing is sent; each request is written as OTLP/JSON to \(dryRun)") }
        if backend == .otlp {
            lines.append("endpoints: traces \(tracesEndpoint), metrics \(metricsEndpoint), logs \(logsEndpoint)")
        }
        if let clickhouse { lines.append("clickhouse: \(clickhouse)") }
        if backend == .otlp || backend == .clickhouse, dryRun == nil {
            for (endpoint, route) in proxyRoutes { lines.append("route to \(endpoint): \(route)") }
        }
        if !headerNames.isEmpty { lines.append("headers: \(headerNames.joined(separator: ", ")) (values hidden)") }
        if let spoolDirectory {
            lines.append("spool: \(spoolDirectory)" + (spoolProblem.map { " (not used: \($0))" } ?? ""))
        }
        lines.append("anonymous id: \(anonymousID ?? "(none: created only when enabled)")")
        if let sessionID { lines.append("session id: \(sessionID)") }
        lines.append("queued \(queueDepth), pending \(pending), buffered \(bufferedBytes / 1024) KiB")
        if isShutDown { lines.append("shut down") }
        if let lastFailure { lines.append("last failure: \(lastFailure)") }
        lines.append("settings:")
        for setting in settings { lines.append("  \(setting.name) = \(setting.value) (\(setting.source))") }
        for problem in environmentProblems { lines.append("environment: \(problem)") }
        return lines.joined(separator: "\n")
    }
}
