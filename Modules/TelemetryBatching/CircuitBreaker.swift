import TelemetryCore

/// Stops sending to an endpoint that keeps failing, then probes it.
///
/// closed —(N consecutive failures)→ open —(cool-down elapsed)→ half-open (one probe allowed)
/// —(probe succeeds)→ closed, or —(probe fails)→ open again. A dead collector therefore costs one
/// request per cool-down instead of one per batch.
public struct CircuitBreaker: Sendable, Hashable {
    /// The breaker's state.
    public enum State: Sendable, Hashable {
        case closed(consecutiveFailures: Int)
        case open(since: Timestamp)
        /// A probe is allowed (or in flight).
        case halfOpen
    }

    /// Consecutive failures that open the breaker.
    public let failureThreshold: Int
    /// How long the breaker stays open before allowing a probe.
    public let coolDown: Duration
    public internal(set) var state: State = .closed(consecutiveFailures: 0)

    /// Creates a closed breaker; a threshold below 1 is raised to 1.
    public init(failureThreshold: Int = 5, coolDown: Duration = .seconds(30)) {
        self.failureThreshold = max(1, failureThreshold)
        self.coolDown = max(.zero, coolDown)
    }

    /// Whether a request may be sent at `now`. Moves open → half-open once the cool-down has passed.
    public mutating func allowsRequest(at now: Timestamp) -> Bool {
        switch state {
        case .closed, .halfOpen:
            return true
        case .open(let since):
            guard since.duration(to: now) >= coolDown else { return false }
            state = .halfOpen
            return true
        }
    }

    /// When the next probe is allowed, or nil when requests are allowed now.
    public func nextProbe(after now: Timestamp) -> Timestamp? {
        if case .open(let since) = state {
            let due = since.advanced(by: coolDown)
            return due > now ? due : nil
        }
        return nil
    }

    public var isOpen: Bool {
        if case .open = state { return true }
        return false
    }

    /// Records a delivered request: closes the breaker.
    public mutating func recordSuccess() {
        state = .closed(consecutiveFailures: 0)
    }

    /// Records a failed request at `now`; may open the breaker.
    public mutating func recordFailure(at now: Timestamp) {
        switch state {
        case .closed(let failures):
            state = failures + 1 >= failureThreshold ? .open(since: now) : .closed(consecutiveFailures: failures + 1)
        case .halfOpen, .open:
            state = .open(since: now)
        }
    }
}

extension CircuitBreaker {
    /// Opens the breaker at `now` regardless of the failure count: used when a batch has exhausted its
    /// retries, which is proof enough that the endpoint is down.
    public mutating func trip(at now: Timestamp) {
        state = .open(since: now)
    }
}

extension CircuitBreaker {
    /// Lets one probe through now, cool-down or not: for an explicit flush or a shutdown, where the app
    /// asks to deliver now and one cheap request is worth it. Closed breakers are unaffected.
    public mutating func allowProbeNow() {
        if case .open = state { state = .halfOpen }
    }
}
