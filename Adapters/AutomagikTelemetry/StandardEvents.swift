/// Event names shared by every Automagik SDK, so dashboards work across languages.
public enum StandardEvents {
    /// A feature was used: `automagik.feature.used`.
    public static let featureUsed = "automagik.feature.used"
    /// An API request was served: `automagik.api.request`.
    public static let apiRequest = "automagik.api.request"
    /// A CLI command ran: `automagik.cli.command`.
    public static let commandExecuted = "automagik.cli.command"
    /// An operation's latency: `automagik.performance.latency`.
    public static let operationLatency = "automagik.performance.latency"
    /// An error occurred: `automagik.error` (the span name of `trackError`).
    public static let errorOccurred = "automagik.error"
    /// A health check: `automagik.health`.
    public static let serviceHealth = "automagik.health"
}
