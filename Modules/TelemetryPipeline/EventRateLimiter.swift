import TelemetryCore

/// A token bucket per event name: each name may send `burst` events at once and `perSecond` events per
/// second after that; the excess is refused (the caller counts it `rate_limited`). It protects a
/// collector from a runaway loop in one installation without silencing the other events.
///
/// Memory is bounded: at most `maxNames` buckets; names beyond that share one bucket. Time comes from
/// the caller (the engine's injected clock).
package struct EventRateLimiter: Sendable {
    package let perSecond: Double
    package let burst: Double
    package let maxNames: Int
    private var buckets: [String: Bucket] = [:]
    private var shared: Bucket?
    /// Distinct names that were limited at least once (up to `maxNames`; names past it are not told apart).
    package private(set) var limitedNames: Set<String> = []

    private struct Bucket {
        var tokens: Double
        var updated: Timestamp
    }

    /// A limiter allowing `perSecond` events per second per name, bursts of `burst`.
    package init(perSecond: Double, burst: Int, maxNames: Int = 1_000) {
        self.perSecond = max(0, perSecond)
        self.burst = Double(max(1, burst))
        self.maxNames = max(1, maxNames)
    }

    /// Takes a token for `name` at `time`; false when its bucket is empty.
    package mutating func allows(_ name: String, at time: Timestamp) -> Bool {
        let known = buckets[name] != nil
        var bucket = buckets[name] ?? (buckets.count < maxNames ? nil : shared) ?? Bucket(tokens: burst, updated: time)
        // A clock that steps back refills nothing (and does not move the bucket's time back).
        if time.nanosecondsSinceEpoch > bucket.updated.nanosecondsSinceEpoch {
            let elapsed = Double(time.nanosecondsSinceEpoch - bucket.updated.nanosecondsSinceEpoch) / 1e9
            bucket.tokens = min(burst, bucket.tokens + elapsed * perSecond)
            bucket.updated = time
        }
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        if known || buckets.count < maxNames {
            buckets[name] = bucket
        } else {
            shared = bucket
        }
        if !allowed && limitedNames.count < maxNames { limitedNames.insert(name) }
        return allowed
    }
}
