import Testing
import TelemetryCore

@Suite struct TimestampTests {
    @Test func advancingAndMeasuring() {
        let start = Timestamp(nanosecondsSinceEpoch: 1_000)
        #expect(start.advanced(by: .nanoseconds(500)).nanosecondsSinceEpoch == 1_500)
        #expect(start.advanced(by: .nanoseconds(-400)).nanosecondsSinceEpoch == 600)
        #expect(start.duration(to: Timestamp(nanosecondsSinceEpoch: 3_000)) == .nanoseconds(2_000))
        #expect(Timestamp(nanosecondsSinceEpoch: 3_000).duration(to: start) == .nanoseconds(-2_000))
    }

    @Test func advancingClampsInsteadOfTrapping() {
        #expect(Timestamp(nanosecondsSinceEpoch: 10).advanced(by: .seconds(-1)).nanosecondsSinceEpoch == 0)
        #expect(Timestamp(nanosecondsSinceEpoch: .max - 1).advanced(by: .seconds(1)).nanosecondsSinceEpoch == .max)
    }

    @Test func durationComponents() {
        #expect(Duration.milliseconds(1500).nanoseconds == 1_500_000_000)
        #expect(Duration.milliseconds(250).seconds == 0.25)
        #expect(Duration.seconds(Int64.max).nanoseconds == .max)
    }
}
