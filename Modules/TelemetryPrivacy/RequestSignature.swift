import TelemetryCore

/// Request signing, webhook style: `X-Automagik-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, the MAC
/// taken over `"<t>."` followed by the exact request body bytes (compressed, as sent). A receiver holding
/// the key recomputes it, compares in constant time, and refuses timestamps outside its window, so a
/// captured request cannot be altered, and can be replayed only within that window.
///
/// What it does not do: keep a key secret that ships inside an app. Anyone who can read the app's
/// binary or memory can sign. It authenticates installations you control (servers, CI, internal tools)
/// and detects tampering on the way; it is not client attestation.
package enum RequestSignature {
    /// The header carrying the signature.
    package static let headerName = "X-Automagik-Signature"

    /// Why a signature was not accepted.
    package enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not `t=<seconds>,v1=<64 hex digits>`.
        case malformed
        /// The MAC does not match the body under the key (altered, or another key).
        case mismatch
        /// Signed more than the tolerance away from now (a replay, or a skewed clock).
        case outsideWindow(ageSeconds: Int64)

        /// Why the signature was refused, in words.
        package var description: String {
            switch self {
            case .malformed: "malformed signature (expected t=<unix seconds>,v1=<64 hex digits>)"
            case .mismatch: "signature does not match the body (altered, or signed with another key)"
            case .outsideWindow(let age): "signed \(age) s from now, outside the replay window"
            }
        }
    }

    /// The header value for `body` signed with `key` at `time`.
    package static func value(body: [UInt8], key: [UInt8], at time: Timestamp) -> String {
        let seconds = time.nanosecondsSinceEpoch / 1_000_000_000
        return "t=\(seconds),v1=" + HexEncoding.hex(mac(body: body, key: key, seconds: seconds))
    }

    /// Checks `header` against `body` and `key`, accepting signatures made within `tolerance` of `now`
    /// (either way: clocks drift).
    package static func verify(
        _ header: String, body: [UInt8], key: [UInt8], now: Timestamp, tolerance: Duration = .seconds(300)
    ) -> Result<Void, Failure> {
        var seconds: UInt64?
        var given: [UInt8]?
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return .failure(.malformed) }
            switch pair[0].trimmingSpaces {
            case "t": seconds = DecimalDigits.value(of: pair[1].trimmingSpaces.utf8)
            case "v1": given = hexBytes(pair[1].trimmingSpaces)
            default: continue  // later versions may add fields
            }
        }
        guard let seconds, let given, given.count == 32 else { return .failure(.malformed) }
        let expected = mac(body: body, key: key, seconds: seconds)
        // Constant time: every byte compared whatever the first difference.
        guard zip(expected, given).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return .failure(.mismatch) }
        // `t` comes from the request: a validly signed `t` above Int64.max trapped here (review #22).
        // Saturate, and compare magnitudes (abs(Int64.min) traps too).
        let (age, overflow) = Int64(clamping: now.nanosecondsSinceEpoch / 1_000_000_000).subtractingReportingOverflow(Int64(clamping: seconds))
        let clampedAge = overflow ? Int64.min : age
        let limit = tolerance.components.seconds
        guard clampedAge.magnitude <= limit.magnitude else { return .failure(.outsideWindow(ageSeconds: clampedAge)) }
        return .success(())
    }

    private static func mac(body: [UInt8], key: [UInt8], seconds: UInt64) -> [UInt8] {
        HMACSHA256.authenticate(Array("\(seconds).".utf8) + body, key: key)
    }

    private static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
