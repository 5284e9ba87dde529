/// Reads a run of ASCII decimal digits that came from outside the process (a header, a server's
/// answer, a file) without ever trapping: the value saturates at `UInt64.max`. Every parser of outside
/// numbers reads digits through this one function, so "arithmetic on outside numbers saturates" is a
/// property of one place, not of each caller.
package enum DecimalDigits {
    /// The value of `digits` when it is one or more ASCII digits and nothing else (no sign, no space),
    /// saturating at `UInt64.max`; nil otherwise.
    package static func value(of digits: some Collection<UInt8>) -> UInt64? {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (scaled, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = scaled.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            value = overflow || overflow2 ? .max : sum
        }
        return value
    }
}
