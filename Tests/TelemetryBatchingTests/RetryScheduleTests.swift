import AutomagikTelemetryTestKit
import Testing
import TelemetryBatching
import TelemetryCore

@Suite struct RetryScheduleTests {
    let schedule = RetrySchedule(initialBackoff: .seconds(1), maxBackoff: .seconds(8))

    @Test func ceilingDoublesUpToTheCap() {
        #expect((1...6).map { schedule.ceiling(forRetry: $0) } == [1, 2, 4, 8, 8, 8].map { .seconds($0) })
        #expect(schedule.ceiling(forRetry: 1_000) == .seconds(8))
    }

    @Test func equalJitterSpansTheUpperHalfOfTheCeiling() {
        let low = schedule.coolDown(afterFailures: 3, random: ConstantRandomSource(0))
        let high = schedule.coolDown(afterFailures: 3, random: ConstantRandomSource(.max))
        #expect(low == .seconds(2))
        #expect(high <= .seconds(4) && high > .milliseconds(3_999))
        let source = SeededRandomSource(seed: 9)
        let samples = (0..<200).map { _ in schedule.coolDown(afterFailures: 2, random: source) }
        #expect(samples.allSatisfy { $0 >= .seconds(1) && $0 <= .seconds(2) })
        #expect(Set(samples).count > 150)
    }

    @Test func retryAfterOverridesAndIsClamped() {
        #expect(schedule.coolDown(afterFailures: 1, retryAfter: .seconds(7), random: ConstantRandomSource(0)) == .seconds(7))
        #expect(schedule.coolDown(afterFailures: 1, retryAfter: .seconds(3_600), random: ConstantRandomSource(0)) == .seconds(60))
        #expect(schedule.coolDown(afterFailures: 1, retryAfter: .seconds(-3), random: ConstantRandomSource(0)) == .zero)
        // Never earlier than asked, up to a quarter later, so a refused fleet does not return in one wave.
        #expect(schedule.coolDown(afterFailures: 1, retryAfter: .seconds(8), random: ConstantRandomSource(.max)) <= .seconds(10))
        #expect(schedule.coolDown(afterFailures: 1, retryAfter: .seconds(8), random: ConstantRandomSource(1 << 63)) == .seconds(9))
        #expect(schedule.coolDown(afterFailures: 1, retryAfter: .seconds(3_600), random: ConstantRandomSource(1 << 63)) == .milliseconds(67_500))
    }

    @Test func farFutureWaitIsClampedBySchedule() {
        let schedule = RetrySchedule()
        let wait = RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", now: .epoch)
        let delay = schedule.coolDown(afterFailures: 1, retryAfter: wait, random: ConstantRandomSource(.max))
        #expect(delay <= schedule.maxRetryAfter + schedule.maxRetryAfter / 4)
    }

    /// Extreme configured limits saturate too (review #22, "extreme configured limits overflow").
    @Test func extremeScheduleLimitsSaturate() {
        let schedule = RetrySchedule(initialBackoff: .seconds(Int64.max), maxBackoff: .seconds(Int64.max), maxRetryAfter: .seconds(Int64.max))
        #expect(schedule.coolDown(afterFailures: 70, random: ConstantRandomSource(.max)) == .nanoseconds(Int64.max))
        #expect(schedule.coolDown(afterFailures: 1, retryAfter: .seconds(Int64.max), random: ConstantRandomSource(.max)) == .nanoseconds(Int64.max))
    }
}
