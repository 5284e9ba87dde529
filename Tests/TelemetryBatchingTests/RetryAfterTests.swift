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
        #expect(RetryAfter.parse("+5", now: now) == nil, "delay-seconds is 1*DIGIT")
    }

    @Test func httpDates() {
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Thu, 22 Oct 2015 07:28:00 GMT", now: now) == .seconds(86_400))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == .zero, "dates in the past mean now")
        #expect(RetryAfter.parse("Sun, 29 Feb 2032 00:00:00 GMT", now: .epoch) == .seconds(1_961_625_600))
    }

    /// RFC 9110 §5.6.7: a recipient MUST accept the obsolete RFC 850 and asctime forms too.
    @Test func obsoleteDateForms() {
        #expect(RetryAfter.parse("Wednesday, 21-Oct-15 07:28:30 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Wed Oct 21 07:28:30 2015", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:37 1994", now: .epoch) == .seconds(784_111_777))
        #expect(RetryAfter.parse("Thursday, 01-Jan-70 00:00:10 GMT", now: .epoch) == .seconds(10))
    }

    @Test(arguments: [
        "soon", "", "Wed, 21 Oct 2015 07:28:30 PST", "Wed, 32 Oct 2015 07:28:30 GMT", "21 Oct 2015", "1.5",
        "Wed, 21 Oct 15 07:28:30 GMT", "Wed, 21 Oct 02015 07:28:30 GMT", "Wed, 21 Oct 2015 7:28:30 GMT",
        "Xyz, 21 Oct 2015 07:28:30 GMT", "Wed, 21 Oct 1969 07:28:30 GMT", "Wed, 21 Oct 2015 07:28:30:00 GMT",
    ])
    func garbageIsIgnored(value: String) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }

    /// Security review #22, finding 1: `Retry-After: Sun, 06 Nov 3000 08:49:37 GMT` trapped on an
    /// arithmetic overflow (release builds too), crashing the host app on every later start.
    @Test(arguments: [
        "Sun, 06 Nov 3000 08:49:37 GMT", "Fri, 31 Dec 9999 23:59:60 GMT", "Sat, 01 Jan 2555 00:00:00 GMT",
        "Friday, 31-Dec-69 23:59:59 GMT", "Fri Dec 31 23:59:59 9999",
    ])
    func farFutureDatesSaturateInsteadOfTrapping(value: String) throws {
        let wait = try #require(RetryAfter.parse(value, now: now))
        #expect(wait > .seconds(0))
    }

    @Test func hugeDelaysSaturate() {
        #expect(RetryAfter.parse("9223372036854775807", now: now) == .seconds(Int64.max))
        #expect(RetryAfter.parse(String(repeating: "9", count: 400), now: now) == .seconds(Int64.max))
        #expect(RetryAfter.parse("9223372036854775808", now: now) == .seconds(Int64.max))
    }
}
