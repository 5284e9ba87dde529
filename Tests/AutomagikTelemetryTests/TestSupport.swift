import AutomagikTelemetry
import AutomagikTelemetryTestKit
@_spi(Internals) import TelemetryCore
import TelemetrySystem

/// Builds clients wired to the test kit: manual clock, seeded ids, in-memory store and exporter.
struct Harness {
    let clock = ManualClock()
    let exporter = RecordingExporter()
    let store = InMemoryStateStore()
    let random = SeededRandomSource(seed: 42)
    static let host = HostInfo(osType: "linux", osVersion: "6.1", architecture: "amd64", runtimeVersion: "6.3", isContainer: false)

    func client(
        enabled: Bool? = true,
        env: [String: String] = [:],
        exporter: (any TelemetryExporter)? = nil,
        _ configure: (inout TelemetryConfiguration) -> Void = { _ in }
    ) throws -> AutomagikTelemetry {
        var configuration = TelemetryConfiguration(projectName: "test-app", version: "2.0.0")
        configuration.enabled = enabled
        configuration.logsEnabled = true  // logs are their own opt-in; the suites exercise every signal
        configure(&configuration)
        return try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                clock: clock, random: random, environment: DictionaryEnvironment(env), stateStore: store,
                host: Self.host, exporter: exporter ?? self.exporter
            )
        )
    }

    /// Advances the manual clock in `step`s until `task` finishes. Real I/O may be involved (loopback
    /// servers), so each step also lets a little real time pass; gives up after `realTimeLimit`.
    func drive<T: Sendable>(
        _ task: Task<T, Never>, step: Duration = .milliseconds(500), maxSteps: Int = .max,
        realTimeLimit: Duration = .seconds(60)
    ) async -> T {
        let finished = LockedBox(false)
        let watcher = Task {
            let value = await task.value
            finished.withLock { $0 = true }
            return value
        }
        let deadline = ContinuousClock.now + realTimeLimit
        var steps = 0
        while steps < maxSteps, ContinuousClock.now < deadline {
            for _ in 0..<50 { await Task.yield() }
            if finished.withLock({ $0 }) { break }
            try? await Task.sleep(for: .milliseconds(1))
            if finished.withLock({ $0 }) { break }
            clock.advance(by: step)
            steps += 1
        }
        return await watcher.value
    }
}

/// Waits until `condition` holds or `timeout` of real time passes (generous, for loaded CI machines).
/// 120 s, not less: under ThreadSanitizer on two cores, CPU-bound tests running beside this one can hold
/// both cooperative threads for 35 s (seen in CI); only a condition that never holds waits this long.
func eventually(timeout: Duration = .seconds(120), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        await Task.yield()
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return condition()
}

/// An exporter whose exports wait until the test opens the gate (or the task is cancelled).
final class GateExporter: TelemetryExporter {
    private struct State {
        var open = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
        var exported: [ExportBatch] = []
    }

    private let state = LockedBox(State())

    var waitingCount: Int { state.withLock { $0.waiters.count } }
    var exported: [ExportBatch] { state.withLock { $0.exported } }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func export(_ batch: ExportBatch) async -> ExportResult {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.open || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
        if Task.isCancelled { return .retryable(reason: "cancelled") }
        state.withLock { $0.exported.append(batch) }
        return .success()
    }
}

extension TelemetryConfiguration {
    /// Tests' shorthand: `projectName` at version 1, opted in from code, then `change`d.
    static func test(_ projectName: String, _ change: (inout TelemetryConfiguration) -> Void = { _ in }) -> TelemetryConfiguration {
        var configuration = TelemetryConfiguration(projectName: projectName, version: "1")
        configuration.enabled = true
        configuration.logsEnabled = true
        change(&configuration)
        return configuration
    }
}
