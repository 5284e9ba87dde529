import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
@_spi(Internals) import TelemetryCore
import TelemetryGzip
import TelemetryOTLP
import TelemetryPipeline
import Testing

/// Outages at default settings, simulated on the manual clock through the real OTLP exporter (JSON,
/// gzip) and a switchable endpoint: nothing is lost while the buffer holds, memory stays within the
/// budget, the breaker keeps attempts to about one probe per cool-down, and recovery delivers
/// everything exactly once.
@Suite struct OutageTests {
    private func client(
        _ endpoint: SwitchableEndpoint, clock: ManualClock, _ configure: (inout TelemetryConfiguration) -> Void = { _ in }
    )
        throws -> AutomagikTelemetry
    {
        var configuration = TelemetryConfiguration.test("outage")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://c.example.com", encoding: .json))
        configure(&configuration)
        return try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                clock: clock, random: SeededRandomSource(seed: 5), environment: DictionaryEnvironment(),
                stateStore: InMemoryStateStore(), host: Harness.host, httpClient: endpoint
            )
        )
    }

    /// Tracks `rate` events per simulated second for `seconds`, advancing the clock; returns how many.
    private func track(_ telemetry: AutomagikTelemetry, clock: ManualClock, seconds: Int, rate: Int, from start: Int = 0) async -> Int {
        for second in start..<(start + seconds) {
            for index in 0..<rate { telemetry.trackEvent("e", attributes: ["s": .int(second), "i": .int(index)]) }
            // Let the engine catch up with the simulated second (debug builds convert slowly), so the
            // clock does not run ahead of what the engine has seen.
            _ = await eventually { telemetry.stats.queued < 512 }  // below the wake threshold items wait for the tick
            clock.advance(by: .seconds(1))
            try? await Task.sleep(for: .milliseconds(1))
        }
        return seconds * rate
    }

    @Test func tenMinutesDownAtDefaultsLosesNothing() async throws {
        let clock = ManualClock()
        let endpoint = SwitchableEndpoint(up: false)
        let telemetry = try client(endpoint, clock: clock)
        let tracked = await track(telemetry, clock: clock, seconds: 600, rate: 200)
        let during = telemetry.stats
        #expect(during.exported == 0)
        #expect(during.totalDropped == 0, "dropped during the outage: \(during.dropped)")
        print("outage: attempts \(endpoint.attempts), buffered \(during.bufferedBytes) B, pending \(during.pending)")
        #expect(during.bufferedBytes <= 64 * 1024 * 1024)
        // Cool-downs double from 1 s to 30 s (drawn from the upper half): about one probe per 15–30 s.
        let attempts = endpoint.attempts
        #expect(attempts >= 15 && attempts <= 6 + 600 / 15, "attempts: \(attempts)")

        endpoint.setUp(true)
        let report = await telemetry.shutdown(deadline: .seconds(60))
        #expect(report.stats.exported == tracked, "\(report.stats)")
        #expect(report.stats.totalDropped == 0)
        #expect(endpoint.deliveredSpanIDs.count == tracked)
        #expect(Set(endpoint.deliveredSpanIDs).count == tracked, "no duplicates")
    }

    @Test func aFiveSecondRestartCostsSecondsOfLatencyAndNoData() async throws {
        let clock = ManualClock()
        let endpoint = SwitchableEndpoint(up: true)
        let telemetry = try client(endpoint, clock: clock)
        var tracked = await track(telemetry, clock: clock, seconds: 10, rate: 2_000)
        endpoint.setUp(false)
        tracked += await track(telemetry, clock: clock, seconds: 5, rate: 2_000, from: 10)
        endpoint.setUp(true)
        tracked += await track(telemetry, clock: clock, seconds: 5, rate: 2_000, from: 15)
        // Within a few seconds of the restart the backlog is delivered, before any shutdown.
        #expect(await eventually { telemetry.stats.exported >= 2_000 * 15 }, "\(telemetry.stats)")
        let report = await telemetry.shutdown(deadline: .seconds(30))
        #expect(report.stats.exported == tracked)
        #expect(report.stats.totalDropped == 0)
        #expect(Set(endpoint.deliveredSpanIDs).count == tracked)
    }

    @Test func pastTheBudgetTheOldestGoFirstAndEveryItemIsAccountedFor() async throws {
        let clock = ManualClock()
        let endpoint = SwitchableEndpoint(up: false)
        let telemetry = try client(endpoint, clock: clock) { $0.batching.memoryBudget = 1024 * 1024 }
        let tracked = await track(telemetry, clock: clock, seconds: 120, rate: 1_000)
        let during = telemetry.stats
        #expect(during.dropped[.bufferFull, default: 0] > 0, "a 1 MiB budget cannot hold 120 k events")
        #expect(during.bufferedBytes <= 1024 * 1024 + 256 * 1024, "within the budget (plus one batch being cut): \(during.bufferedBytes)")
        endpoint.setUp(true)
        let report = await telemetry.shutdown(deadline: .seconds(60))
        let stats = report.stats
        #expect(stats.exported + stats.totalDropped == tracked, "every tracked item is exported or counted: \(stats)")
        #expect(Set(stats.dropped.keys).isSubset(of: [.bufferFull, .queueFull]))
        let seconds = endpoint.deliveredSeconds
        #expect((seconds.min() ?? 0) > 0 && seconds.contains(119), "the oldest were evicted, the newest delivered")
    }
}

/// An OTLP endpoint that refuses connections while down and answers 200 while up, remembering the
/// span ids (and the `s` attribute) of every delivered span.
final class SwitchableEndpoint: HTTPClient {
    private struct State {
        var up: Bool
        var attempts = 0
        var spanIDs: [String] = []
        var seconds: Set<Int> = []
    }

    private let state: LockedBox<State>

    init(up: Bool) { state = LockedBox(State(up: up)) }

    func setUp(_ up: Bool) { state.withLock { $0.up = up } }
    var attempts: Int { state.withLock { $0.attempts } }
    var deliveredSpanIDs: [String] { state.withLock { $0.spanIDs } }
    var deliveredSeconds: Set<Int> { state.withLock { $0.seconds } }

    func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let up = state.withLock { state -> Bool in
            state.attempts += 1
            return state.up
        }
        guard up else { throw .connectionFailed("refused") }
        let body = request.header("Content-Encoding") == "gzip" ? ((try? GzipDecompressor.decompress(request.body)) ?? []) : request.body
        let text = String(decoding: body, as: UTF8.self)
        let ids = Self.values(after: "\"spanId\":\"", in: text)
        let seconds = Self.values(after: "\"key\":\"s\",\"value\":{\"intValue\":\"", in: text).compactMap { Int($0) }
        state.withLock { state in
            state.spanIDs.append(contentsOf: ids)
            state.seconds.formUnion(seconds)
        }
        return HTTPResponse(status: 200)
    }

    private static func values(after marker: String, in text: String) -> [String] {
        text.components(separatedBy: marker).dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}
