import TelemetryCore
import TelemetryPipeline

/// Why an item was not delivered (defined with the delivery engine, which counts most drops).
public typealias DropReason = TelemetryPipeline.DropReason

/// Counters since the client was created. Item counts are spans, metric measurements (on intake) or
/// data points (on export), and log records.
public struct TelemetryStats: Sendable, Hashable {
    /// Items accepted by `track*` into the queue.
    public var enqueued = 0
    /// Items delivered (the receiver answered success).
    public var exported = 0
    /// Export requests that succeeded.
    public var exportedBatches = 0
    /// Bytes sent on the wire by successful requests (after compression), as reported by the exporter.
    public var bytesSent = 0
    /// Export attempts that failed (each retry counts).
    public var failedAttempts = 0
    /// Retries performed.
    public var retries = 0
    /// Dropped items by reason.
    public var dropped: [DropReason: Int] = [:]
    /// How many times each privacy rule fired (a rule that never fired is absent).
    public var redactions: [PrivacyRule: Int] = [:]
    /// Items waiting in the intake queue now.
    public var queued = 0
    /// Items taken from the queue and not yet delivered now: converting, batched, or in flight.
    public var pending = 0
    /// Bytes held now for queued and pending items (estimated for raw items, exact for compressed
    /// batches); stays within `memoryBudget`.
    public var bufferedBytes = 0
    /// Items this process left in the spool directory, not yet delivered (survive a restart).
    public var spooled = 0
    /// Why the latest failed export failed (credentials removed, at most 300 characters), or nil.
    public var lastFailure: String?
    /// Events the sampler did not keep (`sampling`): by design, so not counted in `dropped`.
    public var sampledOut = 0
    /// How many distinct event names hit `eventRateLimit` (their excess is in `dropped[.rateLimited]`).
    public var rateLimitedNames = 0

    /// Creates zeroed stats.
    public init() {}

    /// All dropped items.
    public var totalDropped: Int { dropped.values.reduce(0, +) }
}

/// What `flush()` achieved.
public struct FlushReport: Sendable, Hashable {
    /// Items delivered during this flush.
    public var exported: Int
    /// Items dropped during this flush.
    public var dropped: Int
    /// Items still waiting afterwards (e.g. the endpoint is down and the circuit breaker is open).
    public var pending: Int

    /// Creates a report.
    public init(exported: Int, dropped: Int, pending: Int) {
        self.exported = exported
        self.dropped = dropped
        self.pending = pending
    }
}

/// What `shutdown(deadline:)` achieved.
public struct ShutdownReport: Sendable, Hashable {
    /// Items delivered during shutdown.
    public var exported: Int
    /// Items dropped during shutdown, including everything left when the deadline passed.
    public var dropped: Int
    /// Whether the deadline passed before everything was delivered.
    public var deadlineExceeded: Bool
    /// Items left in the spool directory for a later run.
    public var spooled: Int { stats.spooled }
    /// Final counters.
    public var stats: TelemetryStats

    /// Creates a report.
    public init(exported: Int, dropped: Int, deadlineExceeded: Bool, stats: TelemetryStats) {
        self.exported = exported
        self.dropped = dropped
        self.deadlineExceeded = deadlineExceeded
        self.stats = stats
    }
}
