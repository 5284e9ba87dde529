import AutomagikTelemetryTestKit
import Testing
import TelemetryBatching
import TelemetryCore

@Suite struct CircuitBreakerTests {
    let start = Timestamp(nanosecondsSinceEpoch: 1_000_000_000_000)
    let schedule = RetrySchedule(initialBackoff: .seconds(1), maxBackoff: .seconds(30))

    @Test func closedBreakerPermitsConcurrentRequests() {
        let breaker = CircuitBreaker(schedule: schedule)
        #expect(breaker.permitsRequest(at: start, inFlight: 0))
        #expect(breaker.permitsRequest(at: start, inFlight: 3))
        #expect(!breaker.isFailing)
    }

    @Test func coolDownDoublesWithJitterInTheUpperHalfUpToTheCap() {
        var breaker = CircuitBreaker(schedule: schedule)
        var now = start
        var coolDowns: [Duration] = []
        for _ in 0..<8 {
            coolDowns.append(breaker.recordFailure(at: now, random: SeededRandomSource(seed: 3)))
            now = breaker.coolDownEnd(after: now) ?? now
        }
        let ceilings: [Duration] = [1, 2, 4, 8, 16, 30, 30, 30].map { .seconds($0) }
        for (coolDown, ceiling) in zip(coolDowns, ceilings) {
            #expect(coolDown >= ceiling / 2 && coolDown <= ceiling, "\(coolDown) within [\(ceiling / 2), \(ceiling)]")
        }
        #expect(breaker.consecutiveFailures == 8)
    }

    @Test func nothingStartsDuringTheCoolDownThenOneProbeAtATime() {
        var breaker = CircuitBreaker(schedule: schedule)
        breaker.recordFailure(at: start, random: ConstantRandomSource(.max))
        #expect(!breaker.permitsRequest(at: start.advanced(by: .milliseconds(999)), inFlight: 0))
        let after = start.advanced(by: .seconds(1))
        #expect(breaker.coolDownEnd(after: start) == after)
        #expect(breaker.permitsRequest(at: after, inFlight: 0), "the probe")
        #expect(!breaker.permitsRequest(at: after, inFlight: 1), "only one request while probing")
        breaker.recordSuccess()
        #expect(breaker.permitsRequest(at: after, inFlight: 3))
        #expect(breaker.coolDownEnd(after: after) == nil)
    }

    @Test func retryAfterReplacesTheDrawnCoolDownAndIsClamped() {
        var breaker = CircuitBreaker(schedule: schedule)
        #expect(breaker.recordFailure(at: start, retryAfter: .seconds(20), random: ConstantRandomSource(0)) == .seconds(20))
        #expect(breaker.recordFailure(at: start, retryAfter: .seconds(3600), random: ConstantRandomSource(0)) == .seconds(60))
        #expect(breaker.recordFailure(at: start, retryAfter: .seconds(-5), random: ConstantRandomSource(0)) == .zero)
    }

    @Test func aFiveSecondOutageIsNoticedWithinAboutTwoSeconds() {
        // The endpoint is down from `start` for 5 s; requests fail until then.
        var breaker = CircuitBreaker(schedule: schedule)
        var now = start
        let back = start.advanced(by: .seconds(5))
        while now < back {
            breaker.recordFailure(at: now, random: ConstantRandomSource(.max))
            now = breaker.coolDownEnd(after: now)!
        }
        #expect(now.duration(to: back) <= .zero)
        #expect(back.duration(to: now) <= .seconds(2), "first successful probe \(back.duration(to: now)) after recovery")
    }

    @Test func anExplicitFlushMayProbeAtOnce() {
        var breaker = CircuitBreaker(schedule: schedule)
        breaker.recordFailure(at: start, random: ConstantRandomSource(.max))
        breaker.allowProbeNow()
        #expect(breaker.permitsRequest(at: start, inFlight: 0))
        #expect(!breaker.permitsRequest(at: start, inFlight: 1))
        #expect(breaker.isFailing)
    }
}
