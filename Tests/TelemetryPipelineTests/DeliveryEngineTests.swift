import AutomagikTelemetryTestKit
import TelemetryBatching
@_spi(Internals) import TelemetryCore
@testable import TelemetryPipeline
import TelemetryPrivacy
import Testing

/// The engine alone, on the manual clock, with an exporter that prepares requests (as OTLP and
/// ClickHouse do) and can be switched down, slowed or made to hang. Bursts, restarts and outages run
/// in milliseconds of real time.
@Suite struct DeliveryEngineTests {
    @Test func aBurstIsDeliveredCompletelyInAFewLargeConcurrentRequests() async {
        // The first requests are held until the whole burst is converted, as a slow receiver would:
        // meanwhile the backlog must go into large batches, not thousands of small ones.
        let exporter = PreparedExporter(held: true)
        let rig = EngineRig(exporter: exporter)
        rig.submitEvents(0..<30_000)
        #expect(await eventually { exporter.inFlight == 4 && rig.control.counters.pending == 30_000 && rig.intake.snapshot.depth == 0 })
        exporter.release()
        // How the burst splits depends on timing: a remainder below `batchSize` (117 and 170 events under
        // serial ThreadSanitizer) waits for the flush interval, whose tick the client sends.
        #expect(
            await eventually {
                if rig.control.counters.exported < 30_000 && exporter.inFlight == 0 {
                    rig.control.requestTick()
                    rig.intake.wake.signal()
                }
                return rig.control.counters.exported == 30_000
            })
        #expect(Set(exporter.deliveredIndices).count == 30_000)
        let sizes = exporter.deliveredBatchSizes
        let full: Int = (30_000 + 4095) / 4096
        #expect(sizes.count <= 4 + full, "at most the first slots' due batches, then full ones: \(sizes)")
        #expect(sizes.max() == 4096)
        #expect(exporter.maxConcurrent == 4)
        #expect(rig.control.counters.dropped.isEmpty)
        await rig.shutdown()
    }

    @Test func theIntakeIsDrainedAndCompactedWhileTheEndpointIsDown() async {
        let exporter = PreparedExporter()
        exporter.setUp(false)
        let rig = EngineRig(exporter: exporter)
        rig.submitEvents(0..<1_000)
        _ = await rig.drive { await rig.flush() }  // one attempt plus the flush's retries, all failing
        rig.submitEvents(1_000..<21_000)
        #expect(await eventually { rig.control.counters.pending == 21_000 && rig.intake.snapshot.depth == 0 })
        // Converted and cut into prepared requests while the breaker cools down: no request meanwhile.
        let attempts = exporter.attempts
        #expect(await eventually { rig.control.counters.pendingBytes < 21_000 * 64 }, "compact: \(rig.control.counters.pendingBytes) B")
        #expect(exporter.attempts == attempts)
        exporter.setUp(true)
        rig.clock.advance(by: .seconds(30))
        rig.control.requestTick()  // the flush interval sends the last partial batch
        rig.intake.wake.signal()
        #expect(await eventually { rig.control.counters.exported == 21_000 }, "\(rig.control.counters)")
        #expect(Set(exporter.deliveredIndices).count == 21_000)
        await rig.shutdown()
    }

    @Test func aRestartCostsCoolDownsNotData() async {
        let exporter = PreparedExporter()
        let rig = EngineRig(exporter: exporter)
        var next = 0
        for second in 0..<20 {
            if second == 5 { exporter.setUp(false) }
            if second == 10 { exporter.setUp(true) }
            rig.submitEvents(next..<(next + 1_000))
            next += 1_000
            _ = await eventually { rig.intake.snapshot.depth == 0 }
            rig.clock.advance(by: .seconds(1))
            rig.control.requestTick()
            rig.intake.wake.signal()
        }
        #expect(await eventually { rig.control.counters.exported == 20_000 }, "\(rig.control.counters)")
        #expect(rig.control.counters.dropped.isEmpty)
        #expect(Set(exporter.deliveredIndices).count == 20_000, "each once")
        #expect(exporter.attempts - exporter.deliveredBatchSizes.count <= 6, "a handful of probes while down")
        await rig.shutdown()
    }

    @Test func aFlushDuringAnOutageProbesAndReturnsKeepingTheData() async {
        let exporter = PreparedExporter()
        exporter.setUp(false)
        let rig = EngineRig(exporter: exporter, flushRetries: 2)
        rig.submitEvents(0..<10)
        let first = await rig.drive { await rig.flush() }
        #expect(exporter.attempts == 3, "the attempt and two retries")
        #expect(first.pending == 10)
        let second = await rig.flush()
        #expect(exporter.attempts == 4, "known down: a single probe")
        #expect(second.pending == 10)
        #expect(rig.control.counters.dropped.isEmpty)
        await rig.shutdown()
    }

    @Test func aTooLargeBatchIsSplitOnItsFirstAttempt() async {
        let exporter = PreparedExporter(tooLargeAbove: 3)
        let rig = EngineRig(exporter: exporter)
        rig.submitEvents(0..<8)
        let report = await rig.flush()
        #expect(report.exported == 8)
        #expect(exporter.deliveredBatchSizes.allSatisfy { $0 <= 3 })
        #expect(exporter.deliveredIndices.sorted() == Array(0..<8))
        await rig.shutdown()
    }

    @Test func shutdownGivesUpAtItsDeadlineAndCountsWhatIsLeft() async {
        let exporter = PreparedExporter(hangs: true)
        let rig = EngineRig(exporter: exporter)
        rig.submitEvents(0..<5)
        rig.control.requestShutdown(deadline: rig.clock.now().advanced(by: .seconds(2)))
        rig.intake.wake.signal()
        #expect(await eventually { exporter.attempts == 1 })
        rig.clock.advance(by: .seconds(3))
        await rig.task.value
        #expect(rig.control.counters.dropped[.shutdown] == 5)
        #expect(rig.control.counters.pending == 0)
    }

    @Test func disableLetsRequestsInFlightFinishAndDiscardsTheRest() async {
        let exporter = PreparedExporter(latency: .milliseconds(50))
        let rig = EngineRig(exporter: exporter, maxBatchItems: 512)
        rig.submitEvents(0..<600)
        #expect(await eventually { exporter.inFlight > 0 })
        rig.control.requestStop(generation: 1)
        rig.intake.wake.signal()
        await rig.task.value
        let counters = rig.control.counters
        #expect(counters.exported + (counters.dropped[.disabled] ?? 0) + rig.intake.snapshot.depth == 600, "\(counters) \(rig.intake.snapshot)")
        #expect(counters.exported > 0, "the request in flight finished and counted")
    }
}

/// An engine running in a task, with the pieces a test pokes at.
final class EngineRig: Sendable {
    let clock = ManualClock()
    let intake = IntakeQueue(budget: 256 * 1024 * 1024, overflowPolicy: .dropOldest, wakeThreshold: 512, wake: WakeSignal())
    let control = PipelineControl()
    let exporter: PreparedExporter
    let task: Task<Void, Never>

    init(exporter: PreparedExporter, flushRetries: Int = 3, maxBatchItems: Int = 4096) {
        self.exporter = exporter
        let settings = PipelineSettings(
            batchSize: 512, maxBatchItems: maxBatchItems, flushInterval: .seconds(5), bufferBudget: 24 * 1024 * 1024,
            flushRetries: flushRetries, retrySchedule: RetrySchedule(), temporality: .delta, privacy: .init(), salt: [1],
            resource: TelemetryResource([("service.name", "engine-test")]), spanAttributes: [:], spool: nil, generation: 1
        )
        let (intake, control, clock) = (self.intake, self.control, self.clock)
        control.activate(generation: 1)
        task = Task.detached {
            var engine = DeliveryEngine(
                settings: settings, intake: intake, control: control, exporter: exporter, clock: clock,
                random: SeededRandomSource(seed: 1), report: { _, _ in }
            )
            await engine.run()
        }
    }

    func submitEvents(_ indices: Range<Int>) {
        for index in indices {
            intake.submit(.event(name: "e", attributes: ["i": .int(Int64(index))], time: clock.now(), duration: .zero))
        }
        intake.wake.signal()
    }

    struct Report {
        var exported: Int
        var pending: Int
        var dropped: [DropReason: Int]
    }

    /// Flushes and reports what changed, as the client's `flush()` does.
    func flush() async -> Report {
        let before = control.counters.exported
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            control.addFlushWaiter(continuation)
            intake.wake.signal()
        }
        let counters = control.counters
        return Report(exported: counters.exported - before, pending: counters.pending, dropped: counters.dropped)
    }

    /// Awaits `work` while advancing the manual clock, so cool-downs pass.
    func drive<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
        let running = Task { await work() }
        let done = LockedBox(false)
        let watcher = Task {
            let value = await running.value
            done.withLock { $0 = true }
            return value
        }
        for _ in 0..<10_000 where !done.withLock({ $0 }) {
            try? await Task.sleep(for: .milliseconds(1))
            clock.advance(by: .milliseconds(500))
        }
        return await watcher.value
    }

    func shutdown() async {
        control.requestShutdown(deadline: clock.now().advanced(by: .seconds(5)))
        intake.wake.signal()
        await task.value
    }
}

/// A preparing exporter whose "request body" lists the events' indices; it can be down (connection
/// refused), slow, hang until cancelled, or refuse batches above a size with 413.
final class PreparedExporter: PreparingExporter {
    private struct State {
        var up = true
        var attempts = 0
        var inFlight = 0
        var maxConcurrent = 0
        var delivered: [[Int]] = []
        var held: Bool
        var heldWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: LockedBox<State>
    private let latency: Duration
    private let hangs: Bool
    private let tooLargeAbove: Int

    init(latency: Duration = .zero, hangs: Bool = false, tooLargeAbove: Int = .max, held: Bool = false) {
        state = LockedBox(State(held: held))
        self.latency = latency
        self.hangs = hangs
        self.tooLargeAbove = tooLargeAbove
    }

    var maxConcurrentExports: Int { 4 }
    func setUp(_ up: Bool) { state.withLock { $0.up = up } }

    /// Lets held requests (and all later ones) proceed.
    func release() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.held = false
            defer { state.heldWaiters = [] }
            return state.heldWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
    var attempts: Int { state.withLock { $0.attempts } }
    var inFlight: Int { state.withLock { $0.inFlight } }
    var maxConcurrent: Int { state.withLock { $0.maxConcurrent } }
    var deliveredBatchSizes: [Int] { state.withLock { $0.delivered.map(\.count) } }
    var deliveredIndices: [Int] { state.withLock { $0.delivered.flatMap { $0 } } }

    func prepare(_ batch: ExportBatch, at time: Timestamp) -> SpoolEntry? {
        guard case .spans(let spans) = batch.payload else { return nil }
        let indices = spans.compactMap { span -> Int? in
            if case .int(let index)? = span.attributes["i"] { return Int(index) }
            return nil
        }
        let body = indices.map(String.init).joined(separator: ",")
        return SpoolEntry(
            signal: .traces, itemCount: spans.count, format: "test", contentType: "text/plain", contentEncoding: nil,
            body: Array(body.utf8), createdAt: time
        )
    }

    func send(_ entry: SpoolEntry) async -> ExportResult {
        let up = state.withLock { state -> Bool in
            state.attempts += 1
            state.inFlight += 1
            state.maxConcurrent = max(state.maxConcurrent, state.inFlight)
            return state.up
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = state.withLock { state -> Bool in
                if state.held { state.heldWaiters.append(continuation) }
                return !state.held
            }
            if proceed { continuation.resume() }
        }
        if hangs {
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            return .retryable(reason: "cancelled")
        }
        if latency > .zero { try? await Task.sleep(for: latency) }
        guard up else { return .retryable(reason: "connection refused") }
        if entry.itemCount > tooLargeAbove { return .tooLarge(reason: "413") }
        let indices = String(decoding: entry.body, as: UTF8.self).split(separator: ",").compactMap { Int($0) }
        state.withLock { $0.delivered.append(indices) }
        return .success(bytesSent: entry.body.count)
    }

    func export(_ batch: ExportBatch) async -> ExportResult {
        guard let entry = prepare(batch, at: Timestamp(nanosecondsSinceEpoch: 0)) else { return .success() }
        return await send(entry)
    }
}

/// Waits until `condition` holds or `timeout` of real time passes.
/// 120 s, not less: under ThreadSanitizer on two cores, CPU-bound tests running beside this one can hold
/// both cooperative threads for 35 s (seen in CI); only a condition that never holds waits this long.
func eventually(timeout: Duration = .seconds(120), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return condition()
}
