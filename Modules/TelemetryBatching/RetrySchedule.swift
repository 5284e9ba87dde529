import TelemetryCore

/// How long to hold off after consecutive failures: exponential cool-down with jitter, capped, and the
/// server's `Retry-After` taking precedence when given.
///
/// The cool-down after failure n is drawn uniformly from the upper half of
/// `min(maxBackoff, initialBackoff × 2^(n-1))` ("equal jitter"): spread enough that a fleet of clients
/// does not hit a recovering collector in step (see the AWS architecture note "Exponential Backoff And
/// Jitter"), never so short that a dead endpoint is hammered. Nothing here limits how often a batch is
/// retried: data waits within the memory budget, not for a retry count.
public struct RetrySchedule: Sendable, Hashable {
    /// Cool-down ceiling after the first failure.
    public var initialBackoff: Duration
    /// Largest cool-down ceiling.
    public var maxBackoff: Duration
    /// Largest wait accepted from a `Retry-After` header; longer requests are clamped to this.
    public var maxRetryAfter: Duration

    /// Creates a schedule; negative values are raised to zero.
    public init(initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30), maxRetryAfter: Duration = .seconds(60)) {
        self.initialBackoff = max(.zero, initialBackoff)
        self.maxBackoff = max(self.initialBackoff, maxBackoff)
        self.maxRetryAfter = max(.zero, maxRetryAfter)
    }

    /// The cool-down after `failures` consecutive failures (1-based): the server's `retryAfter` when given
    /// (clamped to `0...maxRetryAfter`), else a draw from the upper half of the ceiling.
    public func coolDown(afterFailures failures: Int, retryAfter: Duration? = nil, random: some RandomSource) -> Duration {
        if let retryAfter { return min(max(.zero, retryAfter), maxRetryAfter) }
        let half = Double(ceiling(forRetry: failures).nanoseconds) / 2
        return .nanoseconds(Int64(half + half * random.nextUnitInterval()))
    }

    /// `min(maxBackoff, initialBackoff × 2^(retry-1))`, without overflow.
    public func ceiling(forRetry retry: Int) -> Duration {
        let exponent = min(max(0, retry - 1), 62)
        let base = Double(initialBackoff.nanoseconds)
        let scaled = base * Double(UInt64(1) << UInt64(exponent))
        let capped = min(scaled, Double(maxBackoff.nanoseconds))
        return .nanoseconds(Int64(capped))
    }
}
