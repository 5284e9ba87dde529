import AutomagikTelemetryTestKit
import Foundation
import Testing
import TelemetryCore
import TelemetryHTTP

/// The `HTTPClient` port's contract, checked against every transport this module ships. What only one
/// transport promises (libcurl's abort on an endless body, URLSession's challenge handling) is tested in
/// that transport's own file.
@Suite struct HTTPClientContractTests {
    enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case curl, urlSession

        static var available: [Transport] {
            #if os(Linux)
            allCases
            #else
            [.urlSession]
            #endif
        }

        func make(maxResponseBytes: Int = 64 * 1024) -> any HTTPClient {
            switch self {
            case .curl:
                #if os(Linux)
                CurlHTTPClient(maxResponseBytes: maxResponseBytes)
                #else
                URLSessionHTTPClient(maxResponseBytes: maxResponseBytes)
                #endif
            case .urlSession:
                URLSessionHTTPClient(maxResponseBytes: maxResponseBytes)
            }
        }

        var testDescription: String { rawValue }
    }

    @Test(arguments: Transport.available)
    func postsBodyAndHeadersAndReturnsTheResponse(transport: Transport) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 202, headers: ["X-Answer": "yes"], body: Array("ok".utf8)) }
        defer { server.stop() }
        let response = try await transport.make().send(
            HTTPRequest(
                url: server.url + "/v1/traces",
                headers: [HTTPHeader("Content-Type", "application/x-protobuf"), HTTPHeader("User-Agent", "test/1")],
                body: [1, 2, 3, 0, 255],
                timeout: .seconds(5)
            ))
        #expect(response.status == 202)
        #expect(response.body == Array("ok".utf8))
        #expect(response.header("x-answer") == "yes")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/traces")
        #expect(request.body == [1, 2, 3, 0, 255])
        #expect(request.headers["content-type"] == "application/x-protobuf")
        #expect(request.headers["user-agent"] == "test/1")
        #expect(request.headers["expect"] == nil, "no 100-continue round trip")
    }

    @Test(arguments: Transport.available)
    func errorStatusesAreResponsesNotErrors(transport: Transport) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 503, headers: ["Retry-After": "7"]) }
        defer { server.stop() }
        let response = try await transport.make().send(HTTPRequest(url: server.url, timeout: .seconds(5)))
        #expect(response.status == 503)
        #expect(response.header("Retry-After") == "7")
    }

    @Test(arguments: Transport.available)
    func refusedConnectionIsAConnectionFailure(transport: Transport) async throws {
        let server = try LoopbackHTTPServer { _ in .close }
        let url = server.url
        server.stop()
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: HTTPClientError.self) {
            _ = try await transport.make().send(HTTPRequest(url: url, timeout: .seconds(5)))
        }
    }

    /// Without the limit the call would last until the server stops, after the call: the time limit
    /// turns that into a failure. No wall-clock bound: the whole suite shares two cores (under
    /// ThreadSanitizer CPU-bound suites have kept the cooperative threads busy for 35 s); the fault
    /// suite (IntegrationTests) measures the timeouts.
    @Test(.timeLimit(.minutes(5)), arguments: Transport.available)
    func aHangingServerTimesOut(transport: Transport) async throws {
        let server = try LoopbackHTTPServer { _ in .hang }
        defer { server.stop() }
        await #expect(throws: HTTPClientError.timedOut) {
            _ = try await transport.make().send(HTTPRequest(url: server.url, body: [1], timeout: .milliseconds(300)))
        }
    }

    @Test(arguments: Transport.available)
    func bodiesAreCutAtTheCap(transport: Transport) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 500, body: [UInt8](repeating: 0x62, count: 10_000)) }
        defer { server.stop() }
        let response = try await transport.make(maxResponseBytes: 2048).send(HTTPRequest(url: server.url, timeout: .seconds(5)))
        #expect(response.status == 500)
        #expect(response.body.count == 2048)
    }

    @Test(arguments: Transport.available)
    func redirectsAreNotFollowed(transport: Transport) async throws {
        let target = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { target.stop() }
        let redirecting = try LoopbackHTTPServer { _ in .respond(status: 307, headers: ["Location": target.url + "/stolen"]) }
        defer { redirecting.stop() }
        let response = try await transport.make().send(HTTPRequest(url: redirecting.url, body: [9], timeout: .seconds(5)))
        #expect(response.status == 307)
        #expect(target.requests.isEmpty)
    }

    @Test(arguments: Transport.available)
    func onlyHTTPAndHTTPSAreSpoken(transport: Transport) async {
        for url in ["ftp://x", "file:///etc/passwd", "gopher://127.0.0.1/", "not a url"] {
            await #expect(throws: HTTPClientError.invalidURL(url)) {
                _ = try await transport.make().send(HTTPRequest(url: url, timeout: .seconds(1)))
            }
        }
    }
}
