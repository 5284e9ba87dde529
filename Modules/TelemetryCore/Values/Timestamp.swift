/// A point in wall-clock time: nanoseconds since the Unix epoch, UTC, as OTLP's `fixed64 *_time_unix_nano`.
public struct Timestamp: Sendable, Hashable, Comparable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: UInt64

    /// Wraps a nanosecond count.
    public init(nanosecondsSinceEpoch: UInt64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The epoch itself; used as "unset" by nothing in this SDK, only as a convenient origin in tests.
    public static let epoch = Timestamp(nanosecondsSinceEpoch: 0)

    /// Earlier first.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// `self` moved by `duration`, clamped to the representable range (never traps).
    public func advanced(by duration: Duration) -> Timestamp {
        let delta = duration.nanoseconds
        if delta >= 0 {
            let (sum, overflow) = nanosecondsSinceEpoch.addingReportingOverflow(UInt64(delta))
            return Timestamp(nanosecondsSinceEpoch: overflow ? .max : sum)
        }
        let magnitude = delta == .min ? UInt64(Int64.max) + 1 : UInt64(-delta)
        return Timestamp(nanosecondsSinceEpoch: nanosecondsSinceEpoch >= magnitude ? nanosecondsSinceEpoch - magnitude : 0)
    }

    /// The signed time from `self` to `other`.
    public func duration(to other: Timestamp) -> Duration {
        if other.nanosecondsSinceEpoch >= nanosecondsSinceEpoch {
            return .nanoseconds(Int64(clamping: other.nanosecondsSinceEpoch - nanosecondsSinceEpoch))
        }
        return .nanoseconds(-Int64(clamping: nanosecondsSinceEpoch - other.nanosecondsSinceEpoch))
    }
}

extension Duration {
    /// The whole duration in nanoseconds, saturating at `Int64`'s range.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }

    /// `value` nanoseconds, saturating at `Int64`'s range (NaN is zero): for durations computed in
    /// floating point from configured or received numbers, where `Int64(_:)` would trap.
    package static func nanoseconds(saturating value: Double) -> Duration {
        guard !value.isNaN else { return .zero }
        if value >= 0x1p63 { return .nanoseconds(Int64.max) }
        if value <= -0x1p63 { return .nanoseconds(Int64.min) }
        return .nanoseconds(Int64(value))
    }

    /// The duration in (fractional) seconds.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
