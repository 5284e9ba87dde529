import AutomagikTelemetry
import AutomagikTelemetryLifecycle
import AutomagikTelemetryTestKit
import Foundation
@_spi(Internals) import TelemetryCore
import TelemetrySystem
import Testing

@Suite struct AppLifecycleFlusherTests {
    /// Records every begin and end; can expire an assertion at once, as a system short of time would.
    final class FakeExecution: BackgroundExecution {
        let log = LockedBox<[String]>([])
        let expireImmediately: Bool

        init(expireImmediately: Bool = false) {
            self.expireImmediately = expireImmediately
        }

        func begin(name: String, onExpiration: @escaping @Sendable () -> Void) async -> Int {
            log.withLock { $0.append("begin \(name)") }
            if expireImmediately { onExpiration() }
            return 7
        }

        func end(_ token: Int) {
            log.withLock { $0.append("end \(token)") }
        }
    }

    /// An exporter that never answers (a hung endpoint).
    struct HangingExporter: TelemetryExporter {
        func export(_ batch: ExportBatch) async -> ExportResult {
            try? await Task.sleep(for: .seconds(3600))
            return .retryable(reason: "cancelled")
        }
    }

    /// The real clock: deadlines here are about real time passing.
    private func client(exporter: any TelemetryExporter) throws -> AutomagikTelemetry {
        var configuration = TelemetryConfiguration(projectName: "app", version: "1.0.0")
        configuration.enabled = true
        return try AutomagikTelemetry(configuration: configuration, dependencies: .inMemory(clock: SystemClock(), exporter: exporter))
    }

    @Test func enteringTheBackgroundFlushesInsideOneAssertion() async throws {
        let exporter = RecordingExporter()
        let telemetry = try client(exporter: exporter)
        for index in 0..<20 { telemetry.trackEvent("screen.viewed", attributes: ["n": .int(Int64(index))]) }
        let execution = FakeExecution()
        let flusher = AppLifecycleFlusher(telemetry: telemetry, execution: execution)
        let report = await flusher.appDidEnterBackground()
        #expect(report?.pending == 0)
        #expect(exporter.spans.count == 20, "everything tracked before the app left the foreground was delivered")
        #expect(execution.log.withLock { $0 } == ["begin automagik-telemetry flush", "end 7"])
        await telemetry.shutdown()
    }

    @Test func anExpiredAssertionIsEndedOnceAndAtOnce() async throws {
        let telemetry = try client(exporter: RecordingExporter())
        telemetry.trackEvent("screen.viewed")
        let execution = FakeExecution(expireImmediately: true)
        await AppLifecycleFlusher(telemetry: telemetry, execution: execution).appDidEnterBackground()
        #expect(execution.log.withLock { $0 } == ["begin automagik-telemetry flush", "end 7"], "ended exactly once")
        await telemetry.shutdown()
    }

    @Test func aHungEndpointCannotHoldTheAssertionPastTheDeadline() async throws {
        let telemetry = try client(exporter: HangingExporter())
        telemetry.trackEvent("screen.viewed")
        var options = AppLifecycleOptions()
        options.backgroundDeadline = .milliseconds(300)
        let execution = FakeExecution()
        let start = ContinuousClock.now
        let report = await AppLifecycleFlusher(telemetry: telemetry, options: options, execution: execution).appDidEnterBackground()
        // Returns by the deadline on an idle machine (0.3 s); the bound only proves it does not wait for
        // the hour-long export: under ThreadSanitizer, CPU-bound suites beside this one have held the
        // cooperative threads that run the deadline's timer for over 30 s.
        #expect(ContinuousClock.now - start < .seconds(300))
        #expect(report?.pending == 1, "not delivered, still buffered")
        #expect(execution.log.withLock { $0 }.last == "end 7")
        await telemetry.shutdown(deadline: .milliseconds(100))
    }

    @Test func terminationShutsDownWithinItsDeadline() throws {
        let exporter = RecordingExporter()
        let telemetry = try client(exporter: exporter)
        for _ in 0..<5 { telemetry.trackEvent("about.to.quit") }
        // A generous deadline here: the wait ends when the shutdown does, and a loaded test machine's
        // cooperative threads may take seconds to run it.
        var patient = AppLifecycleOptions()
        patient.terminationDeadline = .seconds(60)
        AppLifecycleFlusher(telemetry: telemetry, options: patient, execution: FakeExecution()).appWillTerminate()
        #expect(exporter.spans.count == 5)

        let hung = try client(exporter: HangingExporter())
        hung.trackEvent("about.to.quit")
        var options = AppLifecycleOptions()
        options.terminationDeadline = .milliseconds(200)
        let start = ContinuousClock.now
        AppLifecycleFlusher(telemetry: hung, options: options, execution: FakeExecution()).appWillTerminate()
        #expect(ContinuousClock.now - start < .seconds(5), "the main thread is blocked for the deadline plus a margin, not longer")
    }

    @Test func eachFlushCanBeSwitchedOff() async throws {
        let exporter = RecordingExporter()
        let telemetry = try client(exporter: exporter)
        telemetry.trackEvent("kept")
        var options = AppLifecycleOptions()
        options.flushOnBackground = false
        options.flushOnTermination = false
        let execution = FakeExecution()
        let flusher = AppLifecycleFlusher(telemetry: telemetry, options: options, execution: execution)
        #expect(await flusher.appDidEnterBackground() == nil)
        flusher.appWillTerminate()
        #expect(execution.log.withLock { $0 }.isEmpty)
        #expect(telemetry.stats.exported == 0)
        await telemetry.shutdown()
    }
}
