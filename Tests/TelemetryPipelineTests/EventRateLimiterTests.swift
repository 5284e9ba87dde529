import Testing
import TelemetryCore
@testable import TelemetryPipeline

@Suite struct EventRateLimiterTests {
    private let t0 = Timestamp(nanosecondsSinceEpoch: 1_000_000_000_000)

    private func at(_ seconds: Double) -> Timestamp { t0.advanced(by: .nanoseconds(Int64(seconds * 1e9))) }

    /// Asks `limiter` once per name in `names`, all at `seconds`; returns the answers.
    private func ask(_ limiter: inout EventRateLimiter, _ names: [String], at seconds: Double) -> [Bool] {
        names.map { limiter.allows($0, at: at(seconds)) }
    }

    @Test func aBurstThenTheSustainedRate() {
        var limiter = EventRateLimiter(perSecond: 2, burst: 5)
        let burst = ask(&limiter, Array(repeating: "loop", count: 8), at: 0)
        #expect(burst.filter { $0 }.count == 5, "the burst")
        #expect(ask(&limiter, ["loop"], at: 0.4) == [false], "0.8 of a token after 0.4 s")
        #expect(ask(&limiter, ["loop"], at: 0.5) == [true], "one token after 0.5 s at 2/s")
        let later = ask(&limiter, Array(repeating: "loop", count: 20), at: 100)
        #expect(later.filter { $0 }.count == 5, "refills up to the burst, no more")
        #expect(limiter.limitedNames == ["loop"])
    }

    @Test func namesHaveTheirOwnBuckets() {
        var limiter = EventRateLimiter(perSecond: 1, burst: 1)
        #expect(ask(&limiter, ["a", "a", "b"], at: 0) == [true, false, true], "b is not slowed down by a")
        #expect(limiter.limitedNames == ["a"])
    }

    @Test func namesBeyondTheBoundShareOneBucket() {
        var limiter = EventRateLimiter(perSecond: 1, burst: 2, maxNames: 2)
        // a and b get buckets; c, d and e share one of two tokens; a kept its own.
        #expect(ask(&limiter, ["a", "b", "c", "d", "e", "a"], at: 0) == [true, true, true, true, false, true])
    }

    @Test func aClockThatStepsBackRefillsNothing() {
        var limiter = EventRateLimiter(perSecond: 1, burst: 1)
        #expect(ask(&limiter, ["x"], at: 10) == [true])
        #expect(ask(&limiter, ["x"], at: 5) == [false])
        #expect(ask(&limiter, ["x"], at: 10.5) == [false])
        #expect(ask(&limiter, ["x"], at: 11) == [true])
    }
}
