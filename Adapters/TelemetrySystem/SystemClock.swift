#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TelemetryCore

/// The real wall clock (`clock_gettime(CLOCK_REALTIME)`, ~20 ns) and real sleeping (`Task.sleep`).
public struct SystemClock: TelemetryClock {
    /// Creates the clock.
    public init() {}

    /// Wall-clock time (`CLOCK_REALTIME`), nanoseconds since the epoch.
    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanosecondsSinceEpoch: UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec))
    }

    /// Suspends for `duration` (continuous clock); throws when the task is cancelled.
    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
