import Testing
import TelemetryBatching
import TelemetryCore

@Suite struct CircuitBreakerTests {
    let t0 = Timestamp(nanosecondsSinceEpoch: 1_000_000_000_000)

    private func allows(_ breaker: inout CircuitBreaker, at time: Timestamp) -> Bool {
        breaker.allowsRequest(at: time)
    }

    @Test func opensAfterConsecutiveFailures() {
        var breaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(30))
        breaker.recordFailure(at: t0)
        breaker.recordFailure(at: t0)
        #expect(allows(&breaker, at: t0))
        breaker.recordFailure(at: t0)
        #expect(breaker.isOpen)
        #expect(!allows(&breaker, at: t0.advanced(by: .seconds(29))))
        #expect(breaker.nextProbe(after: t0) == t0.advanced(by: .seconds(30)))
    }

    @Test func successResetsTheFailureCount() {
        var breaker = CircuitBreaker(failureThreshold: 2)
        breaker.recordFailure(at: t0)
        breaker.recordSuccess()
        breaker.recordFailure(at: t0)
        #expect(!breaker.isOpen)
    }

    @Test func halfOpenProbeClosesOnSuccessReopensOnFailure() {
        var breaker = CircuitBreaker(failureThreshold: 1, coolDown: .seconds(10))
        breaker.recordFailure(at: t0)
        let probeTime = t0.advanced(by: .seconds(10))
        #expect(allows(&breaker, at: probeTime))
        #expect(breaker.state == .halfOpen)
        breaker.recordFailure(at: probeTime)
        #expect(breaker.state == .open(since: probeTime))
        #expect(!allows(&breaker, at: probeTime.advanced(by: .seconds(9))))
        #expect(allows(&breaker, at: probeTime.advanced(by: .seconds(10))))
        breaker.recordSuccess()
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        #expect(breaker.nextProbe(after: probeTime) == nil)
    }

    @Test func tripOpensImmediately() {
        var breaker = CircuitBreaker(failureThreshold: 100)
        breaker.trip(at: t0)
        #expect(breaker.isOpen)
    }
}

@Suite struct CircuitBreakerProbeTests {
    @Test func explicitProbeSkipsTheCoolDownOnce() {
        var breaker = CircuitBreaker(failureThreshold: 1, coolDown: .seconds(30))
        let t0 = Timestamp(nanosecondsSinceEpoch: 1_000)
        breaker.recordFailure(at: t0)
        breaker.allowProbeNow()
        #expect(breaker.state == .halfOpen)
        breaker.recordFailure(at: t0)
        #expect(breaker.isOpen)
        var closed = CircuitBreaker()
        closed.allowProbeNow()
        #expect(closed.state == .closed(consecutiveFailures: 0))
    }
}
