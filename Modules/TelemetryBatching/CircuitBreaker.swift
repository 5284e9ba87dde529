import TelemetryCore

/// Decides when requests may go to an endpoint that has been failing: exponential cool-down with
/// jitter after each consecutive failure, one probe at a time until a request succeeds.
///
/// ```
/// closed ──failure n──▶ open until now + cool-down(n) ──cool-down over──▶ half-open: one probe in flight
///   ▲                                                                        │ success        │ failure n+1
///   └────────────────────────────────────────────────────────────────────────┘                ▼
///                                                                          open until now + cool-down(n+1)
/// ```
///
/// The cool-down starts at `schedule.initialBackoff` and doubles per consecutive failure up to
/// `schedule.maxBackoff`, drawn uniformly from the upper half of that ceiling ("equal jitter": spread
/// enough that a fleet does not hit a recovering collector in step, never so short that a dead endpoint
/// is hammered). With the defaults (1 s doubling to 30 s) a five-second collector restart is noticed
/// after 0.5–1, 1–2 and 2–4 s: delivery resumes within about two seconds of the restart, and a long
/// outage costs one probe per 15–30 s. A server's `Retry-After` replaces the drawn cool-down (clamped to
/// `schedule.maxRetryAfter`).
package struct CircuitBreaker: Sendable, Hashable {
    /// The cool-down ceilings and the `Retry-After` clamp.
    package let schedule: RetrySchedule
    /// Failed requests since the last success.
    package private(set) var consecutiveFailures = 0
    /// No request may start before this time; nil when not cooling down.
    package private(set) var coolingDownUntil: Timestamp?

    /// Creates a closed breaker.
    package init(schedule: RetrySchedule = RetrySchedule()) {
        self.schedule = schedule
    }

    /// Whether a new request may start at `now` while `inFlight` requests are outstanding: not during a
    /// cool-down, and only one at a time (a probe) after a failure.
    package func permitsRequest(at now: Timestamp, inFlight: Int) -> Bool {
        if let until = coolingDownUntil, now < until { return false }
        return consecutiveFailures == 0 || inFlight == 0
    }

    /// When the cool-down ends, or nil when it has ended (or there is none) at `now`.
    package func coolDownEnd(after now: Timestamp) -> Timestamp? {
        guard let until = coolingDownUntil, until > now else { return nil }
        return until
    }

    /// Whether requests have failed since the last success.
    package var isFailing: Bool { consecutiveFailures > 0 }

    /// Records a delivered (or permanently refused: the endpoint answered) request: closes the breaker.
    package mutating func recordSuccess() {
        consecutiveFailures = 0
        coolingDownUntil = nil
    }

    /// Records a failed request at `now` and starts the next cool-down; returns its length.
    @discardableResult
    package mutating func recordFailure(at now: Timestamp, retryAfter: Duration? = nil, random: some RandomSource) -> Duration {
        consecutiveFailures += 1
        let coolDown = schedule.coolDown(afterFailures: consecutiveFailures, retryAfter: retryAfter, random: random)
        coolingDownUntil = now.advanced(by: coolDown)
        return coolDown
    }

    /// Ends the cool-down now, keeping the one-probe rule: for an explicit flush or a shutdown, where
    /// the app asks to deliver now and one request is worth it.
    package mutating func allowProbeNow() {
        coolingDownUntil = nil
    }
}
