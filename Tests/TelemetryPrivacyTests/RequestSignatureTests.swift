import Foundation
import Testing
import TelemetryCore
import TelemetryPrivacy

@Suite struct RequestSignatureTests {
    private let key = Array("a-signing-key-of-32-bytes-length".utf8)
    private let body = Array("{\"resourceSpans\":[]}".utf8)
    private let time = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_123_456_789)

    @Test func aSignatureVerifiesAgainstItsBodyAndKey() throws {
        let header = RequestSignature.value(body: body, key: key, at: time)
        #expect(header.hasPrefix("t=1700000000,v1=") && header.count == "t=1700000000,v1=".count + 64)
        #expect(throws: Never.self) { try RequestSignature.verify(header, body: body, key: key, now: time).get() }
    }

    @Test func theMACIsHMACSHA256OfTheTimestampDotBody() {
        // An independent computation of the documented construction: HMAC-SHA256(key, "<t>." + body).
        let expected = HMACSHA256.authenticate(Array("1700000000.".utf8) + body, key: key)
        let hex = expected.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        #expect(RequestSignature.value(body: body, key: key, at: time) == "t=1700000000,v1=\(hex)")
    }

    /// Review #22 (low): `verify` trapped on a validly signed `t` above Int64.max.
    @Test(arguments: [UInt64(Int64.max) + 1, UInt64.max, UInt64(Int64.max), 0])
    func extremeSignedTimestampsAreRefusedNotTrapped(seconds: UInt64) {
        let mac = HMACSHA256.authenticate(Array("\(seconds).".utf8) + body, key: key)
        let hex = mac.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        for tolerance in [Duration.seconds(300), .seconds(Int64.max), .seconds(-5)] {
            let result = RequestSignature.verify("t=\(seconds),v1=\(hex)", body: body, key: key, now: time, tolerance: tolerance)
            if case .failure(.outsideWindow) = result { continue }
            #expect(tolerance == .seconds(Int64.max), "only an endless window accepts t=\(seconds): \(result)")
        }
    }

    @Test func tamperingAnotherKeyAndReplaysAreRefused() {
        let header = RequestSignature.value(body: body, key: key, at: time)
        var altered = body
        altered[2] ^= 1
        #expect(RequestSignature.verify(header, body: altered, key: key, now: time) == .failure(.mismatch))
        #expect(RequestSignature.verify(header, body: body, key: Array("another-key-another-key".utf8), now: time) == .failure(.mismatch))
        let later = time.advanced(by: .seconds(301))
        #expect(RequestSignature.verify(header, body: body, key: key, now: later) == .failure(.outsideWindow(ageSeconds: 301)))
        #expect(RequestSignature.verify(header, body: body, key: key, now: later, tolerance: .seconds(600)) == .success(()))
        let forged = header.replacingOccurrences(of: "t=1700000000", with: "t=1700000301")
        #expect(RequestSignature.verify(forged, body: body, key: key, now: later) == .failure(.mismatch), "the time is signed too")
    }

    @Test(arguments: ["", "t=1", "v1=00", "t=x,v1=" + String(repeating: "0", count: 64), "t=1,v1=zz", "t=1,v1=" + String(repeating: "0", count: 62)])
    func malformedHeadersAreRefused(header: String) {
        #expect(RequestSignature.verify(header, body: body, key: key, now: time) == .failure(.malformed))
    }
}

extension Result where Success == Void, Failure == RequestSignature.Failure {
    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.success, .success): true
        case (.failure(let a), .failure(let b)): a == b
        default: false
        }
    }
}
