import Foundation
import Testing
import TelemetryCore
import TelemetryPrivacy

@Suite struct RequestSignatureTests {
    private let key = Array("a-signing-key-of-32-bytes-length".utf8)
    private let body = Array("{\"resourceSpans\":[]}".utf8)
    private let time = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_123_456_789)
    private let nonce: [UInt8] = Array(0..<16)
    private var request: RequestSignature.Request {
        RequestSignature.Request(method: "POST", path: "/v1/traces", contentType: "application/json", contentEncoding: "gzip", body: body)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    }

    @Test func aSignatureVerifiesAgainstItsRequestAndKey() throws {
        let header = RequestSignature.value(for: request, key: key, at: time, nonce: nonce)
        #expect(header.hasPrefix("t=1700000000,n=000102030405060708090a0b0c0d0e0f,v1="))
        let verified = try RequestSignature.verify(header, request: request, key: key, now: time).get()
        #expect(verified.coversRequest)
        #expect(verified.nonce == "000102030405060708090a0b0c0d0e0f")
    }

    @Test func theMACsAreTheDocumentedConstructions() {
        // Independent computations: v1 = HMAC(key, "<t>." + body); v2 = HMAC(key, "v2\n<t>\n<n>\n<METHOD>\n<path>\n<type>\n<encoding>\n" + body).
        let v1 = HMACSHA256.authenticate(Array("1700000000.".utf8) + body, key: key)
        let line = "v2\n1700000000\n000102030405060708090a0b0c0d0e0f\nPOST\n/v1/traces\napplication/json\ngzip\n"
        let v2 = HMACSHA256.authenticate(Array(line.utf8) + body, key: key)
        #expect(
            RequestSignature.value(for: request, key: key, at: time, nonce: nonce)
                == "t=1700000000,n=000102030405060708090a0b0c0d0e0f,v1=\(Self.hex(v1)),v2=\(Self.hex(v2))")
    }

    /// Review #22 (low): the MAC covered neither the path nor the content headers, so a captured body
    /// could be replayed to another signal's endpoint or re-labelled.
    @Test func methodPathAndContentHeadersAreCovered() {
        let header = RequestSignature.value(for: request, key: key, at: time, nonce: nonce)
        var other = [request, request, request, request]
        other[0].path = "/v1/logs"
        other[1].contentType = "application/x-protobuf"
        other[2].contentEncoding = ""
        other[3].method = "PUT"
        for changed in other {
            #expect(RequestSignature.verify(header, request: changed, key: key, now: time) == .failure(.mismatch))
        }
        let forgedNonce = header.replacingOccurrences(of: "n=00", with: "n=ff")
        #expect(RequestSignature.verify(forgedNonce, request: request, key: key, now: time) == .failure(.mismatch), "the nonce is signed")
    }

    @Test func tamperingAnotherKeyAndReplaysAreRefused() throws {
        let header = RequestSignature.value(for: request, key: key, at: time, nonce: nonce)
        var altered = request
        altered.body[2] ^= 1
        #expect(RequestSignature.verify(header, request: altered, key: key, now: time) == .failure(.mismatch))
        #expect(
            RequestSignature.verify(header, request: request, key: Array("another-key-another-key".utf8), now: time) == .failure(.mismatch))
        let later = time.advanced(by: .seconds(301))
        #expect(RequestSignature.verify(header, request: request, key: key, now: later) == .failure(.outsideWindow(ageSeconds: 301)))
        #expect(throws: Never.self) { try RequestSignature.verify(header, request: request, key: key, now: later, tolerance: .seconds(600)).get() }
        let forged = header.replacingOccurrences(of: "t=1700000000", with: "t=1700000301")
        #expect(RequestSignature.verify(forged, request: request, key: key, now: later) == .failure(.mismatch), "the time is signed too")
    }

    /// A receiver written against v1 (HMAC of "<t>." + body) keeps working; `verify` accepts a v1-only
    /// header only when asked to, since it leaves the request line and headers unsigned.
    @Test func bodyOnlySignaturesNeedConsent() throws {
        let v1 = Self.hex(HMACSHA256.authenticate(Array("1700000000.".utf8) + body, key: key))
        let header = "t=1700000000,v1=\(v1)"
        #expect(RequestSignature.verify(header, request: request, key: key, now: time) == .failure(.bodyOnly))
        let verified = try RequestSignature.verify(header, request: request, key: key, now: time, allowBodyOnly: true).get()
        #expect(!verified.coversRequest)
        var altered = request
        altered.body[0] ^= 1
        #expect(RequestSignature.verify(header, request: altered, key: key, now: time, allowBodyOnly: true) == .failure(.mismatch))
    }

    @Test(arguments: ["http://h:4318/v1/traces", "https://h/v1/traces#frag", "http://h/v1/traces?x=1", "http://h", "http://h?x=1"])
    func theSignedPathIsTheRequestTarget(url: String) throws {
        let expected = [
            "http://h:4318/v1/traces": "/v1/traces", "https://h/v1/traces#frag": "/v1/traces", "http://h/v1/traces?x=1": "/v1/traces?x=1",
            "http://h": "/", "http://h?x=1": "/?x=1",
        ][url]
        #expect(RequestSignature.Request(HTTPRequest(url: url, timeout: .seconds(1))).path == expected)
    }

    /// Review #22 (low): `verify` trapped on a validly signed `t` above Int64.max.
    @Test(arguments: [UInt64(Int64.max) + 1, UInt64.max, UInt64(Int64.max), 0])
    func extremeSignedTimestampsAreRefusedNotTrapped(seconds: UInt64) {
        let mac = HMACSHA256.authenticate(Array("\(seconds).".utf8) + body, key: key)
        for tolerance in [Duration.seconds(300), .seconds(Int64.max), .seconds(-5)] {
            let result = RequestSignature.verify(
                "t=\(seconds),v1=\(Self.hex(mac))", request: request, key: key, now: time, tolerance: tolerance, allowBodyOnly: true)
            if case .failure(.outsideWindow) = result { continue }
            #expect(tolerance == .seconds(Int64.max), "only an endless window accepts t=\(seconds): \(result)")
        }
    }

    @Test(arguments: [
        "", "t=1", "v1=00", "t=x,v1=" + String(repeating: "0", count: 64), "t=1,v1=zz", "t=1,v1=" + String(repeating: "0", count: 62),
        "t=1,v2=" + String(repeating: "0", count: 64), "t=1,n=zz,v2=" + String(repeating: "0", count: 64),
        "t=1,n=00,v2=" + String(repeating: "0", count: 62), "t=-1,n=00,v2=" + String(repeating: "0", count: 64),
    ])
    func malformedHeadersAreRefused(header: String) {
        #expect(RequestSignature.verify(header, request: request, key: key, now: time) == .failure(.malformed))
    }
}

extension Result where Success == RequestSignature.Verified, Failure == RequestSignature.Failure {
    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.success(let a), .success(let b)): a == b
        case (.failure(let a), .failure(let b)): a == b
        default: false
        }
    }
}
