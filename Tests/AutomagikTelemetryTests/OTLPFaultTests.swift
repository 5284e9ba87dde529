import AutomagikTelemetry
import AutomagikTelemetryTestKit
@_spi(Internals) import TelemetryCore
import TelemetryGzip
import TelemetryOTLP
import TelemetryPipeline
import Testing

/// The whole client over real loopback sockets against a fault-injecting server. Backoff runs on the
/// manual clock, so retries happen without real waiting.
@Suite struct OTLPFaultTests {
    let harness = Harness()

    private func client(
        _ server: LoopbackHTTPServer, _ configure: (inout TelemetryConfiguration) -> Void = { _ in }
    ) throws
        -> AutomagikTelemetry
    {
        var configuration = TelemetryConfiguration.test("faults")
        configuration.backend = .otlp(OTLPSettings(endpoint: server.url, encoding: .json))
        configure(&configuration)
        return try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                clock: harness.clock, random: harness.random, environment: DictionaryEnvironment(),
                stateStore: harness.store, host: Harness.host
            )
        )
    }

    /// Span names the server accepted (answered 2xx) on /v1/traces.
    private func receivedSpanNames(_ server: LoopbackHTTPServer) -> [String] {
        server.acceptedRequests.filter { $0.path == "/v1/traces" }.flatMap { request -> [String] in
            let body = request.headers["content-encoding"] == "gzip" ? (try? GzipDecompressor.decompress(request.body)) ?? [] : request.body
            let text = String(decoding: body, as: UTF8.self)
            return text.matches(of: /"name":"(ev-[0-9]+)"/).map { String($0.output.1) }
        }
    }

    /// Answers with `failures` in turn, then 200.
    private static func server(failing failures: [LoopbackHTTPServer.Behaviour]) throws -> LoopbackHTTPServer {
        let remaining = LockedBox(failures)
        return try LoopbackHTTPServer { _ in
            remaining.withLock { $0.isEmpty ? .respond(status: 200) : $0.removeFirst() }
        }
    }

    @Test func endpointDownThenUpDeliversEverythingOnce() async throws {
        let server = try Self.server(failing: [.close, .close, .close])
        defer { server.stop() }
        let telemetry = try client(server)
        for index in 0..<5 { telemetry.trackEvent("ev-\(index)") }
        let report = await harness.drive(Task { await telemetry.flush() })
        #expect(report.exported == 5)
        #expect(receivedSpanNames(server).sorted() == (0..<5).map { "ev-\($0)" })
        // Three dropped connections cost at least three retries (a loaded machine may add a timeout).
        #expect(telemetry.stats.retries >= 3)
        #expect(telemetry.stats.totalDropped == 0)
    }

    @Test func serviceUnavailableWithRetryAfterWaitsAsAsked() async throws {
        let server = try Self.server(failing: [.respond(status: 503, headers: ["Retry-After": "7"])])
        defer { server.stop() }
        let telemetry = try client(server)
        telemetry.trackEvent("ev-1")
        let start = harness.clock.now()
        _ = await harness.drive(Task { await telemetry.flush() }, step: .seconds(1))
        #expect(server.requests.count == 2, "one refused attempt, one delivery")
        #expect(receivedSpanNames(server) == ["ev-1"])
        #expect(start.duration(to: harness.clock.now()) >= .seconds(7))
    }

    /// Review #22, finding 1: a proxy answering `Retry-After` with a date in the year 3000 (or 9999, or a
    /// hundred-digit delay) crashed the app with an arithmetic overflow; now the wait is the longest the
    /// schedule allows (`RetryScheduleTests` pins the cap), and the batch is delivered after it.
    @Test(arguments: ["Sun, 06 Nov 3000 08:49:37 GMT", "Fri, 31 Dec 9999 23:59:60 GMT", String(repeating: "9", count: 100)])
    func farFutureRetryAfterNeverCrashesAndIsCapped(value: String) async throws {
        let server = try Self.server(failing: [.respond(status: 503, headers: ["Retry-After": value])])
        defer { server.stop() }
        let telemetry = try client(server)
        telemetry.trackEvent("ev-1")
        let start = harness.clock.now()
        _ = await harness.drive(Task { await telemetry.flush() }, step: .seconds(5))
        #expect(receivedSpanNames(server) == ["ev-1"])
        #expect(start.duration(to: harness.clock.now()) >= .seconds(60), "the schedule's longest Retry-After")
        #expect(server.requests.count == 2, "one refused attempt, then the delivery after the capped wait")
    }

    @Test func tooManyRequestsIsRetried() async throws {
        let server = try Self.server(failing: [.respond(status: 429), .respond(status: 429)])
        defer { server.stop() }
        let telemetry = try client(server)
        telemetry.trackEvent("ev-1")
        let report = await harness.drive(Task { await telemetry.flush() })
        #expect(report.exported == 1)
        #expect(telemetry.stats.failedAttempts >= 2)
        #expect(receivedSpanNames(server) == ["ev-1"])
    }

    @Test func payloadTooLargeIsSplitAndResent() async throws {
        let server = try LoopbackHTTPServer { request in
            let spans = String(decoding: request.body, as: UTF8.self).matches(of: /"name":"ev-/).count
            return spans > 2 ? .respond(status: 413) : .respond(status: 200)
        }
        defer { server.stop() }
        let telemetry = try client(server) { $0.exporter.compression = false }
        for index in 0..<8 { telemetry.trackEvent("ev-\(index)") }
        let report = await telemetry.flush()
        #expect(report.exported == 8)
        let accepted = server.requests.filter { String(decoding: $0.body, as: UTF8.self).matches(of: /"name":"ev-/).count <= 2 }
        #expect(accepted.count == 4)
        #expect(telemetry.stats.totalDropped == 0)
    }

    @Test func badRequestIsDroppedCountedAndNotRetried() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 400, body: Array("invalid".utf8)) }
        defer { server.stop() }
        let telemetry = try client(server)
        telemetry.trackEvent("ev-1")
        telemetry.trackEvent("ev-2")
        let report = await telemetry.flush()
        #expect(report.dropped == 2)
        #expect(server.requests.count == 1)
        #expect(telemetry.stats.dropped[.rejectedByReceiver] == 2)
    }

    @Test func slowResponsesPastTheTimeoutAreRetried() async throws {
        let calls = LockedBox(0)
        let server = try LoopbackHTTPServer { _ in
            calls.withLock { count in
                count += 1
                return count == 1 ? .hang : .respond(status: 200)
            }
        }
        defer { server.stop() }
        let telemetry = try client(server) { $0.exporter.timeout = .seconds(2) }
        telemetry.trackEvent("ev-1")
        let report = await harness.drive(Task { await telemetry.flush() })
        #expect(report.exported == 1)
        // The first attempt must time out; on a loaded machine a later one may too.
        #expect(telemetry.stats.failedAttempts >= 1)
        #expect(receivedSpanNames(server) == ["ev-1"])
    }

    @Test func connectionResetMidRequestIsRetried() async throws {
        let server = try Self.server(failing: [.close])
        defer { server.stop() }
        let telemetry = try client(server)
        for index in 0..<50 { telemetry.trackEvent("ev-\(index)", attributes: ["padding": .string(String(repeating: "x", count: 200))]) }
        let report = await harness.drive(Task { await telemetry.flush() })
        #expect(report.exported == 50)
        #expect(telemetry.stats.retries >= 1)
        #expect(receivedSpanNames(server).count == 50)
    }
}
