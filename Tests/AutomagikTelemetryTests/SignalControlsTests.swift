import AutomagikTelemetry
import AutomagikTelemetryTestKit
import TelemetryCore
import TelemetryPipeline
import Testing

/// Logs as their own opt-in, sampling and the per-name rate limit, through the whole client.
@Suite struct SignalControlsTests {
    @Test func logsAreOffUntilOptedIn() async throws {
        for (logsEnabled, env, expected) in [
            (nil, [:], 0), (true, [:], 1), (nil, ["AUTOMAGIK_TELEMETRY_LOGS_ENABLED": "true"], 1),
            (false, ["AUTOMAGIK_TELEMETRY_LOGS_ENABLED": "true"], 0),
        ] as [(Bool?, [String: String], Int)] {
            let harness = Harness()
            let telemetry = try harness.client(env: env) { $0.logsEnabled = logsEnabled }
            telemetry.trackLog("hello")
            telemetry.trackEvent("still sent")
            await telemetry.flush()
            #expect(harness.exporter.logs.count == expected, "logsEnabled \(String(describing: logsEnabled)), env \(env)")
            #expect(harness.exporter.spans.count == 1, "events do not depend on the logs opt-in")
        }
    }

    @Test func sampledOutEventsAreCountedApartFromDropsAndErrorsAreAlwaysKept() async throws {
        let harness = Harness()
        let telemetry = try harness.client(env: ["OTEL_TRACES_SAMPLER": "parentbased_always_off"])
        for _ in 0..<50 { telemetry.trackEvent("sampled") }
        telemetry.trackError(type: "E", message: "kept")
        await telemetry.flush()
        #expect(harness.exporter.spans.map(\.name) == ["automagik.error"])
        #expect(telemetry.stats.sampledOut == 50)
        #expect(telemetry.stats.totalDropped == 0, "sampling is not a loss")
    }

    @Test func aRatioKeepsAboutThatShareAndNamedRatiosOverrideIt() async throws {
        let harness = Harness()
        let telemetry = try harness.client {
            $0.sampling = SamplingSettings(ratio: 0.5, eventRatios: ["always": 1, "never": 0])
            $0.batching.queueCapacity = 10_000
        }
        for _ in 0..<2_000 {
            telemetry.trackEvent("half")
            telemetry.trackEvent("always")
            telemetry.trackEvent("never")
        }
        await telemetry.flush()
        let names = harness.exporter.spans.map(\.name)
        let half = names.filter { $0 == "half" }.count
        #expect(abs(half - 1_000) < 4 * 23, "kept \(half) of 2000 at 0.5")  // σ = √(2000·¼) ≈ 22.4
        #expect(names.filter { $0 == "always" }.count == 2_000 && !names.contains("never"))
        #expect(telemetry.stats.sampledOut == 2_000 - half + 2_000)
    }

    @Test func eventsOverTheRateLimitAreDroppedAndCountedPerName() async throws {
        let harness = Harness()
        let telemetry = try harness.client(env: ["AUTOMAGIK_TELEMETRY_EVENT_RATE_LIMIT": "1/3"])
        for _ in 0..<10 { telemetry.trackEvent("runaway.loop") }
        telemetry.trackEvent("other")
        await telemetry.flush()
        harness.clock.advance(by: .seconds(2))
        telemetry.trackEvent("runaway.loop")
        telemetry.trackEvent("runaway.loop")
        await telemetry.flush()
        let names = harness.exporter.spans.map(\.name)
        #expect(names.filter { $0 == "runaway.loop" }.count == 5, "a burst of 3, then 2 tokens after 2 s")
        #expect(names.contains("other"))
        #expect(telemetry.stats.dropped[.rateLimited] == 7)
        #expect(telemetry.stats.rateLimitedNames == 1)
    }
}

/// Sessions end after the inactivity timeout: the next item carries a new `session.id`.
@Suite struct SessionRotationTests {
    private func sessions(_ exporter: RecordingExporter) -> [String] {
        exporter.batches.compactMap { $0.resource["session.id"]?.displayString }
    }

    @Test func aGapLongerThanTheTimeoutStartsANewSession() async throws {
        let harness = Harness()
        let telemetry = try harness.client { $0.sessionTimeout = .seconds(60) }
        let first = try #require(telemetry.status.sessionID)
        telemetry.trackEvent("a")
        await telemetry.flush()
        harness.clock.advance(by: .seconds(30))
        telemetry.trackEvent("b")
        await telemetry.flush()
        #expect(Set(sessions(harness.exporter)) == [first], "30 s apart: one session")

        harness.clock.advance(by: .seconds(61))
        telemetry.trackEvent("c")
        telemetry.trackLog("d")
        await telemetry.flush()
        let all = sessions(harness.exporter)
        let second = try #require(all.last)
        #expect(second != first)
        #expect(telemetry.status.sessionID == second)
        #expect(telemetry.status.description.contains(second))
        let byName = Dictionary(
            harness.exporter.batches.flatMap { batch in
                batch.payload.spanNames.map { ($0, batch.resource["session.id"]?.displayString ?? "") }
            }, uniquingKeysWith: { first, _ in first })
        #expect(byName["a"] == first && byName["b"] == first && byName["c"] == second)
    }

    @Test func theDefaultTimeoutIsThirtyMinutes() async throws {
        let harness = Harness()
        let telemetry = try harness.client()
        telemetry.trackEvent("a")
        await telemetry.flush()
        harness.clock.advance(by: .seconds(29 * 60))
        telemetry.trackEvent("b")
        await telemetry.flush()
        harness.clock.advance(by: .seconds(31 * 60))
        telemetry.trackEvent("c")
        await telemetry.flush()
        #expect(Set(sessions(harness.exporter)).count == 2)
    }
}

extension ExportPayload {
    /// The names of the spans in a traces payload.
    fileprivate var spanNames: [String] {
        if case .spans(let spans) = self { return spans.map(\.name) }
        return []
    }
}
