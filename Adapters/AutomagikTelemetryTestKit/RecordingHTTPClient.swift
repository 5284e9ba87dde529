@_spi(Internals) import TelemetryCore

/// An `HTTPClient` that records every request and response, passing them through to a real client —
/// or answering from a script when no client is given.
public final class RecordingHTTPClient: HTTPClient {
    /// One exchange: the request and what came back (a response or a transport error).
    public struct Exchange: Sendable {
        /// The request as the exporter built it.
        public let request: HTTPRequest
        /// What the exporter was answered.
        public let result: Result<HTTPResponse, HTTPClientError>
    }

    private let upstream: (any HTTPClient)?
    private let state = LockedBox<(exchanges: [Exchange], script: [Result<HTTPResponse, HTTPClientError>])>(([], []))

    /// Records around `upstream`; with nil, answers from `script(_:)` and then 200.
    public init(wrapping upstream: (any HTTPClient)? = nil) {
        self.upstream = upstream
    }

    /// Queues answers used (in order) when there is no upstream client.
    public func script(_ results: [Result<HTTPResponse, HTTPClientError>]) {
        state.withLock { $0.script.append(contentsOf: results) }
    }

    /// Records `request` and answers with the next scripted result, else the wrapped client's answer, else 200.
    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let result: Result<HTTPResponse, HTTPClientError>
        if let upstream {
            do { result = .success(try await upstream.send(request)) } catch { result = .failure(error) }
        } else {
            result = state.withLock { $0.script.isEmpty ? .success(HTTPResponse(status: 200)) : $0.script.removeFirst() }
        }
        state.withLock { $0.exchanges.append(Exchange(request: request, result: result)) }
        return try result.get()
    }

    /// Every exchange so far, in order.
    public var exchanges: [Exchange] { state.withLock { $0.exchanges } }
    /// Every request so far, in order.
    public var requests: [HTTPRequest] { exchanges.map(\.request) }
}
