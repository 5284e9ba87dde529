import TelemetryCore

/// Why an item was not delivered. Every drop is counted under exactly one reason.
public enum DropReason: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The in-memory queue was full (overflow policy applied).
    case queueFull = "queue_full"
    /// NaN or infinite metric value.
    case nonFiniteValue = "non_finite_value"
    /// Negative increment on a counter.
    case negativeCounterIncrement = "negative_counter_increment"
    /// Metric name reused with another kind or unit, too many instruments, empty name, or unknown type.
    case invalidMetric = "invalid_metric"
    /// Empty event name or log message.
    case invalidInput = "invalid_input"
    /// Queued when `disable()` was called.
    case disabled = "disabled"
    /// Still queued when the shutdown deadline passed.
    case shutdown = "shutdown"
    /// The receiver refused the batch permanently (e.g. HTTP 400, auth).
    case rejectedByReceiver = "rejected_by_receiver"
    /// The receiver accepted the request but refused these items (OTLP partial success).
    case partiallyRejected = "partially_rejected"
    /// Waiting for a failing endpoint, the pending buffer filled and the oldest items were evicted.
    case bufferFull = "buffer_full"
    /// The spool directory reached its byte limit and evicted its oldest batches.
    case spoolFull = "spool_full"
    /// A spooled batch outlived the spool's maximum age.
    case spoolExpired = "spool_expired"
    /// A spool file was damaged or truncated and was removed.
    case spoolCorrupt = "spool_corrupt"

    public static func < (lhs: DropReason, rhs: DropReason) -> Bool { lhs.rawValue < rhs.rawValue }
}

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
    /// Privacy rule firings by rule name.
    public var redactions: [String: Int] = [:]
    /// Items waiting in the intake queue now.
    public var queued = 0
    /// Items converted and waiting to be sent now (per-signal buffers).
    public var pending = 0
    /// Items this process left in the spool directory, not yet delivered (survive a restart).
    public var spooled = 0

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
