import TelemetryBatching
@_spi(Internals) import TelemetryCore
import TelemetryMetrics

/// The delivery engine: takes raw items from the intake, cleans and converts them, cuts batches, and
/// delivers them with a few requests in flight, a byte-budgeted buffer and a circuit breaker.
///
/// Driven only by ports — clock, exporter, spool, randomness — so it is pure domain logic and runs
/// under the manual clock in tests. Owned by one task; its state is never shared, so it needs no locks.
/// It talks to the client only through `IntakeQueue` (items in), `PipelineControl` (requests in,
/// counters out) and `WakeSignal`.
///
/// What keeps data from being lost at default settings:
/// - The engine never stops taking in: sends run as their own tasks and report back through the wake
///   signal, and failures set a cool-down instead of sleeping, so conversion goes on during retries.
/// - Waiting batches are kept as prepared requests (compressed: ~45 B per event) in an `Outbox` bounded
///   in bytes, so an outage of minutes fits in memory; past the budget the oldest go first, counted.
/// - Batches grow with the backlog (from `batchSize` up to `maxBatchItems`) and up to
///   `maxConcurrentRequests` are in flight, so a burst costs few, large requests.
package struct DeliveryEngine {
    /// Items converted per pass before the engine looks at completions, sends again and yields its
    /// thread (Swift's shared cooperative pool, which the app's own tasks use too).
    static let sliceSize = 512
    /// Raw bytes converted per pass, whatever the item count: a slice of huge items (100 KB strings
    /// through every privacy rule) must not hold a cooperative thread for seconds.
    static let sliceBytes = 1 << 20

    let settings: PipelineSettings
    let intake: IntakeQueue
    let control: PipelineControl
    let exporter: any TelemetryExporter
    let preparing: (any PreparingExporter)?
    let clock: any TelemetryClock
    let random: any RandomSource
    let report: DiagnosticsReporter
    let maxInFlight: Int

    var converter: ItemConverter
    /// The resource batches carry; its `session.id` changes when a session ends (`rotateSessionIfIdle`).
    var resource: TelemetryResource
    /// The latest item time seen: a gap longer than the session timeout before the next item ends the session.
    var lastActivity: Timestamp?
    var breaker: CircuitBreaker
    var pendingSpans = PendingBatch<SpanRecord>()
    var pendingLogs = PendingBatch<LogRecord>()
    var pendingMetrics: [MetricRecord] = []
    var outbox: Outbox
    /// Intake slabs taken but not yet converted, and where conversion stands in them.
    var raw: [IntakeSlab] = []
    var rawSlab = 0
    var rawRemaining = 0
    let completions = LockedBox<[Completion]>([])
    var requests: [UInt64: Task<Void, Never>] = [:]
    var flushes: [PendingFlush] = []
    /// Failed attempts since the engine started (flushes count theirs from here).
    var failures = 0
    var shutdownDeadline: Timestamp?
    var timer: (deadline: Timestamp, task: Task<Void, Never>)?
    /// The flush interval passed: once the intake taken so far is converted, this interval's metrics
    /// and everything pending go out.
    var tickPending = false
    /// Whether the spool may hold batches to upload (earlier runs', or this run's failed ones).
    var spoolMayHoldBacklog = true
    /// Whether the endpoint has answered a request of this engine (any HTTP answer): it is known to be
    /// there, so backlog may be sent at shutdown and requests in flight at the deadline get the grace.
    var endpointAnswered = false
    /// When each request in flight started, and the longest an answered one took.
    var requestStarts: [UInt64: Timestamp] = [:]
    var longestRequest: Duration?
    /// The slowest seconds per body byte of answered requests.
    var slowestRate: Double?
    /// When this engine started.
    let startedAt: Timestamp

    struct Completion: Sendable {
        let id: UInt64
        let result: ExportResult
    }

    /// A `flush()` (or the shutdown) in progress. Armed once everything tracked before it is converted
    /// and cut; done when every batch cut before that point is finished — or, for a flush, when the
    /// endpoint has failed more often than the flush may wait for.
    struct PendingFlush {
        var waiters: [CheckedContinuation<Void, Never>]
        var needsDrain = true
        var watermark: UInt64?
        var allowedFailures: Int
        var failuresAtStart: Int
        var isShutdown = false
    }

    package init(
        settings: PipelineSettings, intake: IntakeQueue, control: PipelineControl, exporter: any TelemetryExporter,
        clock: any TelemetryClock, random: any RandomSource, report: @escaping DiagnosticsReporter
    ) {
        self.settings = settings
        self.intake = intake
        self.control = control
        self.exporter = exporter
        self.preparing = exporter as? any PreparingExporter
        self.clock = clock
        self.random = random
        self.report = report
        self.maxInFlight = max(1, min(settings.maxConcurrentRequests, exporter.maxConcurrentExports))
        self.startedAt = clock.now()
        self.converter = ItemConverter(
            privacy: settings.privacy, salt: settings.salt, spanAttributes: settings.spanAttributes,
            temporality: settings.temporality, ids: random, startTime: clock.now(), report: report,
            sampler: settings.sampler, eventRateLimit: settings.eventRateLimit
        )
        self.resource = settings.resource
        self.breaker = CircuitBreaker(schedule: settings.retrySchedule)
        self.outbox = Outbox(budget: settings.bufferBudget)
    }

    /// Runs until stopped (disable), shut down, or cancelled (a missed shutdown deadline).
    package mutating func run() async {
        armTimer()  // before the first wait: the backlog's start (a second in) needs no other wake-up
        while true {
            if rawRemaining == 0 { await intake.wake.wait() } else { await Task.yield() }
            if Task.isCancelled {
                settleLeftovers(reason: .shutdown, persist: true)
                return
            }
            let requested = control.takeRequests(generation: settings.generation)
            if requested.stop {
                await stop()
                return
            }
            accept(requested)
            step()
            if shutdownIsOver() {
                settleLeftovers(reason: .shutdown, persist: true)
                return
            }
            armTimer()
        }
    }

    /// One pass: results in, a slice of items converted, batches cut and sent, flushes answered.
    mutating func step() {
        collectCompletions()
        convertSlice()
        if tickPending && rawRemaining == 0 {
            tickPending = false
            pendingMetrics.append(contentsOf: converter.collectMetrics(at: clock.now()))
            cutBatches(force: true)
        }
        armFlushes()
        cutBatches(force: false)
        enforceBudget()
        dispatch()
        // Published before flushes are answered: a flush's report reads `pending` right after.
        publish()
        resolveFlushes()
    }

    private mutating func accept(_ requested: PipelineControl.Requests) {
        if requested.tick { tickPending = true }
        if !requested.flushWaiters.isEmpty {
            // A flush while the endpoint is known to be down probes once; otherwise it sits through
            // `flushRetries` failures. Either way nothing is dropped: what fails stays buffered.
            let knownDown = breaker.consecutiveFailures > settings.flushRetries
            flushes.append(
                PendingFlush(
                    waiters: requested.flushWaiters, allowedFailures: knownDown ? 0 : settings.flushRetries, failuresAtStart: failures
                ))
            breaker.allowProbeNow()
        }
        if let deadline = requested.shutdownDeadline, shutdownDeadline == nil {
            shutdownDeadline = deadline
            flushes.append(PendingFlush(waiters: [], allowedFailures: .max, failuresAtStart: failures, isShutdown: true))
            breaker.allowProbeNow()
        }
    }

    /// Takes the intake when the previous take is converted, then converts up to `sliceSize` items or
    /// `sliceBytes` of them.
    mutating func convertSlice() {
        if rawRemaining == 0 {
            raw = intake.drain()
            rawSlab = 0
            rawRemaining = raw.reduce(0) { $0 + $1.count }
            for index in flushes.indices { flushes[index].needsDrain = false }
            guard rawRemaining > 0 else {
                raw = []
                return
            }
        }
        let now = clock.now()
        var converted = 0
        var released = 0
        while converted < Self.sliceSize, released < Self.sliceBytes, rawSlab < raw.count {
            guard let (taken, charge) = raw[rawSlab].takeOldest() else {
                intake.recycle(raw[rawSlab])
                rawSlab += 1
                continue
            }
            converted += 1
            released += charge
            guard let item = taken else { continue }
            rotateSessionIfIdle(before: item.time)
            switch converter.convert(item) {
            case .span(let span, let bytes): pendingSpans.append(span, bytes: bytes, at: now)
            case .log(let record, let bytes): pendingLogs.append(record, bytes: bytes, at: now)
            case .aggregated: break
            }
        }
        rawRemaining -= converted
        if rawRemaining <= 0 {
            rawRemaining = 0
            for slab in raw[rawSlab...] { intake.recycle(slab) }
            raw = []
            rawSlab = 0
        }
        intake.release(bytes: released)
        let counts = converter.takeCounts()
        if !counts.redactions.isEmpty || !counts.rejected.isEmpty || counts.sampledOut > 0 {
            control.update { counters in
                for (rule, count) in counts.redactions { counters.redactions[rule, default: 0] += count }
                for (reason, count) in counts.rejected { counters.dropped[reason, default: 0] += count }
                counters.sampledOut += counts.sampledOut
                counters.rateLimitedNames = counts.rateLimitedNames
            }
        }
    }

    /// Ends the session when nothing was tracked for longer than the session timeout before `time`: what
    /// is pending goes out with the old `session.id`, everything after with a fresh one. Items reach the
    /// engine slightly out of order (intake shards), so only the latest time seen counts as activity.
    private mutating func rotateSessionIfIdle(before time: Timestamp) {
        guard let timeout = settings.sessionTimeout else { return }
        guard let last = lastActivity else {
            lastActivity = time
            return
        }
        guard time > last else { return }
        lastActivity = time
        guard time > last.advanced(by: timeout) else { return }
        cutBatches(force: true)
        let session = RandomUUID.make(using: random)
        resource["session.id"] = .string(session)
        control.update { $0.sessionID = session }
    }

    /// Flushes whose items are all converted: their metrics and pending items are cut, and they wait
    /// for every batch cut up to now.
    private mutating func armFlushes() {
        guard rawRemaining == 0, flushes.contains(where: { $0.watermark == nil && !$0.needsDrain }) else { return }
        pendingMetrics.append(contentsOf: converter.collectMetrics(at: clock.now()))
        cutBatches(force: true)
        for index in flushes.indices where flushes[index].watermark == nil && !flushes[index].needsDrain {
            flushes[index].watermark = outbox.nextEntryID
        }
    }

    private mutating func resolveFlushes() {
        var index = 0
        while index < flushes.count {
            let flush = flushes[index]
            guard let watermark = flush.watermark, !flush.isShutdown else {
                index += 1
                continue
            }
            let delivered = !outbox.holdsEntries(before: watermark)
            let gaveUp = failures - flush.failuresAtStart > flush.allowedFailures && !outbox.hasInFlight(before: watermark)
            if delivered || gaveUp {
                for waiter in flush.waiters { waiter.resume() }
                flushes.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Whether a shutdown in progress has nothing more to do before its deadline.
    private func shutdownIsOver() -> Bool {
        guard let deadline = shutdownDeadline else { return false }
        let now = clock.now()
        if now >= deadline {
            // A request already sent to an endpoint that answers in this run gets a short grace: cancelling
            // one the receiver has already taken means sending it again later, a duplicate. An endpoint
            // that has not answered (down, hung, dripping) gets none, so it never slows an exit.
            return !(endpointAnswered && outbox.inFlightCount > 0 && now < deadline.advanced(by: settings.shutdownGrace))
        }
        guard let shutdown = flushes.first(where: \.isShutdown), shutdown.watermark != nil else { return false }
        if outbox.isEmpty && rawRemaining == 0 && pendingSpans.isEmpty && pendingLogs.isEmpty && pendingMetrics.isEmpty {
            return true
        }
        // Nothing in flight and the next attempt would come after the deadline: stop waiting.
        if outbox.inFlightCount == 0, let next = breaker.coolDownEnd(after: now), next >= deadline { return true }
        return false
    }

    /// Disable: sends in flight finish and count; everything else is discarded and counted `disabled`.
    private mutating func stop() async {
        timer?.task.cancel()
        while outbox.inFlightCount > 0 && !Task.isCancelled {
            await intake.wake.wait()
            collectCompletions()
        }
        settleLeftovers(reason: .disabled, persist: false)
        // The wake-up this engine consumed may have been meant for its successor: pass it on.
        intake.wake.signal()
    }

    /// Wakes the engine when the breaker's cool-down or the shutdown deadline passes.
    private mutating func armTimer() {
        let now = clock.now()
        var next = breaker.coolDownEnd(after: now)
        if let deadline = shutdownDeadline {
            let end = now >= deadline ? deadline.advanced(by: settings.shutdownGrace) : deadline
            next = min(next ?? end, end)
        }
        // A run that lives past its first second starts sending earlier runs' backlog then.
        let backlogStart = startedAt.advanced(by: .seconds(1))
        if settings.spool != nil, spoolMayHoldBacklog, !endpointAnswered, shutdownDeadline == nil, now < backlogStart {
            next = min(next ?? backlogStart, backlogStart)
        }
        guard next != timer?.deadline else { return }
        timer?.task.cancel()
        timer = nil
        guard let next else { return }
        let (clock, wake) = (self.clock, intake.wake)
        let delay = now.duration(to: next)
        timer = (
            next,
            Task {
                do {
                    try await clock.sleep(for: delay)
                    wake.signal()
                } catch {}
            }
        )
    }

    /// Publishes what waits, so `stats` and a client that misses its shutdown deadline can count it.
    func publish() {
        var count = rawRemaining + pendingSpans.count + pendingLogs.count + pendingMetrics.reduce(0) { $0 + $1.pointCount }
        for entry in outbox.entries where !entry.fromSpool { count += entry.itemCount }
        let bytes = outbox.bytes + 2 * (pendingSpans.estimatedBytes + pendingLogs.estimatedBytes)
        control.update {
            $0.pending = count
            $0.pendingBytes = bytes
        }
    }
}
