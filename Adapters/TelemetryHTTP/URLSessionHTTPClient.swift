import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@_spi(Internals) import TelemetryCore

/// `HTTPClient` over Foundation's `URLSession`: the transport the SDK uses on Apple platforms.
///
/// One session per client, with its own connection pool (keep-alive), no cookies, no cache, no
/// credential storage, and redirects refused: telemetry bodies are never re-sent to a place the user
/// did not configure. The request's `timeout` bounds the whole exchange: when it passes, the caller is
/// answered and the task cancelled. Response bodies are collected through the data delegate and cut at
/// `maxResponseBytes`, where the task is cancelled and the status still returned.
///
/// On Linux prefer `CurlHTTPClient` (the default there): swift-corelibs-foundation keeps downloading
/// after `cancel()`, so neither the cap nor the timeout stops a hostile server's body from filling
/// memory, and a session writes cache folders under `~/.cache` and `~/.local/share`.
public final class URLSessionHTTPClient: HTTPClient, Sendable {
    /// The default cap on response bytes, as for `CurlHTTPClient`.
    public static let defaultMaxResponseBytes = 64 * 1024

    private let session: URLSession
    private let delegate: SessionDelegate

    /// Creates a client with a private, ephemeral session.
    ///
    /// - Parameter maxResponseBytes: bytes of body kept per response; a longer body is cut there and
    ///   the task cancelled. At least 1 KiB.
    public init(maxResponseBytes: Int = URLSessionHTTPClient.defaultMaxResponseBytes) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCredentialStorage = nil
        configuration.httpMaximumConnectionsPerHost = 4  // the exporters' requests in flight
        delegate = SessionDelegate(maxResponseBytes: max(1024, maxResponseBytes))
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Performs `request`; bodies past the response cap are cut; throws `HTTPClientError` for transport failures.
    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        var urlRequest = URLRequest(url: try request.validatedURL())
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = max(0.001, request.timeout.seconds)
        for header in request.headers where !HTTPHeader.isTransportControlled(header.name) {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        if !request.body.isEmpty || request.method == "POST" { urlRequest.httpBody = Data(request.body) }

        let task = session.dataTask(with: urlRequest)
        let delegate = self.delegate
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                delegate.register(task, continuation: continuation)
                task.resume()
                let nanoseconds = max(1_000_000, request.timeout.nanoseconds)
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds))) {
                    // The timer answers the caller itself: how long URLSession takes to wind the
                    // cancelled task down is not the caller's wait.
                    delegate.finish(task.taskIdentifier, with: .failure(.timedOut))
                    task.cancel()
                }
            }
        } onCancel: {
            task.cancel()
        }
        return try outcome.get()
    }

    static func classify(_ error: any Error) -> HTTPClientError {
        if error is CancellationError { return .cancelled }
        guard let urlError = error as? URLError else { return .other(String(describing: error)) }
        switch urlError.code {
        case .timedOut:
            return .timedOut
        case .cancelled:
            return .cancelled
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .networkConnectionLost,
            .notConnectedToInternet, .resourceUnavailable, .badServerResponse, .zeroByteResource:
            return .connectionFailed(urlError.localizedDescription)
        case .secureConnectionFailed, .serverCertificateHasBadDate, .serverCertificateUntrusted,
            .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected,
            .clientCertificateRequired:
            return .tlsFailure(urlError.localizedDescription)
        case .badURL, .unsupportedURL:
            return .invalidURL(urlError.localizedDescription)
        default:
            return .other("\(urlError.code.rawValue): \(urlError.localizedDescription)")
        }
    }
}

/// Collects each task's response and body (up to the cap) and hands every decision — challenges,
/// redirects, what a finished task returns — to `URLSessionDecisions`, which the Linux tests run.
/// Each task's continuation is resumed exactly once: whoever removes the task's entry resumes it.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, Sendable {
    typealias Outcome = Result<HTTPResponse, HTTPClientError>

    private struct Transfer {
        let continuation: CheckedContinuation<Outcome, Never>
        var response: HTTPURLResponse?
        var body: [UInt8] = []
        var cut = false
    }

    private let transfers = LockedBox<[Int: Transfer]>([:])
    private let maxResponseBytes: Int

    init(maxResponseBytes: Int) {
        self.maxResponseBytes = maxResponseBytes
    }

    func register(_ task: URLSessionTask, continuation: CheckedContinuation<Outcome, Never>) {
        transfers.withLock { $0[task.taskIdentifier] = Transfer(continuation: continuation) }
    }

    func finish(_ task: Int, with outcome: Outcome) {
        transfers.withLock { $0.removeValue(forKey: task) }?.continuation.resume(returning: outcome)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        transfers.withLock { $0[dataTask.taskIdentifier]?.response = response as? HTTPURLResponse }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let overflowed = transfers.withLock { transfers -> Bool in
            guard var transfer = transfers[dataTask.taskIdentifier], !transfer.cut else { return false }
            let room = ResponseCap.room(kept: transfer.body.count, chunkLength: data.count, cap: maxResponseBytes)
            transfer.body.append(contentsOf: data.prefix(room.keep))
            transfer.cut = room.stop
            transfers[dataTask.taskIdentifier] = transfer
            return transfer.cut
        }
        if overflowed { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let transfer = transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        var headers: [(name: String, value: String)] = []
        for (name, value) in transfer.response?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { headers.append((name, value)) }
        }
        let outcome = URLSessionDecisions.outcome(
            status: transfer.response?.statusCode, headers: headers, body: transfer.body, bodyWasCut: transfer.cut,
            error: error.map(URLSessionHTTPClient.classify))
        transfer.continuation.resume(returning: outcome)
    }

    /// Session-level challenges (server trust, client certificates). Without this method URLSession
    /// sends them to the task-level one below, which answers them the same way.
    func urlSession(
        _ session: URLSession, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        completionHandler(Self.disposition(for: challenge), nil)
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        if let response = challenge.failureResponse as? HTTPURLResponse {
            transfers.withLock { $0[task.taskIdentifier]?.response = response }
        }
        completionHandler(Self.disposition(for: challenge), nil)
    }

    private static func disposition(for challenge: URLAuthenticationChallenge) -> URLSession.AuthChallengeDisposition {
        switch URLSessionDecisions.answer(toChallengeWithMethod: challenge.protectionSpace.authenticationMethod) {
        case .performDefaultHandling: .performDefaultHandling
        case .cancel: .cancelAuthenticationChallenge
        }
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        let follows = URLSessionDecisions.followsRedirect(fromStatus: response.statusCode, to: request.url?.absoluteString)
        completionHandler(follows ? request : nil)
    }
}
