/// Port: randomness for ids, jitter and salts.
///
/// Implementations must be safe to call from any thread. Production uses the system's CSPRNG
/// (`SystemRandomSource` in TelemetrySystem); tests use a seeded, repeatable source.
public protocol RandomSource: Sendable {
    /// A uniformly distributed 64-bit value.
    func nextUInt64() -> UInt64
}

extension RandomSource {
    /// A uniformly distributed double in `0..<1`, from the top 53 bits of `nextUInt64()`.
    public func nextUnitInterval() -> Double {
        Double(nextUInt64() >> 11) * 0x1.0p-53
    }

    /// `count` random bytes.
    public func bytes(count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            var word = nextUInt64()
            for _ in 0..<min(8, count - out.count) {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }
}
