import TelemetryCore

/// Every decision `URLSessionHTTPClient`'s delegate makes, as plain functions of plain values, so the
/// unit tests run them on Linux — where URLSession never raises the challenges Apple platforms raise on
/// every TLS handshake. The delegate only translates Foundation's types into these values and back.
///
/// Why this exists: a delegate that answered *every* challenge with "cancel" compiled and passed every
/// Linux test, and on Apple platforms cancelled each HTTPS handshake's server-trust challenge, so no
/// request to the default `https://` endpoint could ever succeed (security review, issue #22).
package enum URLSessionDecisions {
    /// How the delegate answers an authentication challenge; each case names the
    /// `URLSession.AuthChallengeDisposition` it becomes.
    package enum ChallengeAnswer: Sendable, Equatable {
        /// `.performDefaultHandling`: the system does what it would without a delegate.
        case performDefaultHandling
        /// `.cancelAuthenticationChallenge`: the task ends; its failure response (a 401 or 407) is kept.
        case cancel
    }

    /// The answer to a challenge of `authenticationMethod` (the value of
    /// `challenge.protectionSpace.authenticationMethod`, compared by its documented string value).
    ///
    /// - Server trust (`NSURLAuthenticationMethodServerTrust`, raised on every TLS handshake on Apple
    ///   platforms): default handling, which evaluates the chain against the system's trust store and
    ///   App Transport Security — Apple, "Performing Manual Server Trust Authentication": "If you don't
    ///   need to perform custom evaluation, … call the completion handler with
    ///   `URLSession.AuthChallengeDisposition.performDefaultHandling`". Cancelling it refused every HTTPS
    ///   connection.
    /// - Client certificate (`NSURLAuthenticationMethodClientCertificate`, a server asking for mutual
    ///   TLS): default handling. The session has no credential storage, so no identity is offered and the
    ///   handshake goes on without one; a server that requires one fails it as a TLS error the exporter
    ///   reports. Cancelling would hide that reason behind "cancelled".
    /// - Every HTTP or proxy authentication scheme (Basic, Digest, NTLM, Negotiate, HTML form, and any
    ///   scheme added later): cancel. Credentials travel only in the headers the exporter was configured
    ///   with; the SDK never answers a server's request for credentials, and the 401/407 response is
    ///   returned to the exporter, which classifies it as a permanent failure.
    package static func answer(toChallengeWithMethod authenticationMethod: String) -> ChallengeAnswer {
        switch authenticationMethod {
        case serverTrust, clientCertificate: .performDefaultHandling
        default: .cancel
        }
    }

    /// `NSURLAuthenticationMethodServerTrust`'s value on every Apple platform and in swift-corelibs-foundation.
    package static let serverTrust = "NSURLAuthenticationMethodServerTrust"
    /// `NSURLAuthenticationMethodClientCertificate`'s value.
    package static let clientCertificate = "NSURLAuthenticationMethodClientCertificate"

    /// Whether to follow a redirect: never. A telemetry body (and its credential headers) goes only to
    /// the URL the user configured; the 3xx response reaches the exporter as it is (Apple,
    /// `urlSession(_:task:willPerformHTTPRedirection:newRequest:completionHandler:)`: "pass nil to the
    /// completion handler … the body of the redirection response is delivered").
    package static func followsRedirect(fromStatus status: Int, to location: String?) -> Bool { false }

    /// What a finished task returns to the caller.
    ///
    /// - A response with a status is returned as an ordinary response when the task ended without an
    ///   error, when the body was cut at the cap (the delegate cancelled the task itself), or when the
    ///   task ended because a 401/407 challenge was cancelled (the exporter needs the status).
    /// - Otherwise the transport error, classified.
    package static func outcome(
        status: Int?, headers: [(name: String, value: String)], body: [UInt8], bodyWasCut: Bool,
        error: HTTPClientError?
    ) -> Result<HTTPResponse, HTTPClientError> {
        if let status, status > 0, error == nil || bodyWasCut || status == 401 || status == 407 {
            var fields: [String: String] = [:]
            // Header names are case-insensitive (RFC 9110 §5.1); the first value of a repeated name wins,
            // as in the libcurl transport.
            for header in headers where fields[header.name.lowercased()] == nil {
                fields[header.name.lowercased()] = header.value
            }
            return .success(HTTPResponse(status: status, headers: fields, body: body))
        }
        return .failure(error ?? .other("no response"))
    }
}
