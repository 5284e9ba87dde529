@_spi(Internals) import TelemetryCore

/// A clock that moves only when the test says so.
///
/// `sleep(for:)` suspends until `advance(by:)` moves time past its deadline, so flush intervals,
/// backoff delays and circuit-breaker cool-downs run instantly and deterministically.
///
/// ```swift
/// let clock = ManualClock()
/// // … start work that sleeps on `clock` …
/// await clock.waitForSleepers(1)
/// clock.advance(by: .seconds(5))   // the sleeper wakes
/// ```
public final class ManualClock: TelemetryClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Timestamp
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
    }

    private let state: LockedBox<State>

    /// Creates a clock reading `start` (by default 2026-01-01T00:00:00Z).
    public init(start: Timestamp = Timestamp(nanosecondsSinceEpoch: 1_767_225_600_000_000_000)) {
        state = LockedBox(State(now: start))
    }

    /// The current manual time.
    public func now() -> Timestamp { state.withLock { $0.now } }

    /// Number of tasks currently sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Returns once `advance(by:)` has moved the time `duration` past now; throws when the task is cancelled.
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        guard duration > .zero else { return }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: state.now.advanced(by: duration), continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward by `duration` and wakes every sleeper whose deadline has passed, earliest first.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Suspends until at least `count` tasks sleep on this clock, or `timeout` of real time has passed;
    /// returns whether the count was reached. The default is generous because it only matters when a
    /// test fails: under ThreadSanitizer on two cores, busy suites beside a test have held the
    /// cooperative threads for 35 s.
    @discardableResult
    public func waitForSleepers(_ count: Int = 1, timeout: Duration = .seconds(120)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if sleeperCount >= count { return true }
            await Task.yield()
            if sleeperCount >= count { return true }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return sleeperCount >= count
    }
}
