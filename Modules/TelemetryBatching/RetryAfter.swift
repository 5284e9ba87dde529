import TelemetryCore

/// Parses an HTTP `Retry-After` header (RFC 9110 §10.2.3): delay-seconds (`120`) or an HTTP-date,
/// relative to `now`.
///
/// The value comes from whoever answers the request — a collector, a proxy, a CDN, anyone on a plain
/// `http` path — so every number in it is bounded before any arithmetic: a date in the year 9999 or a
/// delay of a hundred digits saturates (the caller clamps the wait to its own maximum), never traps.
package enum RetryAfter {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let longWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// The wait the server asked for: never negative; nil when the value cannot be parsed.
    package static func parse(_ value: String, now: Timestamp) -> Duration? {
        let text = value.trimmingSpaces()
        if let seconds = delaySeconds(text) { return .seconds(seconds) }
        guard let date = parseHTTPDate(text) else { return nil }
        let delay = now.duration(to: date)
        return delay > .zero ? delay : .zero
    }

    /// `1*DIGIT`, saturating at `Int64.max` for longer numbers (a server asking for 10^30 seconds asks
    /// for "as long as you allow"); nil when anything but digits is present (`-5`, `+5`, `1.5`).
    static func delaySeconds(_ text: String) -> Int64? {
        DecimalDigits.value(of: text.utf8).map { Int64(clamping: $0) }
    }

    /// Any of the three HTTP-date forms RFC 9110 §5.6.7 says a recipient MUST accept: IMF-fixdate
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`)
    /// and asctime (`Sun Nov  6 08:49:37 1994`). nil for anything else.
    static func parseHTTPDate(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        if parts.count == 6, parts[0].hasSuffix(","), weekdays.contains(String(parts[0].dropLast())), parts[5] == "GMT" {
            return timestamp(day: parts[1], digits: 2...2, month: parts[2], year: parts[3], yearDigits: 4, clock: parts[4])
        }
        if parts.count == 4, parts[0].hasSuffix(","), longWeekdays.contains(String(parts[0].dropLast())), parts[3] == "GMT" {
            let date = parts[1].split(separator: "-", omittingEmptySubsequences: false)
            guard date.count == 3 else { return nil }
            // RFC 9110: a two-digit year more than 50 years in the future means the past century;
            // read against the protocol's own era (1970-2069) rather than the clock, which is an input too.
            return timestamp(day: date[0], digits: 2...2, month: date[1], year: date[2], yearDigits: 2, clock: parts[2])
        }
        if parts.count == 5, weekdays.contains(String(parts[0])) {
            return timestamp(day: parts[2], digits: 1...2, month: parts[1], year: parts[4], yearDigits: 4, clock: parts[3])
        }
        return nil
    }

    private static func timestamp(
        day dayText: Substring, digits: ClosedRange<Int>, month monthText: Substring, year yearText: Substring,
        yearDigits: Int, clock: Substring
    ) -> Timestamp? {
        let clockParts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard let day = number(dayText, digits: digits), (1...31).contains(day),
            let monthIndex = months.firstIndex(of: String(monthText)),
            var year = number(yearText, digits: yearDigits...yearDigits),
            clockParts.count == 3,
            let hour = number(clockParts[0], digits: 2...2), (0...23).contains(hour),
            let minute = number(clockParts[1], digits: 2...2), (0...59).contains(minute),
            let second = number(clockParts[2], digits: 2...2), (0...60).contains(second)
        else { return nil }
        if yearDigits == 2 { year += year < 70 ? 2000 : 1900 }
        guard year >= 1970 else { return nil }
        // year ≤ 9999 (four digits), so days and seconds fit Int64 with room to spare; only the
        // nanoseconds can pass UInt64 (from the year 2554 on), and they saturate.
        let days = Int64(daysSinceEpoch(year: year, month: monthIndex + 1, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let (nanoseconds, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return Timestamp(nanosecondsSinceEpoch: overflow ? .max : nanoseconds)
    }

    /// A run of `digits` ASCII digits (never more than four here), else nil.
    private static func number(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.utf8.count) else { return nil }
        return DecimalDigits.value(of: text.utf8).map { Int($0) }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    /// Callers pass years of at most four digits.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " || scalars.first == "\t" { scalars = scalars.dropFirst() }
        while scalars.last == " " || scalars.last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
