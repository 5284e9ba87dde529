import TelemetryCore

/// Request signing, webhook style: `X-Automagik-Signature: t=<unix seconds>,n=<nonce>,v1=<hex>,v2=<hex>`.
///
/// - `v2` (what a receiver should check): HMAC-SHA256 under the key of
///   `"v2\n<t>\n<n>\n<METHOD>\n<path and query>\n<Content-Type>\n<Content-Encoding>\n"` followed by the
///   exact body bytes as sent. The method, path and the two content headers are covered, so a captured
///   body cannot be replayed to another signal's endpoint or re-labelled (gzip as plain, JSON as
///   protobuf); the nonce (16 random bytes, hex) lets a receiver refuse a request it has already seen
///   inside the time window.
/// - `v1` (kept for receivers written against the first version): HMAC-SHA256 of `"<t>."` + body. It
///   covers the body only; `verify` accepts it alone only when asked to.
///
/// A receiver holding the key recomputes the MAC, compares in constant time, refuses timestamps outside
/// its window and nonces it has seen. What it does not do: keep a key secret that ships inside an app.
/// Anyone who can read the app's binary or memory can sign. It authenticates installations you control
/// (servers, CI, internal tools) and detects tampering on the way; it is not client attestation.
package enum RequestSignature {
    /// The header carrying the signature.
    package static let headerName = "X-Automagik-Signature"

    /// What a v2 signature covers besides the body: the request line and the content headers.
    package struct Request: Sendable, Hashable {
        /// `POST`.
        package var method: String
        /// The request target: path and query (`/v1/traces`), as the receiver sees it.
        package var path: String
        /// The `Content-Type` header's value, `""` when absent.
        package var contentType: String
        /// The `Content-Encoding` header's value, `""` when absent.
        package var contentEncoding: String
        /// The exact body bytes as sent.
        package var body: [UInt8]

        /// Creates a request description.
        package init(method: String, path: String, contentType: String, contentEncoding: String, body: [UInt8]) {
            self.method = method
            self.path = path
            self.contentType = contentType
            self.contentEncoding = contentEncoding
            self.body = body
        }

        /// The parts of `request` a signature covers (its URL's path and query, its content headers).
        package init(_ request: HTTPRequest) {
            self.init(
                method: request.method, path: Self.target(of: request.url),
                contentType: request.header("content-type") ?? "", contentEncoding: request.header("content-encoding") ?? "",
                body: request.body)
        }

        /// `/path?query` of an absolute URL (`/` when it has none); the fragment is not sent, so not signed.
        static func target(of url: String) -> String {
            var rest = Substring(url)
            if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            var target = rest[slash...]
            if let fragment = target.firstIndex(of: "#") { target = target[..<fragment] }
            return target.first == "?" ? "/" + target : String(target)
        }
    }

    /// A signature that verified: the nonce, for a receiver that refuses repeats.
    package struct Verified: Sendable, Hashable {
        /// The `n` field (hex), or nil for a v1-only signature.
        package var nonce: String?
        /// Whether the v2 MAC (request line and content headers included) was checked.
        package var coversRequest: Bool
    }

    /// Why a signature was not accepted.
    package enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not `t=<seconds>,n=<nonce>,v2=<64 hex digits>` (or `t=…,v1=…`).
        case malformed
        /// The MAC does not match the request under the key (altered, or another key).
        case mismatch
        /// Signed more than the tolerance away from now (a replay, or a skewed clock).
        case outsideWindow(ageSeconds: Int64)
        /// Only a v1 MAC, which covers the body alone, and v1 was not allowed.
        case bodyOnly

        /// Why the signature was refused, in words.
        package var description: String {
            switch self {
            case .malformed: "malformed signature (expected t=<unix seconds>,n=<nonce>,v2=<64 hex digits>)"
            case .mismatch: "signature does not match the request (altered, or signed with another key)"
            case .outsideWindow(let age): "signed \(age) s from now, outside the replay window"
            case .bodyOnly: "only a v1 signature, which covers the body alone (method, path and headers unsigned)"
            }
        }
    }

    /// The header value for `request` signed with `key` at `time` with `nonce` (16 random bytes).
    package static func value(for request: Request, key: [UInt8], at time: Timestamp, nonce: [UInt8]) -> String {
        let seconds = time.nanosecondsSinceEpoch / 1_000_000_000
        let nonceText = HexEncoding.hex(nonce)
        return "t=\(seconds),n=\(nonceText),v1=" + HexEncoding.hex(bodyMAC(body: request.body, key: key, seconds: seconds))
            + ",v2=" + HexEncoding.hex(requestMAC(request, key: key, seconds: seconds, nonce: nonceText))
    }

    /// Checks `header` against `request` and `key`, accepting signatures made within `tolerance` of
    /// `now` (either way: clocks drift). A header with `v2` is checked by it; one with only `v1` is
    /// refused as `.bodyOnly` unless `allowBodyOnly`.
    package static func verify(
        _ header: String, request: Request, key: [UInt8], now: Timestamp, tolerance: Duration = .seconds(300),
        allowBodyOnly: Bool = false
    ) -> Result<Verified, Failure> {
        var seconds: UInt64?
        var nonce: String?
        var bodyOnly: [UInt8]?
        var whole: [UInt8]?
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return .failure(.malformed) }
            let value = pair[1].trimmingSpaces
            switch pair[0].trimmingSpaces {
            case "t": seconds = DecimalDigits.value(of: value.utf8)
            case "n": nonce = hexBytes(value).map { _ in String(value) }
            case "v1": bodyOnly = hexBytes(value)
            case "v2": whole = hexBytes(value)
            default: continue  // later versions may add fields
            }
        }
        guard let seconds else { return .failure(.malformed) }
        let verified: Verified
        if let whole {
            guard let nonce, whole.count == 32 else { return .failure(.malformed) }
            guard equalInConstantTime(requestMAC(request, key: key, seconds: seconds, nonce: nonce), whole) else {
                return .failure(.mismatch)
            }
            verified = Verified(nonce: nonce, coversRequest: true)
        } else if let bodyOnly, bodyOnly.count == 32 {
            guard allowBodyOnly else { return .failure(.bodyOnly) }
            guard equalInConstantTime(bodyMAC(body: request.body, key: key, seconds: seconds), bodyOnly) else {
                return .failure(.mismatch)
            }
            verified = Verified(nonce: nonce, coversRequest: false)
        } else {
            return .failure(.malformed)
        }
        // `t` comes from the request: a validly signed `t` above Int64.max trapped here (review #22).
        // Saturate, and compare magnitudes (abs(Int64.min) traps too).
        let (age, overflow) = Int64(clamping: now.nanosecondsSinceEpoch / 1_000_000_000).subtractingReportingOverflow(Int64(clamping: seconds))
        let clampedAge = overflow ? Int64.min : age
        guard clampedAge.magnitude <= tolerance.components.seconds.magnitude else { return .failure(.outsideWindow(ageSeconds: clampedAge)) }
        return .success(verified)
    }

    /// Every byte compared whatever the first difference.
    private static func equalInConstantTime(_ expected: [UInt8], _ given: [UInt8]) -> Bool {
        expected.count == given.count && zip(expected, given).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
    }

    private static func bodyMAC(body: [UInt8], key: [UInt8], seconds: UInt64) -> [UInt8] {
        HMACSHA256.authenticate(Array("\(seconds).".utf8) + body, key: key)
    }

    private static func requestMAC(_ request: Request, key: [UInt8], seconds: UInt64, nonce: String) -> [UInt8] {
        let line = "v2\n\(seconds)\n\(nonce)\n\(request.method)\n\(request.path)\n\(request.contentType)\n\(request.contentEncoding)\n"
        return HMACSHA256.authenticate(Array(line.utf8) + request.body, key: key)
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
