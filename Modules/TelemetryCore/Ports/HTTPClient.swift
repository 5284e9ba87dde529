/// Port: one HTTP exchange. Adapters: `CurlHTTPClient` (Linux) and `URLSessionHTTPClient` (TelemetryHTTP), in-memory fakes.
///
/// Contract: `send` performs exactly one request (no automatic retries, redirects not followed for
/// POST), honours `request.timeout` for the whole exchange, and throws `HTTPClientError` for
/// transport failures. Any response that arrives, whatever its status, is returned, not thrown.
/// Whatever the server sends, an implementation holds a bounded number of response bytes (a longer
/// body is cut, its status still returned) and returns promptly when the calling task is cancelled.
public protocol HTTPClient: Sendable {
    /// Sends `request` and returns the response, or throws `HTTPClientError`.
    func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse
}

/// An HTTP request, independent of any networking library.
public struct HTTPRequest: Sendable, Hashable {
    /// `POST` for every export.
    public var method: String
    /// Absolute URL, e.g. `https://collector.example.com/v1/traces`.
    public var url: String
    /// Header fields in order; names compared case-insensitively by servers.
    public var headers: [HTTPHeader]
    /// The exact bytes to send.
    public var body: [UInt8]
    /// Limit for the whole exchange, connection included.
    public var timeout: Duration

    /// Creates a request.
    public init(method: String = "POST", url: String, headers: [HTTPHeader] = [], body: [UInt8] = [], timeout: Duration) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One header field.
public struct HTTPHeader: Sendable, Hashable {
    /// The header name (case-insensitive on the wire).
    public var name: String
    /// The header value (never CR, LF or NUL: clients refuse those).
    public var value: String

    /// Creates a header field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension HTTPHeader {
    /// Whether `name` is a header only the transport may set: those that frame the message (`Host`,
    /// `Content-Length`, `Transfer-Encoding`, `Trailer`) and the hop-by-hop ones (RFC 9110 §7.6.1:
    /// `Connection`, `Keep-Alive`, `Proxy-Connection`, `TE`, `Upgrade`; and `Expect`). A value set from
    /// configuration would desynchronise the request from its body or reach a proxy as an instruction;
    /// every transport drops them and the configuration refuses them. Case-insensitive.
    package static func isTransportControlled(_ name: String) -> Bool {
        transportControlled.contains(name.lowercased())
    }

    /// Whether a header named `name` may come from configuration (code or environment): not a
    /// transport-controlled one, and not the representation headers the exporter derives from the body it
    /// encodes (`Content-Type`, `Content-Encoding`), nor `Proxy-Authorization`, which belongs to a proxy.
    package static func isAllowedFromConfiguration(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return !transportControlled.contains(lowered) && !["content-type", "content-encoding", "proxy-authorization"].contains(lowered)
    }

    private static let transportControlled: Set<String> = [
        "host", "content-length", "transfer-encoding", "trailer", "connection", "keep-alive", "proxy-connection", "te",
        "upgrade", "expect",
    ]
}

/// An HTTP response.
public struct HTTPResponse: Sendable, Hashable {
    /// The HTTP status code.
    public var status: Int
    /// Header fields, names lower-cased.
    public var headers: [String: String]
    /// The response body, at most the client's cap (64 KiB); longer answers are cut.
    public var body: [UInt8]

    /// Creates a response; header names are lower-cased.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    /// The value of header `name` (any case).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why a request produced no response.
public enum HTTPClientError: Error, Sendable, Hashable {
    /// The exchange took longer than the request's timeout.
    case timedOut
    /// No connection could be made (refused, DNS failure, unreachable).
    case connectionFailed(String)
    /// TLS negotiation failed (certificate, protocol).
    case tlsFailure(String)
    /// The URL could not be used.
    case invalidURL(String)
    /// The task was cancelled (shutdown deadline).
    case cancelled
    /// Anything else the transport reported.
    case other(String)
}
