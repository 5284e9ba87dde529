#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
@_spi(Internals) import TelemetryCore

// The socket spellings differ: Glibc imports SOCK_STREAM as an enum and has MSG_NOSIGNAL; Darwin has
// plain constants and suppresses SIGPIPE per socket (SO_NOSIGPIPE) instead.
#if canImport(Glibc)
private let streamSocket = Int32(SOCK_STREAM.rawValue)
private let sendFlags = Int32(MSG_NOSIGNAL)
#else
private let streamSocket = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

/// Keeps a write to a connection the peer closed from raising SIGPIPE, where the platform needs it per socket.
private func suppressSIGPIPE(_ descriptor: Int32) {
    #if canImport(Darwin)
    var on: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
    #endif
}

/// A small HTTP/1.1 server on 127.0.0.1 for tests: records every request and answers as the test's
/// handler says — a response, a hang, or a dropped connection — so exporters meet real sockets.
///
/// ```swift
/// let server = try LoopbackHTTPServer { _ in .respond(status: 503, headers: ["Retry-After": "1"]) }
/// defer { server.stop() }
/// // point an exporter at server.url …
/// ```
package final class LoopbackHTTPServer: Sendable {
    /// How to answer one request.
    package enum Behaviour: Sendable {
        case respond(status: Int, headers: [String: String] = [:], body: [UInt8] = [])
        /// Read the request, then never answer (until `stop()`).
        case hang
        /// Read the request, then close the connection without a response.
        case close
        /// Answer `status` with a chunked body that never ends, 64 KiB per chunk as fast as the client
        /// reads, until the client goes away or `stop()` — a hostile or broken endpoint.
        case endlessBody(status: Int)
        /// Answer `status` announcing a 1 MB body, then send one byte every 50 ms: alive enough to
        /// defeat an idle timeout, never finished.
        case drip(status: Int)
    }

    /// A request as received.
    package struct Request: Sendable {
        /// `POST`, `GET`, …
        package let method: String
        /// The request target, query included (`/v1/traces`, `/?query=…`).
        package let path: String
        /// Header names lower-cased.
        package let headers: [String: String]
        /// The body as received (chunked bodies reassembled, still compressed when it was sent so).
        package let body: [UInt8]
    }

    /// The port the server listens on.
    package let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request) -> Behaviour
    private let state = LockedBox(State())

    private struct State {
        var requests: [Request] = []
        var accepted: [Request] = []
        var stopped = false
        var connections: Set<Int32> = []
        var listenerClosed = false
        var bytesSent = 0
    }

    /// Starts listening on an ephemeral loopback port.
    package init(handler: @escaping @Sendable (Request) -> Behaviour) throws {
        self.handler = handler
        let descriptor = socket(AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { throw ServerError.socket(errno) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw ServerError.socket(errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = descriptor
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`.
    package var url: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in arrival order — including ones answered with errors, hangs
    /// or dropped connections.
    package var requests: [Request] { state.withLock { $0.requests } }

    /// Requests answered with a 2xx status: what a real receiver would have stored.
    package var acceptedRequests: [Request] { state.withLock { $0.accepted } }

    /// Bytes written to clients so far, headers included: shows whether a client stopped reading.
    package var bytesSent: Int { state.withLock { $0.bytesSent } }

    /// Stops accepting and closes every open connection (hanging ones included).
    ///
    /// Descriptors are shut down under the same lock that every `close` of them takes: a descriptor
    /// closed by its connection's thread can at once be handed to another server's connection (tests
    /// run in parallel), and shutting down a stale number then cut that other test's exchange off —
    /// "Server returned nothing", seen in CI and here in `concurrentRequestsAllComplete`.
    package func stop() {
        state.withLock { state in
            if state.stopped { return }
            state.stopped = true
            if !state.listenerClosed { shutdown(listener, Int32(SHUT_RDWR)) }
            for connection in state.connections { shutdown(connection, Int32(SHUT_RDWR)) }
        }
    }

    /// Socket setup failed.
    package enum ServerError: Error { case socket(Int32) }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        while !isStopped {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                break
            }
            let registered = state.withLock { state -> Bool in
                if state.stopped { return false }
                state.connections.insert(connection)
                return true
            }
            guard registered else {
                close(connection)  // never registered, so no `stop` can name it
                break
            }
            suppressSIGPIPE(connection)
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
        state.withLock { state in
            state.listenerClosed = true
            close(listener)
        }
    }

    private func serve(_ connection: Int32) {
        defer {
            state.withLock { state in
                state.connections.remove(connection)
                close(connection)
            }
        }
        var buffer: [UInt8] = []
        while let request = readRequest(connection, buffer: &buffer) {
            state.withLock { $0.requests.append(request) }
            let behaviour = handler(request)
            if case .respond(let status, _, _) = behaviour, (200..<300).contains(status) {
                state.withLock { $0.accepted.append(request) }
            }
            switch behaviour {
            case .respond(let status, let headers, let body):
                var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(body.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                head += "\r\n"
                guard sendAll(connection, Array(head.utf8) + body) else { return }
            case .hang:
                while !isStopped { usleep(5_000) }
                return
            case .close:
                return
            case .endlessBody(let status):
                guard sendAll(connection, Array("HTTP/1.1 \(status) \(Self.reason(status))\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
                else { return }
                let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x61, count: 0x10000) + [13, 10]
                while !isStopped, sendAll(connection, chunk) {}
                return
            case .drip(let status):
                guard sendAll(connection, Array("HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: 1000000\r\n\r\n".utf8))
                else { return }
                while !isStopped, sendAll(connection, [0x61]) { usleep(50_000) }
                return
            }
        }
    }

    private func readRequest(_ connection: Int32, buffer: inout [UInt8]) -> Request? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = buffer.firstRange(of: separator)?.lowerBound
            if headerEnd == nil { guard receive(connection, into: &buffer) else { return nil } }
        }
        let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = headerEnd! + 4
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < bodyStart + length {
            guard receive(connection, into: &buffer) else { return nil }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    private func receive(_ connection: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var count: Int
        // A signal (a test's child process exiting) interrupts a blocked `recv`; that is no closed
        // connection. Treating it as one answered nothing to a waiting client, once in CI.
        repeat {
            count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
        } while count < 0 && errno == EINTR && !isStopped
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private func sendAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, sendFlags) }
            if count < 0 && errno == EINTR && !isStopped { continue }
            guard count > 0 else { return false }
            sent += count
            state.withLock { $0.bytesSent += count }
        }
        return true
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 413: "Payload Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
