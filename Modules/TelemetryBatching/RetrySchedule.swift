import TelemetryCore

/// How long to wait before each retry: exponential backoff with full jitter, capped, with a bounded
/// number of attempts, and the server's `Retry-After` taking precedence when given.
///
/// Full jitter (a uniformly random delay in `0...min(cap, base × 2^n)`) spreads retries of many clients
/// so a recovering collector is not hit by a synchronized wave (see the AWS architecture note
/// "Exponential Backoff And Jitter").
public struct RetrySchedule: Sendable, Hashable {
    /// Delay ceiling before jitter for the first retry.
    public var initialBackoff: Duration
    /// Largest delay ceiling.
    public var maxBackoff: Duration
    /// Retries after the first attempt; 0 disables retrying.
    public var maxRetries: Int
    /// Largest wait accepted from a `Retry-After` header; longer requests are clamped to this.
    public var maxRetryAfter: Duration

    /// Creates a schedule; negative values are raised to zero.
    public init(
        initialBackoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(30),
        maxRetries: Int = 3,
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.initialBackoff = max(.zero, initialBackoff)
        self.maxBackoff = max(self.initialBackoff, maxBackoff)
        self.maxRetries = max(0, maxRetries)
        self.maxRetryAfter = max(.zero, maxRetryAfter)
    }

    /// The delay before retry number `retry` (1-based), or nil when retries are exhausted.
    ///
    /// - Parameters:
    ///   - retry: 1 for the first retry, 2 for the second, …
    ///   - retryAfter: the server's requested wait, which replaces the jittered backoff (clamped to `maxRetryAfter`).
    ///   - random: the jitter source.
    public func delay(beforeRetry retry: Int, retryAfter: Duration? = nil, random: some RandomSource) -> Duration? {
        guard retry >= 1, retry <= maxRetries else { return nil }
        if let retryAfter { return min(max(.zero, retryAfter), maxRetryAfter) }
        return jitteredDelay(ceiling: ceiling(forRetry: retry), random: random)
    }

    /// `min(maxBackoff, initialBackoff × 2^(retry-1))`, without overflow.
    public func ceiling(forRetry retry: Int) -> Duration {
        let exponent = min(max(0, retry - 1), 62)
        let base = Double(initialBackoff.nanoseconds)
        let scaled = base * Double(UInt64(1) << UInt64(exponent))
        let capped = min(scaled, Double(maxBackoff.nanoseconds))
        return .nanoseconds(Int64(capped))
    }

    private func jitteredDelay(ceiling: Duration, random: some RandomSource) -> Duration {
        .nanoseconds(Int64(Double(ceiling.nanoseconds) * random.nextUnitInterval()))
    }
}
