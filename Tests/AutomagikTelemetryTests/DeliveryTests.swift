import AutomagikTelemetry
import AutomagikTelemetryTestKit
import TelemetryCore
import TelemetryPipeline
import Testing

/// Retries, splitting, the circuit breaker and shutdown, driven by the manual clock.
@Suite struct DeliveryTests {
    let harness = Harness()

    @Test func transientFailuresAreRetriedWithBackoff() async throws {
        harness.exporter.script([.retryable(reason: "503"), .retryable(reason: "timeout")])
        let telemetry = try harness.client()
        telemetry.trackEvent("x")
        let report = await harness.drive(Task { await telemetry.flush() })
        #expect(report.exported == 1)
        #expect(harness.exporter.attempts.count == 3)
        #expect(harness.exporter.spans.count == 1)
        let stats = telemetry.stats
        #expect(stats.retries == 2)
        #expect(stats.failedAttempts == 2)
        #expect(stats.totalDropped == 0)
    }

    @Test func retryAfterIsHonoured() async throws {
        harness.exporter.script([.retryable(reason: "429", retryAfter: .seconds(20))])
        let telemetry = try harness.client()
        telemetry.trackEvent("x")
        let start = harness.clock.now()
        _ = await harness.drive(Task { await telemetry.flush() }, step: .seconds(1))
        #expect(harness.exporter.spans.count == 1)
        #expect(start.duration(to: harness.clock.now()) >= .seconds(20))
    }

    @Test func permanentFailuresAreDroppedNotRetried() async throws {
        harness.exporter.script([.permanentFailure(reason: "400 bad request")])
        let telemetry = try harness.client()
        telemetry.trackEvent("a")
        telemetry.trackEvent("b")
        let report = await telemetry.flush()
        #expect(report.dropped == 2)
        #expect(harness.exporter.attempts.count == 1)
        #expect(telemetry.stats.dropped[.rejectedByReceiver] == 2)
        #expect(telemetry.stats.retries == 0)
    }

    @Test func tooLargeBatchesAreSplit() async throws {
        harness.exporter.script([.tooLarge(reason: "413")])
        let telemetry = try harness.client()
        for index in 0..<4 { telemetry.trackEvent("e\(index)") }
        await telemetry.flush()
        #expect(harness.exporter.batches.map(\.itemCount) == [2, 2])
        #expect(harness.exporter.spans.map(\.name) == ["e0", "e1", "e2", "e3"])
    }

    @Test func partialSuccessCountsRejectedItems() async throws {
        harness.exporter.script([.success(rejectedItems: 1, bytesSent: 300)])
        let telemetry = try harness.client()
        telemetry.trackEvent("a")
        telemetry.trackEvent("b")
        await telemetry.flush()
        #expect(telemetry.stats.exported == 1)
        #expect(telemetry.stats.dropped[.partiallyRejected] == 1)
        #expect(telemetry.stats.bytesSent == 300)
    }

    @Test func outageKeepsItemsAndTheBreakerProbesOncePerCoolDown() async throws {
        harness.exporter.script(Array(repeating: .retryable(reason: "down"), count: 100))
        let telemetry = try harness.client { $0.exporter.maxRetries = 3 }
        telemetry.trackEvent("survivor")
        let first = await harness.drive(Task { await telemetry.flush() })
        #expect(first.pending == 1, "a flush that gives up keeps the batch, it does not drop it")
        #expect(harness.exporter.attempts.count == 4, "the attempt and maxRetries retries")

        // Known down: an explicit flush probes once and returns at once.
        let probe = await telemetry.flush()
        #expect(harness.exporter.attempts.count == 5, "exactly one probe")
        #expect(probe.pending == 1)

        // Cool-downs keep doubling (1 s up to 30 s, upper half): a minute down costs a few probes.
        for _ in 0..<60 {
            harness.clock.advance(by: .seconds(1))
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(await eventually { harness.exporter.attempts.count > 5 }, "at least one probe in a minute")
        let probes = harness.exporter.attempts.count - 5
        #expect(probes <= 4, "probes in a minute: \(probes)")

        // Back up: the next probe delivers, exactly once.
        harness.exporter.clearScript()
        // Time moves on until the next probe: under load the engine may arm its timer late, so the clock
        // keeps advancing while waiting instead of a fixed number of steps.
        #expect(
            await eventually {
                if harness.exporter.spans.isEmpty { harness.clock.advance(by: .seconds(1)) }
                return harness.exporter.spans.count == 1
            })
        #expect(harness.exporter.spans.map(\.name) == ["survivor"])
        #expect(telemetry.stats.totalDropped == 0)
    }

    @Test func shutdownReturnsByTheDeadlineWhenTheEndpointHangs() async throws {
        let gate = GateExporter()
        let telemetry = try harness.client(exporter: gate)
        telemetry.trackEvent("stuck")
        telemetry.trackEvent("also stuck")
        let shutdown = Task { await telemetry.shutdown(deadline: .seconds(2)) }
        #expect(await eventually { gate.waitingCount == 1 })
        let report = await harness.drive(shutdown, step: .seconds(1))
        #expect(report.deadlineExceeded)
        #expect(report.stats.dropped[.shutdown] == 2)
        telemetry.trackEvent("after")
        #expect(telemetry.stats.enqueued == 2, "tracking after shutdown is a no-op")
        #expect(!telemetry.isEnabled)
        let again = await telemetry.shutdown()
        #expect(!again.deadlineExceeded && again.exported == 0)
    }

    @Test func flushWithADeadlineReturnsByItWhenTheEndpointHangs() async throws {
        let gate = GateExporter()
        let telemetry = try harness.client(exporter: gate)
        telemetry.trackEvent("stuck")
        let flush = Task { await telemetry.flush(deadline: .seconds(3)) }
        #expect(await eventually { gate.waitingCount == 1 })
        let report = await harness.drive(flush, step: .seconds(1))
        #expect(report.exported == 0)
        #expect(report.pending == 1, "still buffered, not dropped")
        #expect(telemetry.stats.totalDropped == 0)
        _ = await telemetry.shutdown(deadline: .zero)
    }

    @Test func shutdownFlushesAndReleasesTheExporter() async throws {
        let telemetry = try harness.client()
        telemetry.trackEvent("last words")
        let report = await telemetry.shutdown(deadline: .seconds(5))
        #expect(!report.deadlineExceeded)
        #expect(report.exported == 1)
        #expect(harness.exporter.isShutDown)
        #expect(harness.exporter.spans.map(\.name) == ["last words"])
    }

    @Test func disableDiscardsAndEnableResumes() async throws {
        let gate = GateExporter()
        let telemetry = try harness.client(exporter: gate)
        telemetry.trackEvent("before")
        let flushing = Task { await telemetry.flush() }
        #expect(await eventually { gate.waitingCount == 1 })
        telemetry.trackEvent("queued")
        telemetry.disable()
        #expect(!telemetry.isEnabled)
        #expect(telemetry.decision.reason == .disabledAtRuntime)
        #expect(telemetry.stats.dropped[.disabled] == 1)
        telemetry.trackEvent("ignored")
        gate.open()
        _ = await flushing.value

        telemetry.enable()
        #expect(telemetry.isEnabled)
        telemetry.trackEvent("after")
        await telemetry.flush()
        let names = gate.exported.flatMap { batch -> [String] in
            if case .spans(let spans) = batch.payload { return spans.map(\.name) }
            return []
        }
        #expect(names == ["before", "after"])
    }

    @Test func enableCannotOverrideAnOptOut() throws {
        let telemetry = try harness.client(enabled: nil, env: ["DO_NOT_TRACK": "1"])
        telemetry.enable(persist: true)
        #expect(!telemetry.isEnabled)
        #expect(telemetry.decision.reason == .doNotTrack)
        #expect(harness.store.values[.consent] == "true")
    }

    @Test func persistedChoicesAreSaved() throws {
        let telemetry = try harness.client(enabled: nil)
        telemetry.disable(persist: true)
        #expect(harness.store.values[.consent] == "false")
        #expect(harness.store.values[.optOutMarker] == nil, "disable never writes the machine-wide opt-out file")
        telemetry.enable(persist: true)
        #expect(harness.store.values[.consent] == "true")
        #expect(telemetry.isEnabled)
    }
}
