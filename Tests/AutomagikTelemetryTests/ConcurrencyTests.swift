import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
@_spi(Internals) import TelemetryCore
import TelemetryMetrics
import TelemetryPipeline
import Testing

/// Many threads tracking while flush, enable and disable race with them: no crash, no deadlock, and
/// every item accepted into the queue is accounted for (exported or dropped under a reason).
@Suite struct ConcurrencyTests {
    @Test func producersRacingWithFlushEnableAndDisable() async throws {
        let exporter = RecordingExporter()
        let telemetry = try AutomagikTelemetry(
            configuration: .test("race") { $0.batching = BatchingSettings(batchSize: 200, queueCapacity: 1_000_000) },
            dependencies: TelemetryDependencies(environment: DictionaryEnvironment(), stateStore: InMemoryStateStore(), exporter: exporter)
        )
        let producers = 8
        let perProducer = 20_000
        let done = DispatchGroup()
        let finished = LockedBox(0)
        for producer in 0..<producers {
            done.enter()
            Thread {
                for index in 0..<perProducer {
                    switch index % 3 {
                    case 0: telemetry.trackEvent("e", attributes: ["p": .int(producer)])
                    case 1: telemetry.trackLog("l")
                    default: telemetry.trackError(type: "E", message: "m")
                    }
                }
                finished.withLock { $0 += 1 }
                done.leave()
            }.start()
        }
        // Keep racing for as long as the producers run (and at least 30 rounds).
        var round = 0
        while round < 30 || finished.withLock({ $0 }) < producers {
            // Enabled first: producers that finish within the first rounds still meet an enabled client.
            if round % 3 == 2 { telemetry.disable() } else { telemetry.enable() }
            await telemetry.flush()
            _ = telemetry.stats
            _ = telemetry.status
            round += 1
        }
        telemetry.enable()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                done.wait()
                continuation.resume()
            }
        }
        let report = await telemetry.shutdown(deadline: .seconds(30))
        let stats = report.stats
        #expect(!report.deadlineExceeded)
        #expect(stats.enqueued > 0)
        #expect(stats.queued == 0 && stats.pending == 0)
        #expect(
            stats.enqueued == exporter.spans.count + exporter.logs.count + stats.totalDropped,
            "every item accepted was exported or counted as dropped")
        #expect(stats.exported == exporter.spans.count + exporter.logs.count)
        #expect(stats.dropped.keys.allSatisfy { [.disabled, .shutdown].contains($0) }, "\(stats.dropped)")
    }
}

/// A gauge set from async code, whose task can resume on another thread after each `await`, still
/// exports the value set last: every item carries the time of its call.
@Suite struct AsyncOrderingTests {
    @Test func gaugesSetAcrossAwaitsExportTheirLastValue() async throws {
        let exporter = RecordingExporter()
        let telemetry = try AutomagikTelemetry(
            configuration: .test("gauges"),
            dependencies: TelemetryDependencies(environment: DictionaryEnvironment(), stateStore: InMemoryStateStore(), exporter: exporter)
        )
        await withTaskGroup(of: Void.self) { group in
            for series in 0..<200 {
                group.addTask {
                    for value in 0...20 {
                        telemetry.trackMetric("level", value: Double(value), type: .gauge, attributes: ["series": .int(Int64(series))])
                        await Task.yield()
                    }
                }
            }
        }
        await telemetry.flush()
        var last: [String: Double] = [:]
        for record in exporter.metrics {
            guard case .gauge(let points) = record.data else { continue }
            for point in points {
                if case .double(let value) = point.value { last[point.attributes["series"]?.displayString ?? ""] = value }
            }
        }
        #expect(last.count == 200)
        #expect(last.values.allSatisfy { $0 == 20 }, "series with a stale value: \(last.filter { $0.value != 20 }.count)")
        await telemetry.shutdown()
    }
}
