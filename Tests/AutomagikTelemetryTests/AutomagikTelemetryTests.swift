import AutomagikTelemetry
import AutomagikTelemetryTestKit
import TelemetryCore
import TelemetryMetrics
import TelemetryPipeline
import Testing

@Suite struct AutomagikTelemetryTests {
    let harness = Harness()

    @Test func disabledClientIsInert() async throws {
        let telemetry = try harness.client(enabled: nil)
        #expect(!telemetry.isEnabled)
        telemetry.trackEvent("x", attributes: ["a": 1])
        telemetry.trackMetric("m", value: 1, type: .counter)
        telemetry.trackLog("hello")
        telemetry.trackError(TestError.failed)
        let report = await telemetry.flush()
        #expect(report == FlushReport(exported: 0, dropped: 0, pending: 0))
        #expect(telemetry.stats == TelemetryStats())
        #expect(harness.exporter.attempts.isEmpty)
        #expect(harness.store.writes.isEmpty)
        #expect(telemetry.status.anonymousID == nil)
        #expect(harness.clock.sleeperCount == 0, "no ticker task may run while disabled")
        _ = await telemetry.shutdown()
        #expect(!harness.exporter.isShutDown, "the exporter is never even created while disabled")
    }

    @Test func everySignalIsDeliveredOnFlush() async throws {
        let telemetry = try harness.client()
        telemetry.trackEvent(StandardEvents.featureUsed, attributes: ["feature": "export_csv"], duration: .milliseconds(40))
        telemetry.trackError(TestError.failed, attributes: ["operation": "import"])
        for _ in 0..<3 { telemetry.trackMetric("requests", value: 1, type: .counter, unit: "{request}") }
        telemetry.trackLog("disk almost full", severity: .warn, attributes: ["disk": "/"])
        let report = await telemetry.flush()
        #expect(report.exported == 4)
        #expect(report.pending == 0)

        let spans = harness.exporter.spans
        #expect(spans.map(\.name) == [StandardEvents.featureUsed, "automagik.error"])
        #expect(spans[0].duration == .milliseconds(40))
        #expect(spans[0].attributes["feature"] == "export_csv")
        #expect(spans[0].attributes["system.os"] == "linux")
        #expect(spans[1].status.code == .error)
        #expect(spans[1].attributes["error_type"] == .string(String(reflecting: TestError.self)))
        #expect(spans[1].events.first?.attributes["exception.message"] == "failed")

        let metrics = harness.exporter.metrics
        #expect(metrics.count == 1)
        guard case .sum(let sum) = metrics[0].data else {
            Issue.record("expected a sum")
            return
        }
        #expect(sum.points.map(\.value) == [.double(3)])
        #expect(sum.isMonotonic && sum.temporality == .cumulative, "OTLP's default temporality")

        let logs = harness.exporter.logs
        #expect(logs.map(\.body) == ["disk almost full"])
        #expect(logs[0].severity == .warn)

        let resource = try #require(harness.exporter.batches.first?.resource)
        #expect(resource["service.name"] == "test-app")
        #expect(resource["service.version"] == "2.0.0")
        #expect(resource["service.organization"] == "namastex")
        #expect(resource["service.namespace"] == "namastex")
        #expect(resource["service.instance.id"] != nil)
        #expect(resource["telemetry.sdk.language"] == "swift")
        #expect(resource["host.arch"] == "amd64")
        let storedID = try #require(harness.store.values[.anonymousID])
        #expect(resource["user.id"] == .string(storedID))
        #expect(RandomUUID.isValid(storedID))
        #expect(resource["session.id"] != nil)
        #expect(telemetry.stats.exported == 4)
        #expect(telemetry.stats.enqueued == 6)
    }

    @Test func existingAnonymousIdIsReused() async throws {
        try harness.store.write(.anonymousID, value: "3b241101-e2bb-4255-8caf-4136c566a962")
        let telemetry = try harness.client()
        telemetry.trackEvent("x")
        await telemetry.flush()
        #expect(harness.exporter.batches.first?.resource["user.id"] == "3b241101-e2bb-4255-8caf-4136c566a962")
        #expect(telemetry.status.anonymousID == "3b241101-e2bb-4255-8caf-4136c566a962")
    }

    @Test func privacyRulesApplyBeforeExport() async throws {
        let telemetry = try harness.client()
        telemetry.trackEvent("login", attributes: ["api_key": "sk_live_abc", "total_tokens": 12, "password": "hunter2"])
        telemetry.trackLog("hi", attributes: ["message": "secret words", "route": "/"])
        await telemetry.flush()
        #expect(harness.exporter.spans[0].attributes["api_key"] == nil)
        #expect(harness.exporter.spans[0].attributes["password"] == nil)
        #expect(harness.exporter.spans[0].attributes["total_tokens"] == 12)
        #expect(harness.exporter.logs[0].attributes == ["route": "/"])
        #expect(telemetry.stats.redactions == [.secretKey: 2, .messageContent: 1])
    }

    @Test func badInputIsDroppedAndCounted() async throws {
        let telemetry = try harness.client()
        telemetry.trackMetric("m", value: .nan)
        telemetry.trackMetric("m", value: -.infinity, type: .histogram)
        telemetry.trackMetric("c", value: -1, type: .counter)
        telemetry.trackMetric("m", value: 1, type: "bogus")
        telemetry.trackEvent("")
        telemetry.trackLog("")
        telemetry.trackMetric("same", value: 1, type: .gauge)
        telemetry.trackMetric("same", value: 1, type: .counter)
        await telemetry.flush()
        let dropped = telemetry.stats.dropped
        #expect(dropped[.nonFiniteValue] == 2)
        #expect(dropped[.negativeCounterIncrement] == 1)
        #expect(dropped[.invalidMetric] == 2)
        #expect(dropped[.invalidInput] == 2)
    }

    @Test func stringMetricTypesAreAcceptedForParity() async throws {
        let telemetry = try harness.client()
        telemetry.trackMetric("h", value: 3, type: "histogram")
        telemetry.trackMetric("c", value: 3, type: "COUNTER")
        await telemetry.flush()
        #expect(Set(harness.exporter.metrics.map(\.name)) == ["h", "c"])
    }

    @Test func theEngineKeepsTakingInWhileARequestHangs() async throws {
        // The intake's overflow policies are tested on `IntakeQueue`; here: a stuck request no longer
        // stops the intake from being drained, so nothing piles up at the caller and nothing is lost.
        let gate = GateExporter()
        let telemetry = try harness.client(exporter: gate) { $0.batching.batchSize = 10 }
        telemetry.trackEvent("first")
        let flushing = Task { await telemetry.flush() }
        #expect(await eventually { gate.waitingCount == 1 })
        for index in 0..<1_000 { telemetry.trackEvent("e\(index)") }
        #expect(await eventually { telemetry.stats.queued == 0 && telemetry.stats.pending == 1_001 }, "\(telemetry.stats)")
        #expect(gate.waitingCount == 1, "one request at a time for an exporter that allows one")
        gate.open()
        _ = await flushing.value
        await telemetry.flush()
        let names = gate.exported.flatMap { batch -> [String] in
            if case .spans(let spans) = batch.payload { return spans.map(\.name) }
            return []
        }
        #expect(names == ["first"] + (0..<1_000).map { "e\($0)" })
        #expect(telemetry.stats.totalDropped == 0)
    }

    @Test func fullBatchIsSentWithoutWaitingForTheInterval() async throws {
        let telemetry = try harness.client { $0.batching.batchSize = 10 }
        for index in 0..<10 { telemetry.trackEvent("e\(index)") }
        #expect(await eventually { harness.exporter.spans.count == 10 })
    }

    @Test func flushIntervalSendsPartialBatches() async throws {
        let telemetry = try harness.client { $0.batching.flushInterval = .seconds(5) }
        #expect(await harness.clock.waitForSleepers(1))
        telemetry.trackEvent("lonely")
        telemetry.trackMetric("g", value: 2)
        harness.clock.advance(by: .seconds(5))
        #expect(await eventually { harness.exporter.spans.count == 1 && harness.exporter.metrics.count == 1 })
    }

    @Test func metricsAreCumulativeByDefaultAndDeltasWhenAsked() async throws {
        for (temporality, expected) in [(nil, [2.0, 7.0]), (AggregationTemporality.delta, [2.0, 5.0])] {
            let harness = Harness()
            let telemetry = try harness.client { $0.exporter.metricTemporality = temporality }
            telemetry.trackMetric("c", value: 2, type: .counter)
            await telemetry.flush()
            harness.clock.advance(by: .milliseconds(100))
            telemetry.trackMetric("c", value: 5, type: .counter)
            await telemetry.flush()
            let values = harness.exporter.metrics.compactMap { record -> Double? in
                if case .sum(let sum) = record.data { return sum.points.first?.value.doubleValue }
                return nil
            }
            #expect(values == expected, "\(String(describing: temporality))")
        }
    }

    @Test func statusExplainsAndHidesSecrets() throws {
        let telemetry = try harness.client(enabled: nil, env: ["DO_NOT_TRACK": "1"]) {
            $0.backend = .otlp(OTLPSettings(headers: ["Authorization": "Bearer super-secret"]))
        }
        let status = telemetry.status
        #expect(!status.isEnabled)
        #expect(status.decision.reason == .doNotTrack)
        #expect(status.description.contains("DO_NOT_TRACK"))
        #expect(status.description.contains("Authorization"))
        #expect(!status.description.contains("super-secret"))
    }

    @Test func statusNamesEachSettingByItsPropertyPath() throws {
        let telemetry = try harness.client(env: ["OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.example:4318"]) {
            $0.batching.batchSize = 250
        }
        let status = telemetry.status
        #expect(status.setting("backend.otlp.tracesEndpoint")?.value == "https://collector.example:4318/v1/traces")
        #expect(status.setting("backend.otlp.endpoint")?.source == .environment("OTEL_EXPORTER_OTLP_ENDPOINT"))
        #expect(status.setting("batching.batchSize")?.value == "250")
        #expect(status.setting("batching.batchSize")?.source == .code)
        #expect(status.setting("projectName")?.source == .code)
        #expect(status.setting("backend.clickhouse.endpoint") == nil, "ClickHouse settings do not apply to the OTLP backend")
        #expect(status.setting("no.such.setting") == nil)
    }
}

enum TestError: Error, CustomStringConvertible {
    case failed
    var description: String { "failed" }
}
