@_spi(Internals) import TelemetryCore

/// A repeatable `RandomSource` (SplitMix64): the same seed gives the same ids and jitter every run.
public final class SeededRandomSource: RandomSource {
    private let state: LockedBox<UInt64>

    /// Creates a source starting from `seed`.
    public init(seed: UInt64 = 0x5EED) {
        state = LockedBox(seed)
    }

    /// The next value of the SplitMix64 sequence started at the seed.
    public func nextUInt64() -> UInt64 {
        state.withLock { state in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}

/// A `RandomSource` that always returns the same value: for pinning jitter to a bound in tests.
public struct ConstantRandomSource: RandomSource {
    /// The value returned by every call.
    public let value: UInt64

    /// Creates a source returning `value` forever (`.max` ≈ jitter 1.0, `0` = jitter 0).
    public init(_ value: UInt64) { self.value = value }

    /// The next value of the SplitMix64 sequence started at the seed.
    public func nextUInt64() -> UInt64 { value }
}
