#if os(Linux)
import AutomagikTelemetryTestKit
import Foundation
import Testing
import TelemetryCore
import TelemetryHTTP

/// What libcurl's transport promises beyond the port's contract (checked in `HTTPClientContractTests`).
@Suite struct CurlHTTPClientTests {
    let client = CurlHTTPClient()

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

    @Test func anEndlessBodyIsCutAtTheCapAndNoMoreIsRead() async throws {
        let server = try LoopbackHTTPServer { _ in .endlessBody(status: 200) }
        defer { server.stop() }
        // A response at all proves the cap ended the transfer: without it the request's own 60 s limit
        // would, and that throws `timedOut`. (No wall-clock bound: under ThreadSanitizer, CPU-bound
        // suites beside this one have kept the cooperative threads busy for 35 s.)
        let response = try await client.send(HTTPRequest(url: server.url, body: [1], timeout: .seconds(60)))
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

    /// An idle timeout would let the drip run for 14 hours: the time limit turns that into a failure.
    @Test(.timeLimit(.minutes(5)))
    func aDrippingBodyEndsAtTheDeadlineNotAtAnIdleTimeout() async throws {
        let server = try LoopbackHTTPServer { _ in .drip(status: 200) }
        defer { server.stop() }
        await #expect(throws: HTTPClientError.timedOut) {
            _ = try await client.send(HTTPRequest(url: server.url, timeout: .milliseconds(500)))
        }
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
        task.cancel()
        // `.cancelled`, not `.timedOut`: the cancellation ended it, not the request's own 60 s limit.
        #expect(await task.value == .cancelled)
    }

    @Test func headersThatWouldInjectOthersAreNotSent() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        _ = try await client.send(
            HTTPRequest(
                url: server.url,
                headers: [HTTPHeader("X-Token", "a\r\nX-Injected: 1"), HTTPHeader("X-Fine", "b")],
                body: [1], timeout: .seconds(5)
            ))
        let request = try #require(server.requests.first)
        #expect(request.headers["x-injected"] == nil)
        #expect(request.headers["x-token"] == nil)
        #expect(request.headers["x-fine"] == "b")
    }

    /// Review #22, finding 3: libcurl took `http_proxy`/`ALL_PROXY` from the environment for loopback
    /// endpoints too, handing the body and the credentials to the proxy host in clear text.
    @Test func loopbackDestinationsNeverGoThroughAProxy() async throws {
        let proxy = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { proxy.stop() }
        let server = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        let environment = DictionaryEnvironment(["http_proxy": proxy.url, "all_proxy": proxy.url, "ALL_PROXY": proxy.url])
        let client = CurlHTTPClient(environment: environment)
        let localhost = server.url.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        for url in [server.url, localhost] {
            let response = try await client.send(
                HTTPRequest(url: url, headers: [HTTPHeader("Authorization", "Bearer op-token")], body: [7], timeout: .seconds(10)))
            #expect(response.status == 200)
        }
        #expect(server.requests.count == 2)
        #expect(proxy.requests.isEmpty, "the proxy saw \(proxy.requests.map(\.path))")
    }

    /// Other destinations do use the proxy the environment names (a corporate network needs it), and
    /// `no_proxy` sends a host direct: the route is the one `ProxyRoute` (and so `status`) reports.
    @Test func otherDestinationsFollowTheProxyVariables() async throws {
        let proxy = try LoopbackHTTPServer { _ in .respond(status: 204) }
        defer { proxy.stop() }
        let viaProxy = CurlHTTPClient(environment: DictionaryEnvironment(["http_proxy": proxy.url]))
        let response = try await viaProxy.send(HTTPRequest(url: "http://collector.invalid/v1/traces", body: [1], timeout: .seconds(10)))
        #expect(response.status == 204)
        #expect(proxy.requests.map(\.path) == ["http://collector.invalid/v1/traces"])

        let excepted = CurlHTTPClient(environment: DictionaryEnvironment(["http_proxy": proxy.url, "no_proxy": ".invalid"]))
        await #expect(throws: HTTPClientError.self) {
            _ = try await excepted.send(HTTPRequest(url: "http://collector.invalid/v1/traces", body: [1], timeout: .seconds(10)))
        }
        #expect(proxy.requests.count == 1, "no_proxy: straight to the (unresolvable) host")
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

}
#endif
