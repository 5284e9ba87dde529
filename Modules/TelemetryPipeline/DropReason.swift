import TelemetryMetrics

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
    /// Past the opt-in per-event-name rate limit (a token bucket per name).
    case rateLimited = "rate_limited"

    /// By name, for stable listings.
    public static func < (lhs: DropReason, rhs: DropReason) -> Bool { lhs.rawValue < rhs.rawValue }
}
