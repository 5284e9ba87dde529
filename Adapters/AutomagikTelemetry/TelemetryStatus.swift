/// A snapshot of the client's configuration and state, safe to print: no credentials, no header values.
public struct TelemetryStatus: Sendable, CustomStringConvertible {
    public var isEnabled: Bool
    /// Why telemetry is on or off.
    public var decision: ConsentDecision
    public var projectName: String
    public var version: String
    public var organization: String
    public var backend: String
    public var tracesEndpoint: String
    public var metricsEndpoint: String
    public var logsEndpoint: String
    /// The anonymous installation id; nil until telemetry has been enabled (it is never created while off).
    public var anonymousID: String?
    public var sessionID: String
    public var batchSize: Int
    public var flushInterval: Duration
    /// Bytes the SDK may hold for undelivered telemetry.
    public var memoryBudget: Int
    /// Items in the intake queue.
    public var queueDepth: Int
    /// Items taken from the intake and not yet delivered (converting, batched, or in flight).
    public var pending: Int
    /// Bytes held for `queueDepth` and `pending` (estimated for raw items, exact for prepared requests).
    public var bufferedBytes: Int
    public var isShutDown: Bool
    /// Names of configured extra headers (values withheld).
    public var headerNames: [String]
    /// `endpoint, database.tables, user` for the ClickHouse backend (never the password).
    public var clickhouse: String?
    /// The spool directory, or nil without one.
    public var spoolDirectory: String? = nil
    /// Why the configured spool is not used (an unsafe directory), or nil when it is (or none is set).
    public var spoolProblem: String? = nil
    /// Environment values that were ignored or adjusted, each with its reason (credentials removed).
    public var environmentProblems: [String] = []

    public var description: String {
        var lines = [
            "telemetry: \(decision)",
            "project: \(projectName) \(version) (organization \(organization))",
            "backend: \(backend)",
        ]
        if backend == "otlp" {
            lines.append("endpoints: traces \(tracesEndpoint), metrics \(metricsEndpoint), logs \(logsEndpoint)")
        }
        if let clickhouse { lines.append("clickhouse: \(clickhouse)") }
        if !headerNames.isEmpty { lines.append("headers: \(headerNames.sorted().joined(separator: ", ")) (values hidden)") }
        if let spoolDirectory {
            lines.append("spool: \(spoolDirectory)" + (spoolProblem.map { " (not used: \($0))" } ?? ""))
        }
        lines.append("anonymous id: \(anonymousID ?? "(none: created only when enabled)")")
        lines.append("session id: \(sessionID)")
        lines.append("batch size \(batchSize), flush interval \(flushInterval), memory budget \(memoryBudget / 1_048_576) MiB")
        lines.append("queued \(queueDepth), pending \(pending), buffered \(bufferedBytes / 1024) KiB")
        if isShutDown { lines.append("shut down") }
        for problem in environmentProblems { lines.append("environment: \(problem)") }
        return lines.joined(separator: "\n")
    }
}
