import Foundation
import TelemetryCore
@testable import TelemetryHTTP
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Apple transport's decisions, run here on Linux (where URLSession never raises server-trust
/// challenges, so the delegate itself cannot be exercised the way an iPhone exercises it).
@Suite struct URLSessionDecisionsTests {
    /// Review #22, high finding 2: every challenge was cancelled, server trust included, so on Apple
    /// platforms no HTTPS handshake could complete.
    @Test func serverTrustChallengesGetTheSystemsDefaultEvaluation() {
        #expect(URLSessionDecisions.answer(toChallengeWithMethod: "NSURLAuthenticationMethodServerTrust") == .performDefaultHandling)
    }

    @Test func clientCertificateChallengesGoOnWithoutAnIdentity() {
        #expect(URLSessionDecisions.answer(toChallengeWithMethod: "NSURLAuthenticationMethodClientCertificate") == .performDefaultHandling)
    }

    @Test(arguments: [
        NSURLAuthenticationMethodHTTPBasic, NSURLAuthenticationMethodHTTPDigest, NSURLAuthenticationMethodNTLM,
        NSURLAuthenticationMethodNegotiate, NSURLAuthenticationMethodHTMLForm, NSURLAuthenticationMethodDefault,
        "NSURLAuthenticationMethodSomethingNew", "",
    ])
    func requestsForCredentialsAreNeverAnswered(method: String) {
        #expect(URLSessionDecisions.answer(toChallengeWithMethod: method) == .cancel)
    }

    /// The decisions compare against the constants' documented string values (Apple's
    /// `NSURLProtectionSpace` authentication method constants; swift-corelibs-foundation marks the
    /// server-trust and client-certificate ones unavailable, so their values are written out here). The
    /// constants Linux does have must carry the same spelling.
    @Test func methodNamesAreFoundationsSpelling() {
        #expect(URLSessionDecisions.serverTrust == "NSURLAuthenticationMethodServerTrust")
        #expect(URLSessionDecisions.clientCertificate == "NSURLAuthenticationMethodClientCertificate")
        #expect(NSURLAuthenticationMethodHTTPDigest == "NSURLAuthenticationMethodHTTPDigest")
        #expect(NSURLAuthenticationMethodNTLM == "NSURLAuthenticationMethodNTLM")
    }

    @Test(arguments: [301, 302, 303, 307, 308])
    func redirectsAreNeverFollowed(status: Int) {
        #expect(!URLSessionDecisions.followsRedirect(fromStatus: status, to: "https://elsewhere.example/v1/traces"))
    }

    @Test func aCompletedTaskReturnsItsResponseWithCaseInsensitiveHeaders() throws {
        let outcome = URLSessionDecisions.outcome(
            status: 503, headers: [("Retry-After", "7"), ("retry-after", "9"), ("Content-Type", "text/plain")], body: [1, 2],
            bodyWasCut: false, error: nil)
        let response = try outcome.get()
        #expect(response.status == 503)
        #expect(response.header("retry-after") == "7")
        #expect(response.header("content-type") == "text/plain")
        #expect(response.body == [1, 2])
    }

    @Test func aCutBodyStillReturnsTheStatus() throws {
        let outcome = URLSessionDecisions.outcome(status: 200, headers: [], body: [0], bodyWasCut: true, error: .cancelled)
        #expect(try outcome.get().status == 200)
    }

    @Test(arguments: [401, 407])
    func aCancelledCredentialChallengeReturnsItsStatus(status: Int) throws {
        let outcome = URLSessionDecisions.outcome(status: status, headers: [], body: [], bodyWasCut: false, error: .cancelled)
        #expect(try outcome.get().status == status)
    }

    @Test func transportErrorsWithoutAResponseAreReturnedAsErrors() {
        let refused = URLSessionDecisions.outcome(status: nil, headers: [], body: [], bodyWasCut: false, error: .timedOut)
        #expect(throws: HTTPClientError.timedOut) { try refused.get() }
        let failedMidway = URLSessionDecisions.outcome(status: 200, headers: [], body: [], bodyWasCut: false, error: .cancelled)
        #expect(throws: HTTPClientError.cancelled) { try failedMidway.get() }
        let nothing = URLSessionDecisions.outcome(status: nil, headers: [], body: [], bodyWasCut: false, error: nil)
        #expect(throws: HTTPClientError.other("no response")) { try nothing.get() }
    }

    /// The URLError codes URLSession reports, classified as the libcurl transport classifies its own.
    @Test func transportErrorsAreClassified() {
        #expect(URLSessionHTTPClient.classify(URLError(.timedOut)) == .timedOut)
        #expect(URLSessionHTTPClient.classify(URLError(.cancelled)) == .cancelled)
        #expect(URLSessionHTTPClient.classify(CancellationError()) == .cancelled)
        guard case .connectionFailed = URLSessionHTTPClient.classify(URLError(.cannotConnectToHost)) else {
            Issue.record("refused connections are connection failures")
            return
        }
        guard case .tlsFailure = URLSessionHTTPClient.classify(URLError(.serverCertificateUntrusted)) else {
            Issue.record("untrusted certificates are TLS failures")
            return
        }
        guard case .invalidURL = URLSessionHTTPClient.classify(URLError(.unsupportedURL)) else {
            Issue.record("unsupported URLs are invalid URLs")
            return
        }
    }
}
