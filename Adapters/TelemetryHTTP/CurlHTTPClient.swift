#if os(Linux)
internal import CCurl
import Foundation
@_spi(Internals) import TelemetryCore

/// `HTTPClient` over libcurl's multi interface: the transport the SDK uses on Linux.
///
/// Guarantees, whatever the server does:
/// - at most `maxResponseBytes` of body and of headers are held per response; past that the transfer
///   is aborted inside libcurl's write callback, so nothing more is read from the socket;
/// - `request.timeout` is a hard limit on the whole exchange (connect, send, receive), enforced by
///   libcurl's clock, not an idle timeout that a server dripping one byte a second can keep alive;
/// - cancelling the calling task aborts the transfer at once (the loop thread is woken) and frees it;
/// - only `http` and `https`, redirects never followed, no cookies, no cache, no file written.
///
/// Why not `URLSession` on Linux (swift-corelibs-foundation, measured with Swift 6.3.1 against an
/// endpoint streaming an endless body): after `cancel()` the download went on (1.8 GB resident after
/// 5 s); a cancel from the data delegate took effect only at the timeout, 323 MB into a 64 KiB cap;
/// and creating a session wrote `~/.cache/org.swift.foundation.URLCache` and `~/.local/share/<app>`.
/// FoundationNetworking itself links this same system libcurl, so it adds no new runtime library.
///
/// All transfers run on one dedicated thread (created with the client, woken by `curl_multi_wakeup`),
/// never on Swift's cooperative pool; connections are kept alive in the multi handle's pool.
public final class CurlHTTPClient: HTTPClient, Sendable {
    /// The default cap on response bytes: exporters only read status lines, `Retry-After`, an OTLP
    /// partial-success message or a ClickHouse error text, all far smaller.
    public static let defaultMaxResponseBytes = 64 * 1024

    /// Nil when libcurl.so.4 is not installed: every request then fails as a transport error.
    private let loop: CurlLoop?
    private let maxResponseBytes: Int
    private let tls: TLSFiles
    private let proxyEnvironment: DictionaryEnvironment

    /// Creates a client and its transfer thread.
    ///
    /// - Parameters:
    ///   - maxResponseBytes: bytes of body (and, separately, of header lines) kept per response; a
    ///     longer body is cut there and the transfer stopped. At least 1 KiB.
    ///   - tls: a CA bundle to trust instead of the system's, and a client certificate and key.
    ///   - environment: where the proxy variables are read (`ProxyRoute`); nil for this process's
    ///     environment. Read once, here.
    public init(
        maxResponseBytes: Int = CurlHTTPClient.defaultMaxResponseBytes, tls: TLSFiles = TLSFiles(),
        environment: (any EnvironmentReader)? = nil
    ) {
        let available = libcurlAvailable
        self.maxResponseBytes = max(1024, maxResponseBytes)
        self.tls = tls
        proxyEnvironment = DictionaryEnvironment(
            ProxyRoute.variables.reduce(into: [:]) { found, name in
                found[name] = environment.map { $0.value(for: name) } ?? ProcessInfo.processInfo.environment[name]
            })
        loop = available ? CurlLoop() : nil
    }

    deinit {
        loop?.stop()
    }

    /// Performs `request` on the transfer thread; returns by `request.timeout` whatever the server does, throws `HTTPClientError` for transport failures, ends at once when the calling task is cancelled.
    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        _ = try request.validatedURL()
        guard let loop = self.loop else { throw .other("libcurl (libcurl.so.4) is not installed") }
        let route = ProxyRoute.route(for: request.url, environment: proxyEnvironment)
        guard let transfer = CurlTransfer(request, maxResponseBytes: maxResponseBytes, tls: tls, route: route) else {
            throw .other("libcurl could not create a transfer")
        }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
        return try outcome.get()
    }
}

/// Whether libcurl could be loaded (CCurl binds it at run time: building needs no development headers).
private let libcurlAvailable: Bool = {
    guard automagik_curl_load() != 0 else { return false }
    // Reference-counted by libcurl; FoundationNetworking may have called it too.
    _ = curl_global_init(CURL_GLOBAL_DEFAULT)
    return true
}()

/// The transfer thread and its multi handle.
///
/// `@unchecked Sendable` because `multi` is a raw pointer: it is created here and used only by the
/// loop thread, except for `curl_multi_wakeup`, which libcurl documents as callable from any thread.
/// Everything else shared lives in `shared`, behind a lock.
private final class CurlLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let shared = LockedBox(Shared())

    private struct Shared {
        var submitted: [CurlTransfer] = []
        var stopped = false
        var cleanedUp = false
    }

    init() {
        multi = curl_multi_init()
        // Connections kept for reuse: one per request the exporters keep in flight, plus headroom.
        _ = automagik_curl_multi_set_long(multi, CURLMOPT_MAXCONNECTS, 8)
        let thread = Thread { [self] in run() }
        thread.name = "automagik-telemetry-http"
        thread.start()
    }

    func submit(_ transfer: CurlTransfer) {
        let accepted = shared.withLock { shared -> Bool in
            guard !shared.stopped else { return false }
            shared.submitted.append(transfer)
            return true
        }
        if accepted {
            wake()
        } else {
            transfer.finish(.failure(.cancelled))
        }
    }

    func cancel(_ transfer: CurlTransfer) {
        transfer.cancelRequested.withLock { $0 = true }
        wake()
    }

    func stop() {
        shared.withLock { $0.stopped = true }
        wake()
    }

    /// Wakes the loop thread, unless it has already cleaned the multi handle up: a cancellation or a
    /// second `stop` arriving after that must not touch freed memory (review #22). The lock orders the
    /// wake-up before `curl_multi_cleanup`, which takes it too.
    private func wake() {
        shared.withLock { shared in
            if !shared.cleanedUp { curl_multi_wakeup(multi) }
        }
    }

    private func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let (arrived, stopped) = shared.withLock { shared in
                defer { shared.submitted.removeAll() }
                return (shared.submitted, shared.stopped)
            }
            if stopped {
                for transfer in arrived { transfer.finish(.failure(.cancelled)) }
                for (easy, transfer) in active {
                    curl_multi_remove_handle(multi, easy)
                    transfer.finish(.failure(.cancelled))
                }
                break
            }
            for transfer in arrived {
                if transfer.isCancelRequested {
                    transfer.finish(.failure(.cancelled))
                } else {
                    curl_multi_add_handle(multi, transfer.easy)
                    active[transfer.easy] = transfer
                }
            }
            for (easy, transfer) in active where transfer.isCancelRequested {
                curl_multi_remove_handle(multi, easy)
                active[easy] = nil
                transfer.finish(.failure(.cancelled))
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = active.removeValue(forKey: easy)
                else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                transfer.finish(transfer.outcome(code))
            }
            // Sleeps until a socket is ready, libcurl's next timer, a submission or a cancellation.
            var timeout = 0
            curl_multi_timeout(multi, &timeout)
            let wait = timeout < 0 ? 60_000 : min(timeout, 60_000)
            curl_multi_poll(multi, nil, 0, Int32(wait), nil)
        }
        shared.withLock { shared in
            shared.cleanedUp = true
            curl_multi_cleanup(multi)
        }
    }
}

/// One exchange: its easy handle, its request headers and what has arrived so far.
///
/// `@unchecked Sendable` because of the raw handles and the mutable response state: after
/// `submit` only the loop thread touches them (callbacks run inside `curl_multi_perform` on that
/// thread); `continuation` is written once before `submit`, whose lock orders it before the loop's
/// read; `cancelRequested` is behind its own lock.
private final class CurlTransfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let maxResponseBytes: Int
    var continuation: CheckedContinuation<Result<HTTPResponse, HTTPClientError>, Never>?
    let cancelRequested = LockedBox(false)

    private var body: [UInt8] = []
    private var headers: [String: String] = [:]
    private var headerBytes = 0
    private var bodyCut = false
    private var headersTooLarge = false

    var isCancelRequested: Bool { cancelRequested.withLock { $0 } }

    init?(_ request: HTTPRequest, maxResponseBytes: Int, tls: TLSFiles, route: ProxyRoute) {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        self.maxResponseBytes = maxResponseBytes
        let context = Unmanaged.passUnretained(self).toOpaque()

        _ = automagik_curl_set_string(easy, CURLOPT_URL, request.url)
        _ = automagik_curl_restrict_protocols(easy)
        _ = automagik_curl_set_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = automagik_curl_set_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        let milliseconds = max(1, Int(clamping: request.timeout.nanoseconds / 1_000_000))
        _ = automagik_curl_set_long(easy, CURLOPT_TIMEOUT_MS, milliseconds)
        _ = automagik_curl_set_long(easy, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        // The proxy is the SDK's decision, never libcurl's reading of the environment (see ProxyRoute):
        // "" means no proxy at all, and an empty no-proxy list means the chosen proxy is used as chosen.
        switch route {
        case .direct: _ = automagik_curl_set_string(easy, CURLOPT_PROXY, "")
        case .proxy(let url, _): _ = automagik_curl_set_string(easy, CURLOPT_PROXY, url)
        }
        _ = automagik_curl_set_string(easy, CURLOPT_NOPROXY, "")
        _ = automagik_curl_without_keylog(easy)
        if let file = tls.caCertificate { _ = automagik_curl_set_string(easy, CURLOPT_CAINFO, file) }
        if let file = tls.clientCertificate { _ = automagik_curl_set_string(easy, CURLOPT_SSLCERT, file) }
        if let file = tls.clientKey { _ = automagik_curl_set_string(easy, CURLOPT_SSLKEY, file) }

        switch request.method {
        case "GET":
            _ = automagik_curl_set_long(easy, CURLOPT_HTTPGET, 1)
        case "POST":
            _ = automagik_curl_set_long(easy, CURLOPT_POST, 1)
        default:
            _ = automagik_curl_set_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if request.method != "GET" {
            _ = automagik_curl_set_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            request.body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS: libcurl keeps its own copy, so the request's array need not outlive this call.
                _ = automagik_curl_set_pointer(
                    easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        }

        // "Expect:" stops libcurl waiting up to a second for a 100-continue before large bodies.
        var list = curl_slist_append(nil, "Expect:")
        for header in request.headers where Self.isSafe(header) {
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        headerList = list
        _ = automagik_curl_set_list(easy, CURLOPT_HTTPHEADER, list)

        _ = automagik_curl_set_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveBody(data, size * count)
        }
        _ = automagik_curl_set_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = automagik_curl_set_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveHeader(data, size * count)
        }
        _ = automagik_curl_set_pointer(easy, CURLOPT_HEADERDATA, context)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
    }

    /// A header whose name or value holds CR, LF or NUL could inject further headers, and one that frames
    /// the request or speaks to a hop (`Host`, `Content-Length`, `Transfer-Encoding`, …) could desync it:
    /// neither is sent.
    private static func isSafe(_ header: HTTPHeader) -> Bool {
        let forbidden: Set<UInt8> = [0, 10, 13]
        return !header.name.isEmpty && !header.name.utf8.contains { forbidden.contains($0) || $0 == UInt8(ascii: ":") }
            && !HTTPHeader.isTransportControlled(header.name)
            && !header.value.utf8.contains { forbidden.contains($0) }
    }

    func finish(_ outcome: Result<HTTPResponse, HTTPClientError>) {
        let continuation = self.continuation
        self.continuation = nil
        continuation?.resume(returning: outcome)
    }

    private func receiveBody(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        let room = ResponseCap.room(kept: body.count, chunkLength: count, cap: maxResponseBytes)
        if room.keep > 0 {
            data.withMemoryRebound(to: UInt8.self, capacity: room.keep) {
                body.append(contentsOf: UnsafeBufferPointer(start: $0, count: room.keep))
            }
        }
        guard !room.stop else {
            bodyCut = true
            return 0  // anything but `count` makes libcurl abort the transfer: nothing more is read
        }
        return count
    }

    private func receiveHeader(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        headerBytes += count
        guard headerBytes <= maxResponseBytes else {
            headersTooLarge = true
            return 0
        }
        let line = data.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after 100 Continue): only the final one's headers count
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            if headers[name] == nil { headers[name] = value }
        }
        return count
    }

    func outcome(_ code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        var status = 0
        _ = automagik_curl_response_code(easy, &status)
        if code == CURLE_OK || (code == CURLE_WRITE_ERROR && bodyCut && status > 0) {
            // A cut body still carries the status the server chose; exporters classify by status.
            return .success(HTTPResponse(status: status, headers: headers, body: body))
        }
        if headersTooLarge { return .failure(.other("response headers exceed \(maxResponseBytes) bytes")) }
        let text = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(.timedOut)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SEND_ERROR,
            CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY:
            return .failure(.connectionFailed(text))
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .failure(.tlsFailure(text))
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .failure(.invalidURL(text))
        case CURLE_ABORTED_BY_CALLBACK:
            return .failure(.cancelled)
        default:
            return .failure(.other("libcurl \(code.rawValue): \(text)"))
        }
    }
}
#endif
