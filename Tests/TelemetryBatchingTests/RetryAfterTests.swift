import Testing
import TelemetryBatching
import TelemetryCore

@Suite struct RetryAfterTests {
    // 2015-10-21T07:28:00Z
    let now = Timestamp(nanosecondsSinceEpoch: 1_445_412_480 * 1_000_000_000)

    @Test func delaySeconds() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
        #expect(RetryAfter.parse("-5", now: now) == nil)
    }

    @Test func httpDates() {
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Thu, 22 Oct 2015 07:28:00 GMT", now: now) == .seconds(86_400))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == .zero, "dates in the past mean now")
        #expect(RetryAfter.parse("Sun, 29 Feb 2032 00:00:00 GMT", now: .epoch) == .seconds(1_961_625_600))
    }

    @Test(arguments: ["soon", "", "Wed, 21 Oct 2015 07:28:30 PST", "Wed, 32 Oct 2015 07:28:30 GMT", "21 Oct 2015", "1.5"])
    func garbageIsIgnored(value: String) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }
}
