import TelemetryCore

/// How long to hold off after consecutive failures: exponential cool-down with jitter, capped, and the
/// server's `Retry-After` taking precedence when given — as a minimum, plus up to a quarter more.
///
/// Why jitter a `Retry-After` too: a server that refuses a whole fleet at once tells every client the
/// same number of seconds, and clients that obey it exactly come back in one wave. Measured with 50
/// processes against a receiver answering `429, Retry-After: 10` for 30 s (`make integration-cluster`):
/// exact obedience brought 29 and 21 requests back in the same two seconds, every ten seconds; with the
/// extra quarter they spread over 2.5 s, and none comes back earlier than the server asked.
///
/// The cool-down after failure n is drawn uniformly from the upper half of
/// `min(maxBackoff, initialBackoff × 2^(n-1))` ("equal jitter"): spread enough that a fleet of clients
/// does not hit a recovering collector in step (see the AWS architecture note "Exponential Backoff And
/// Jitter"), never so short that a dead endpoint is hammered. Nothing here limits how often a batch is
/// retried: data waits within the memory budget, not for a retry count.
package struct RetrySchedule: Sendable, Hashable {
    /// Cool-down ceiling after the first failure.
    package var initialBackoff: Duration
    /// Largest cool-down ceiling.
    package var maxBackoff: Duration
    /// Largest wait accepted from a `Retry-After` header; longer requests are clamped to this.
    package var maxRetryAfter: Duration

    /// Creates a schedule; negative values are raised to zero.
    package init(initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30), maxRetryAfter: Duration = .seconds(60)) {
        self.initialBackoff = max(.zero, initialBackoff)
        self.maxBackoff = max(self.initialBackoff, maxBackoff)
        self.maxRetryAfter = max(.zero, maxRetryAfter)
    }

    /// The cool-down after `failures` consecutive failures (1-based): the server's `retryAfter` when given
    /// (clamped to `0...maxRetryAfter`) plus a uniform draw of up to a quarter of it, else a draw from the
    /// upper half of the ceiling.
    package func coolDown(afterFailures failures: Int, retryAfter: Duration? = nil, random: some RandomSource) -> Duration {
        if let retryAfter {
            let asked = Double(min(max(.zero, retryAfter), maxRetryAfter).nanoseconds)
            return .nanoseconds(saturating: asked + asked / 4 * random.nextUnitInterval())
        }
        let half = Double(ceiling(forRetry: failures).nanoseconds) / 2
        return .nanoseconds(saturating: half + half * random.nextUnitInterval())
    }

    /// `min(maxBackoff, initialBackoff × 2^(retry-1))`, without overflow.
    package func ceiling(forRetry retry: Int) -> Duration {
        let exponent = min(max(0, retry - 1), 62)
        let base = Double(initialBackoff.nanoseconds)
        let scaled = base * Double(UInt64(1) << UInt64(exponent))
        let capped = min(scaled, Double(maxBackoff.nanoseconds))
        return .nanoseconds(saturating: capped)
    }
}
