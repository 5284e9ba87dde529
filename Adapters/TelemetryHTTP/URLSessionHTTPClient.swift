import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TelemetryCore

/// `HTTPClient` over Foundation's `URLSession` (FoundationNetworking on Linux).
///
/// One session per client, with its own connection pool (keep-alive), no cookies, no cache, no
/// credential storage, and redirects refused: telemetry bodies are never re-sent to a place the user
/// did not configure. The request's `timeout` bounds the whole exchange.
public final class URLSessionHTTPClient: HTTPClient, Sendable {
    private let session: URLSession
    private let delegate = RefuseRedirects()

    /// Creates a client with a private, ephemeral session.
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCredentialStorage = nil
        configuration.httpMaximumConnectionsPerHost = 4  // the exporters' requests in flight
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else { throw .invalidURL(request.url) }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = max(0.001, request.timeout.seconds)
        for header in request.headers { urlRequest.addValue(header.value, forHTTPHeaderField: header.name) }
        if !request.body.isEmpty || request.method == "POST" { urlRequest.httpBody = Data(request.body) }

        let outcome = await perform(urlRequest, timeout: request.timeout)
        switch outcome {
        case .success(let (data, response)):
            guard let http = response as? HTTPURLResponse else { throw .other("not an HTTP response") }
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: [UInt8](data))
        case .failure(let error):
            throw error
        }
    }

    /// Runs one data task, cancelling it when `timeout` passes or the calling task is cancelled.
    private func perform(_ urlRequest: URLRequest, timeout: Duration) async -> Result<(Data, URLResponse), HTTPClientError> {
        let flags = LockedBox(Flags())
        let box = LockedBox<URLSessionDataTask?>(nil)
        let delegate = self.delegate
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<(Data, URLResponse), HTTPClientError>, Never>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    let first = flags.withLock { flags -> Bool in
                        defer { flags.finished = true }
                        return !flags.finished
                    }
                    guard first else { return }
                    let challenged = box.withLock { $0 }.flatMap { delegate.takeChallengedResponse(for: $0.taskIdentifier) }
                    if let challenged {
                        // A 401 with WWW-Authenticate becomes a challenge in URLSession, whose body we never
                        // see; the exporter still needs the status to classify the failure as permanent.
                        continuation.resume(returning: .success((data ?? Data(), challenged)))
                    } else if let error {
                        continuation.resume(returning: .failure(Self.classify(error)))
                    } else if let response {
                        continuation.resume(returning: .success((data ?? Data(), response)))
                    } else {
                        continuation.resume(returning: .failure(.other("no response")))
                    }
                }
                box.withLock { $0 = task }
                task.resume()
                let nanoseconds = max(1_000_000, timeout.nanoseconds)
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds))) {
                    // The timer answers the caller itself: how long URLSession takes to wind the
                    // cancelled task down is not the caller's wait.
                    let first = flags.withLock { flags -> Bool in
                        defer { flags.finished = true }
                        return !flags.finished
                    }
                    guard first else { return }
                    continuation.resume(returning: .failure(.timedOut))
                    task.cancel()
                }
            }
        } onCancel: {
            box.withLock { $0 }?.cancel()
        }
    }

    private struct Flags {
        var finished = false
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

/// Answers every redirect with "do not follow" and cancels every authentication challenge (credentials
/// travel only in the headers the exporter sets), remembering the 401 response so the client can
/// return it as an ordinary response.
private final class RefuseRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    private let challenged = LockedBox<[Int: URLResponse]>([:])

    func takeChallengedResponse(for task: Int) -> URLResponse? {
        challenged.withLock { $0.removeValue(forKey: task) }
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        if let response = challenge.failureResponse {
            challenged.withLock { $0[task.taskIdentifier] = response }
        }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
