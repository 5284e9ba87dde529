#if os(Linux)
import AutomagikTelemetryTestKit
import Foundation
import Testing
import TelemetryCore
import TelemetryHTTP

@Suite struct CurlHTTPClientTests {
    let client = CurlHTTPClient()

    @Test func postsBodyAndHeadersAndReturnsTheResponse() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 202, headers: ["X-Answer": "yes"], body: Array("ok".utf8)) }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(
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

    @Test func largeBodiesAreSentWholeWithoutWaitingForContinue() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        var body = [UInt8](repeating: 0x5A, count: 3_000_000)
        body[1] = 1
        body[1_500_000] = 2
        body[2_999_999] = 3
        let response = try await client.send(HTTPRequest(url: server.url, body: body, timeout: .seconds(10)))
        #expect(response.status == 200)
        #expect(server.requests.first?.body == body)
        // libcurl asks for a 100-continue above 1 MiB and waits a second for it; this server never sends one.
        #expect(server.requests.first?.headers["expect"] == nil)
    }

    @Test func errorStatusesAreResponsesWithTheirBodies() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(status: 401, headers: ["WWW-Authenticate": "Basic realm=\"x\"", "Retry-After": "7"], body: Array("Code: 193".utf8))
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url, body: [1], timeout: .seconds(5)))
        #expect(response.status == 401)
        #expect(response.header("Retry-After") == "7")
        #expect(response.body == Array("Code: 193".utf8))
    }

    @Test func refusedConnectionIsAConnectionFailure() async throws {
        let server = try LoopbackHTTPServer { _ in .close }
        let url = server.url
        server.stop()
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: HTTPClientError.self) {
            _ = try await client.send(HTTPRequest(url: url, timeout: .seconds(5)))
        }
    }

    @Test func aHangingServerTimesOutOnTime() async throws {
        let server = try LoopbackHTTPServer { _ in .hang }
        defer { server.stop() }
        let started = ContinuousClock.now
        await #expect(throws: HTTPClientError.timedOut) {
            _ = try await client.send(HTTPRequest(url: server.url, body: [1], timeout: .milliseconds(300)))
        }
        // Without the limit the call would last until the server stops. Wall-clock bounds here are loose
        // because the whole suite shares two cores; the fault suite (IntegrationTests) measures them.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func anEndlessBodyIsCutAtTheCapAndNoMoreIsRead() async throws {
        let server = try LoopbackHTTPServer { _ in .endlessBody(status: 200) }
        defer { server.stop() }
        let started = ContinuousClock.now
        let response = try await client.send(HTTPRequest(url: server.url, body: [1], timeout: .seconds(60)))
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(response.status == 200)
        #expect(response.body.count == CurlHTTPClient.defaultMaxResponseBytes)
        // The connection is closed: the server's writes fail once the socket buffers are full.
        var settled = server.bytesSent
        for _ in 0..<50 {
            try await Task.sleep(for: .milliseconds(200))
            let now = server.bytesSent
            if now == settled { break }
            settled = now
        }
        #expect(server.bytesSent == settled, "the server is still streaming into a transfer that should be gone")
        #expect(settled < 16 << 20)
    }

    @Test func theCapIsAConstructorSetting() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 500, body: [UInt8](repeating: 0x62, count: 10_000)) }
        defer { server.stop() }
        let response = try await CurlHTTPClient(maxResponseBytes: 2048).send(HTTPRequest(url: server.url, timeout: .seconds(5)))
        #expect(response.status == 500)
        #expect(response.body.count == 2048)
    }

    @Test func aDrippingBodyEndsAtTheDeadlineNotAtAnIdleTimeout() async throws {
        let server = try LoopbackHTTPServer { _ in .drip(status: 200) }
        defer { server.stop() }
        let started = ContinuousClock.now
        await #expect(throws: HTTPClientError.timedOut) {
            _ = try await client.send(HTTPRequest(url: server.url, timeout: .milliseconds(500)))
        }
        #expect(ContinuousClock.now - started < .seconds(30), "an idle timeout would let the drip run for 14 hours")
    }

    @Test func cancellingTheCallerStopsTheTransferAtOnce() async throws {
        let server = try LoopbackHTTPServer { _ in .hang }
        defer { server.stop() }
        let client = self.client
        let url = server.url
        let task = Task { () -> HTTPClientError? in
            do {
                _ = try await client.send(HTTPRequest(url: url, body: [1], timeout: .seconds(60)))
                return nil
            } catch let error as HTTPClientError {
                return error
            } catch {
                return nil
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let cancelled = ContinuousClock.now
        task.cancel()
        #expect(await task.value == .cancelled)
        #expect(ContinuousClock.now - cancelled < .seconds(30), "the request's own limit is 60 s")
    }

    @Test func redirectsAreNotFollowed() async throws {
        let target = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { target.stop() }
        let redirecting = try LoopbackHTTPServer { _ in .respond(status: 307, headers: ["Location": target.url + "/stolen"]) }
        defer { redirecting.stop() }
        let response = try await client.send(HTTPRequest(url: redirecting.url, body: [9], timeout: .seconds(5)))
        #expect(response.status == 307)
        #expect(target.requests.isEmpty)
    }

    @Test func headersThatWouldInjectOthersAreNotSent() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        _ = try await client.send(HTTPRequest(
            url: server.url,
            headers: [HTTPHeader("X-Token", "a\r\nX-Injected: 1"), HTTPHeader("X-Fine", "b")],
            body: [1], timeout: .seconds(5)
        ))
        let request = try #require(server.requests.first)
        #expect(request.headers["x-injected"] == nil)
        #expect(request.headers["x-token"] == nil)
        #expect(request.headers["x-fine"] == "b")
    }

    @Test func concurrentRequestsAllComplete() async throws {
        let server = try LoopbackHTTPServer { request in .respond(status: 200, body: request.body) }
        defer { server.stop() }
        let client = self.client
        let url = server.url
        let echoed = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for index in 0..<40 {
                group.addTask { try await client.send(HTTPRequest(url: url, body: [UInt8(index)], timeout: .seconds(10))).body }
            }
            return try await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
        }
        #expect(echoed == Set((0..<40).map { [UInt8($0)] }))
    }

    @Test func onlyHTTPAndHTTPSAreSpoken() async {
        for url in ["ftp://x", "file:///etc/passwd", "gopher://127.0.0.1/", "not a url"] {
            await #expect(throws: HTTPClientError.self) {
                _ = try await client.send(HTTPRequest(url: url, timeout: .seconds(1)))
            }
        }
    }
}
#endif
