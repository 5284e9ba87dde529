import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Testing
import TelemetryCore

/// A long outage, simulated on the manual clock: memory stays bounded, every drop is counted, the
/// breaker keeps request attempts to about one probe per cool-down, and recovery delivers what is
/// buffered exactly once.
@Suite struct OutageTests {
    @Test func tenMinutesDownThenBack() async throws {
        let harness = Harness()
        harness.exporter.script(Array(repeating: .retryable(reason: "down"), count: 10_000))
        let telemetry = try harness.client {
            $0.queueCapacity = 2_000
            $0.batchSize = 100
            $0.maxRetries = 3
        }
        var tracked = 0
        // 600 simulated seconds, 200 events per simulated second, ticks every 5 s.
        for second in 0..<600 {
            for index in 0..<200 { telemetry.trackEvent("e", attributes: ["s": .int(second), "i": .int(index)]) }
            tracked += 200
            harness.clock.advance(by: .seconds(1))
            if second % 5 == 0 { try await Task.sleep(for: .milliseconds(2)) }
            let stats = telemetry.stats
            #expect(stats.queued <= 2_000 && stats.pending <= 2_000, "memory stays bounded")
        }
        let attempts = harness.exporter.attempts.count
        // Retries before the breaker opens, then at most one probe per 30 s cool-down (+ slack for timing).
        #expect(attempts <= 4 + 600 / 30 + 4, "attempts: \(attempts)")
        let during = telemetry.stats
        #expect(during.exported == 0)
        #expect(during.totalDropped > 0 && during.dropped.keys.allSatisfy { [.queueFull, .bufferFull].contains($0) })

        // The endpoint comes back: what is buffered is delivered once, and every item is accounted for.
        harness.exporter.clearScript()
        harness.clock.advance(by: .seconds(31))
        let report = await telemetry.shutdown(deadline: .seconds(10))
        let stats = report.stats
        #expect(stats.exported >= 2_000, "the buffered items were delivered after recovery")
        #expect(stats.dropped[.shutdown] == nil)
        #expect(stats.exported + stats.totalDropped == tracked, "every tracked item is exported or counted as dropped")
        #expect(harness.exporter.spans.count == stats.exported)
        let keys = harness.exporter.spans.map { "\($0.attributes["s"]!.displayString)-\($0.attributes["i"]!.displayString)" }
        #expect(Set(keys).count == keys.count, "no duplicates")
    }
}
