import AutomagikTelemetryTestKit
import Testing
import TelemetryBatching
import TelemetryCore

@Suite struct RetryScheduleTests {
    let schedule = RetrySchedule(initialBackoff: .seconds(1), maxBackoff: .seconds(8), maxRetries: 5)

    @Test func ceilingDoublesUpToTheCap() {
        #expect((1...6).map { schedule.ceiling(forRetry: $0) } == [1, 2, 4, 8, 8, 8].map { .seconds($0) })
        #expect(schedule.ceiling(forRetry: 1_000) == .seconds(8))
    }

    @Test func fullJitterSpansZeroToCeiling() {
        let low = schedule.delay(beforeRetry: 3, random: ConstantRandomSource(0))
        let high = schedule.delay(beforeRetry: 3, random: ConstantRandomSource(.max))
        #expect(low == .zero)
        let upper = try! #require(high)
        #expect(upper <= .seconds(4) && upper > .milliseconds(3_999))
        let source = SeededRandomSource(seed: 9)
        let samples = (0..<200).compactMap { _ in schedule.delay(beforeRetry: 2, random: source) }
        #expect(samples.allSatisfy { $0 >= .zero && $0 <= .seconds(2) })
        #expect(Set(samples).count > 150)
    }

    @Test func stopsAfterMaxRetries() {
        #expect(schedule.delay(beforeRetry: 5, random: ConstantRandomSource(1)) != nil)
        #expect(schedule.delay(beforeRetry: 6, random: ConstantRandomSource(1)) == nil)
        #expect(schedule.delay(beforeRetry: 0, random: ConstantRandomSource(1)) == nil)
        #expect(RetrySchedule(maxRetries: 0).delay(beforeRetry: 1, random: ConstantRandomSource(1)) == nil)
    }

    @Test func retryAfterOverridesAndIsClamped() {
        #expect(schedule.delay(beforeRetry: 1, retryAfter: .seconds(7), random: ConstantRandomSource(0)) == .seconds(7))
        #expect(schedule.delay(beforeRetry: 1, retryAfter: .seconds(3_600), random: ConstantRandomSource(0)) == .seconds(60))
        #expect(schedule.delay(beforeRetry: 1, retryAfter: .seconds(-3), random: ConstantRandomSource(0)) == .zero)
    }
}
