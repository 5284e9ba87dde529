import AutomagikTelemetryTestKit
import Foundation
import Testing
import TelemetryCore
import TelemetryHTTP

@Suite struct URLSessionHTTPClientTests {
    let client = URLSessionHTTPClient()

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
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 503, headers: ["Retry-After": "7"]) }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url, timeout: .seconds(5)))
        #expect(response.status == 503)
        #expect(response.header("Retry-After") == "7")
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

    @Test func hangingServerTimesOutWithinTheLimit() async throws {
        let server = try LoopbackHTTPServer { _ in .hang }
        defer { server.stop() }
        let started = ContinuousClock.now
        do {
            _ = try await client.send(HTTPRequest(url: server.url, body: [1], timeout: .milliseconds(300)))
            Issue.record("expected a timeout")
        } catch {
            #expect(error == .timedOut)
        }
        // The server never answers: returning at all proves the limit; the bound is loose for TSan runs.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func bodiesAreCutAtTheCap() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 500, body: [UInt8](repeating: 0x62, count: 10_000)) }
        defer { server.stop() }
        let response = try await URLSessionHTTPClient(maxResponseBytes: 2048).send(HTTPRequest(url: server.url, timeout: .seconds(5)))
        #expect(response.status == 500)
        #expect(response.body.count == 2048)
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

    @Test func invalidURLsAreRejectedBeforeAnyIO() async {
        await #expect(throws: HTTPClientError.invalidURL("ftp://x")) {
            _ = try await client.send(HTTPRequest(url: "ftp://x", timeout: .seconds(1)))
        }
    }
}

@Suite struct AuthenticationChallengeTests {
    @Test func unauthorizedWithAChallengeIsReturnedAsAResponse() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(status: 401, headers: ["WWW-Authenticate": "Basic realm=\"x\""], body: Array("Code: 193, wrong password".utf8))
        }
        defer { server.stop() }
        let response = try await URLSessionHTTPClient().send(HTTPRequest(
            url: server.url, headers: [HTTPHeader("Authorization", "Basic dTp3cm9uZw==")], body: [1], timeout: .seconds(5)
        ))
        #expect(response.status == 401, "the status survives URLSession's challenge handling (the body does not)")
    }
}
