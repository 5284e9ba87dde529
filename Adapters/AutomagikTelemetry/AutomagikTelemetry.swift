import TelemetryBatching
@_spi(Internals) import TelemetryCore
import TelemetryMetrics
import TelemetryPipeline
import TelemetryPrivacy
import TelemetrySpans
import TelemetrySystem

/// The front door: track events, errors, metrics and logs; the SDK does the rest in the background.
///
/// ```swift
/// let telemetry = try AutomagikTelemetry(configuration: .init(projectName: "my-app", version: "1.2.0"))
/// telemetry.trackEvent(StandardEvents.featureUsed, attributes: ["feature": "export_csv"])
/// telemetry.trackMetric("import.rows", value: 1_204, type: .histogram, unit: "{row}")
/// telemetry.trackError(error, attributes: ["operation": "import"])
/// await telemetry.shutdown()
/// ```
///
/// Attributes are taken as autoclosures (like swift-log's messages): while telemetry is disabled the
/// dictionary is never even built, so a disabled call costs one atomic load.
///
/// Guarantees to the host app:
/// - `track*` never throws, never blocks on I/O and never traps. It validates cheaply, reads the clock
///   and enqueues into a bounded queue under a lock held for a constant number of instructions.
///   Everything else — privacy rules, conversion, aggregation, batching, encoding, compression,
///   network — runs in the background (`DeliveryEngine`).
/// - Memory is bounded by `memoryBudget` (64 MiB by default): raw items waiting for conversion and
///   compressed batches waiting for the endpoint. Every item that does not make it is counted in
///   `stats.dropped` under its reason.
/// - Telemetry is opt-in (see `ConsentDecision`). While disabled, tracking is a single atomic load,
///   and nothing is started, created or sent: no task, no file, no socket.
public final class AutomagikTelemetry: Sendable {
    /// The configuration in force, after environment variables and defaults (see `status`).
    package let configuration: ResolvedConfiguration

    private let dependencies: TelemetryDependencies
    private let accepting = AtomicFlag(false)
    private let ingest: IntakeQueue
    private let control = PipelineControl()
    private let diagnostics: Diagnostics
    private let sessionID: String
    private let lifecycle: LockedBox<Lifecycle>

    private struct Lifecycle {
        var runtimeChoice: ConsentDecision.RuntimeChoice?
        var decision: ConsentDecision
        var generation = 0
        var worker: Task<Void, Never>?
        var ticker: Task<Void, Never>?
        var exporter: (any TelemetryExporter)?
        var anonymousID: String?
        var salt: [UInt8]?
        var spoolProblem: String?
        /// Whether the engine keeps what it cannot deliver on disk (so leaving need not wait for it).
        var hasSpool = false
        var isShutDown = false
    }

    /// Creates a client. Throws `ConfigurationError` for settings it cannot work with (missing project
    /// name or version, malformed or unencrypted endpoint, non-positive sizes and intervals, unknown
    /// backend). If telemetry is enabled, starts the background worker; otherwise does nothing at all.
    public init(
        configuration: TelemetryConfiguration, dependencies: TelemetryDependencies = TelemetryDependencies()
    )
        throws(ConfigurationError)
    {
        let resolved = try ResolvedConfiguration(configuration, environment: dependencies.environment)
        self.configuration = resolved
        self.dependencies = dependencies
        let scrubber = SecretScrubber(configuration: resolved)
        self.scrubber = scrubber
        self.diagnostics = Diagnostics(sink: resolved.verbose ? dependencies.diagnosticsSink : nil, scrubber: scrubber)
        self.sessionID = RandomUUID.make(using: dependencies.random)
        self.ingest = IntakeQueue(
            budget: Self.intakeShare(of: resolved.memoryBudget), itemCapacity: resolved.queueCapacity ?? .max,
            overflowPolicy: resolved.overflowPolicy, wakeThreshold: resolved.batchSize, wake: WakeSignal()
        )
        let decision = ConsentDecision.decide(
            codeSetting: configuration.enabled, runtimeChoice: nil,
            environment: dependencies.environment, store: dependencies.stateStore
        )
        self.lifecycle = LockedBox(Lifecycle(decision: decision))
        self.codeSetting = configuration.enabled
        tracesOff = resolved.disabledSignals.contains(.traces)
        metricsOff = resolved.disabledSignals.contains(.metrics)
        logsOff = resolved.disabledSignals.contains(.logs) || !resolved.logsEnabled
        lifecycle.withLock { applyDecision(&$0) }
        if resolved.flushOnExit { installExitHook() }
        // The operator's environment had values this SDK could not use: said once, even without
        // `verbose`, because nothing else would tell them — but only by a client that is on.
        if decision.isEnabled && !resolved.environmentProblems.isEmpty {
            for problem in resolved.environmentProblems {
                dependencies.diagnosticsSink("[automagik-telemetry] environment: \(scrubber.scrub(problem))")
            }
        }
    }

    /// Removes credentials from what this client prints (diagnostics, `status`).
    private let scrubber: SecretScrubber
    /// Signals switched off by `OTEL_*_EXPORTER=none` (and logs unless opted in: `logsEnabled`).
    private let tracesOff: Bool
    private let metricsOff: Bool
    private let logsOff: Bool

    private let codeSetting: Bool?

    deinit {
        lifecycle.withLock { state in
            state.ticker?.cancel()
            state.worker?.cancel()
        }
    }

    // MARK: Tracking

    /// Records that `name` happened, as a span. `duration`, when given, makes the span cover the time
    /// leading up to now. Empty names are dropped and counted (`invalidInput`); names longer than 255
    /// UTF-8 bytes are cut on a character boundary (counted `truncated`).
    public func trackEvent(
        _ name: String, attributes: @autoclosure () -> TelemetryAttributes = [:], duration: Duration? = nil
    ) {
        guard accepting.load(), !tracesOff else { return }
        guard !name.isEmpty else { return ingest.countDrop(.invalidInput) }
        ingest.submit(
            .event(
                name: IntakeLimits.held(name), attributes: attributes(), time: dependencies.clock.now(), duration: duration ?? .zero
            ))
    }

    /// Records a failure as an `automagik.error` span with status ERROR and an `exception` event.
    /// The message and any `stackTrace` pass through the privacy rules before leaving the process.
    public func trackError(
        _ error: any Error, attributes: @autoclosure () -> TelemetryAttributes = [:], stackTrace: String? = nil
    ) {
        guard accepting.load(), !tracesOff else { return }
        ingest.submit(.thrown(error, stackTrace: stackTrace, attributes: attributes(), time: dependencies.clock.now()))
    }

    /// Records a failure described by its type name and message, for errors that are not Swift `Error`
    /// values (e.g. forwarded from another process or language). Same output as `trackError(_:)`.
    public func trackError(
        type: String, message: String, attributes: @autoclosure () -> TelemetryAttributes = [:], stackTrace: String? = nil
    ) {
        guard accepting.load(), !tracesOff else { return }
        let failure = ErrorDescription(type: type.isEmpty ? "Error" : IntakeLimits.held(type), message: message, stackTrace: stackTrace)
        ingest.submit(.error(failure, attributes: attributes(), time: dependencies.clock.now()))
    }

    /// Records a measurement. Counters add (negative increments are dropped and counted), up-down
    /// counters add either way, gauges keep the last value, histograms build a distribution. NaN and
    /// infinities are dropped and counted. Measurements are aggregated per (name, unit, attributes) and
    /// exported once per flush interval. `name` must follow OpenTelemetry's instrument-name syntax (a
    /// letter, then letters, digits, `_ . - /`, at most 255) and `unit` be at most 63 printable ASCII
    /// characters; otherwise, or when a privacy rule matches either, the measurement is dropped and
    /// counted (`invalidMetric`) — names and units are never redacted in place or echoed.
    public func trackMetric(
        _ name: String,
        value: Double,
        type: InstrumentKind = .gauge,
        unit: String = "",
        attributes: @autoclosure () -> TelemetryAttributes = [:]
    ) {
        guard accepting.load(), !metricsOff else { return }
        guard value.isFinite else { return ingest.countDrop(.nonFiniteValue) }
        if type == .counter && value < 0 { return ingest.countDrop(.negativeCounterIncrement) }
        guard name.utf8.count <= IntakeLimits.maxMetricNameBytes, unit.utf8.count <= IntakeLimits.maxUnitBytes else {
            return ingest.countDrop(.invalidMetric)
        }
        ingest.submit(.metric(name: name, kind: type, unit: unit, value: value, attributes: attributes(), time: dependencies.clock.now()))
    }

    /// `trackMetric` with the type as text (`gauge`, `counter`, `histogram`, `up_down_counter`), for parity
    /// with the Python and TypeScript SDKs. Unknown types are dropped and counted (`invalidMetric`).
    public func trackMetric(
        _ name: String,
        value: Double,
        type: String,
        unit: String = "",
        attributes: @autoclosure () -> TelemetryAttributes = [:]
    ) {
        guard accepting.load() else { return }
        guard let kind = InstrumentKind(rawValue: type.lowercased()) else { return ingest.countDrop(.invalidMetric) }
        trackMetric(name, value: value, type: kind, unit: unit, attributes: attributes())
    }

    /// Records a log message. The body passes through the privacy rules and is cut to the policy's
    /// text limit (1000 bytes by default). Empty messages are dropped and counted (`invalidInput`).
    public func trackLog(_ message: String, severity: Severity = .info, attributes: @autoclosure () -> TelemetryAttributes = [:]) {
        guard accepting.load(), !logsOff else { return }
        guard !message.isEmpty else { return ingest.countDrop(.invalidInput) }
        ingest.submit(.log(message: message, severity: severity, attributes: attributes(), time: dependencies.clock.now()))
    }

    // MARK: Delivery

    /// Sends everything tracked so far (and the metrics aggregated so far) and returns when it is
    /// delivered — or when the endpoint has failed `maxRetries` times meanwhile (once, if it was already
    /// known to be down), with the data still buffered for later: a flush never drops anything.
    /// Returns at once when telemetry is disabled.
    @discardableResult
    public func flush() async -> FlushReport {
        let before = stats
        let running = lifecycle.withLock { $0.worker != nil && !$0.isShutDown && $0.decision.isEnabled }
        if running {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                control.addFlushWaiter(continuation)
                ingest.wake.signal()
            }
        }
        let after = stats
        return FlushReport(
            exported: after.exported - before.exported,
            dropped: after.totalDropped - before.totalDropped,
            pending: after.pending + after.queued
        )
    }

    /// `flush()` that returns by `deadline` (on the client's clock) whatever the endpoint does — a
    /// server that never answers included. What is not delivered by then stays buffered and is sent
    /// later; the report's `pending` says how much.
    @discardableResult
    public func flush(deadline: Duration) async -> FlushReport {
        let before = stats
        let running = lifecycle.withLock { $0.worker != nil && !$0.isShutDown && $0.decision.isEnabled }
        if running {
            let (control, ingest, clock) = (self.control, self.ingest, dependencies.clock)
            let claimed = OneShot()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let timer = Task {
                    try? await clock.sleep(for: deadline)
                    if claimed.claim() { continuation.resume() }
                }
                // The flush waiter is resumed by the engine in any case (delivered, failed through its
                // retries, or the engine stopping); only the first of it and the timer answers.
                Task {
                    await withCheckedContinuation { (flushed: CheckedContinuation<Void, Never>) in
                        control.addFlushWaiter(flushed)
                        ingest.wake.signal()
                    }
                    if claimed.claim() {
                        timer.cancel()
                        continuation.resume()
                    }
                }
            }
        }
        let after = stats
        return FlushReport(
            exported: after.exported - before.exported,
            dropped: after.totalDropped - before.totalDropped,
            pending: after.pending + after.queued
        )
    }

    /// How long a leaving program waits for the endpoint by default (`shutdown()`, the exit hook) before
    /// keeping what is left on disk: long enough for a collector that answers to take the last batch
    /// (a loopback or LAN exchange takes a few milliseconds), short enough that a command-line run is
    /// never slowed by one that does not (see README, "Programs that come and go", for the measurements).
    public static let exitBudget: Duration = .milliseconds(30)

    /// How long requests already sent to an endpoint that has answered in this run may still finish after
    /// the deadline: cancelling one the receiver has taken would send it twice (measured: a 10,000-event
    /// backlog sent by short runs against a counting receiver, 0 duplicates with it, thousands without).
    /// A down, hung or dripping endpoint never gets it.
    static let exitGrace: Duration = .milliseconds(20)

    /// Flushes, retrying failed requests until `deadline` (default: `exitBudget` when undelivered data can
    /// be kept in the spool, which is the default; 5 s without one, since what is left is then lost), then stops the engine
    /// and releases the exporter. Returns within `deadline` (plus 20 ms for requests already sent to an
    /// endpoint that answers, and a moment) whatever the endpoint does:
    /// whatever is still undelivered then is kept in the spool for a later run (by default), or dropped
    /// and counted (`shutdown`) without one. Tracking calls after shutdown are no-ops; a second call
    /// returns the final report at once.
    @discardableResult
    public func shutdown(deadline: Duration? = nil) async -> ShutdownReport {
        let deadline = deadline ?? (lifecycle.withLock { $0.hasSpool } ? Self.exitBudget : .seconds(5))
        let before = stats
        let (worker, ticker, exporter, wasShutDown) = lifecycle.withLock { state in
            defer { state.isShutDown = true }
            accepting.store(false)
            return (state.worker, state.ticker, state.exporter, state.isShutDown)
        }
        if wasShutDown {
            return ShutdownReport(exported: 0, dropped: 0, deadlineExceeded: false, stats: stats)
        }
        ticker?.cancel()
        var deadlineExceeded = false
        if let worker {
            let clock = dependencies.clock
            control.requestShutdown(deadline: clock.now().advanced(by: deadline))
            ingest.wake.signal()
            // The engine stops by itself at the deadline; past it (plus a moment), it is cancelled, and
            // if even that does not end it (an exporter that ignores cancellation), what it holds is
            // counted here.
            let finishedInTime = await Self.wait(for: worker, deadline: deadline + Self.exitGrace + .milliseconds(100), clock: clock)
            if !finishedInTime {
                worker.cancel()
                if !(await Self.wait(for: worker, deadline: .seconds(1), clock: clock)), control.claimFinalAccounting() {
                    let leftover = control.counters.pending
                    ingest.discardAll(reason: .shutdown)
                    if leftover > 0 {
                        control.update {
                            $0.dropped[.shutdown, default: 0] += leftover
                            $0.pending = 0
                        }
                    }
                }
            }
            let now = stats
            let leftBehind = now.dropped[.shutdown, default: 0] - before.dropped[.shutdown, default: 0] + now.spooled - before.spooled
            deadlineExceeded = !finishedInTime || leftBehind > 0
        }
        await exporter?.shutdown()
        let after = stats
        return ShutdownReport(
            exported: after.exported - before.exported,
            dropped: after.totalDropped - before.totalDropped,
            deadlineExceeded: deadlineExceeded,
            stats: after
        )
    }

    /// Whether `worker` finished before `deadline` elapsed on `clock`.
    private static func wait(for worker: Task<Void, Never>, deadline: Duration, clock: any TelemetryClock) async -> Bool {
        let claimed = OneShot()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let timer = Task {
                try? await clock.sleep(for: deadline)
                if claimed.claim() {
                    continuation.resume(returning: false)
                }
            }
            Task {
                await worker.value
                if claimed.claim() {
                    timer.cancel()
                    continuation.resume(returning: true)
                }
            }
        }
    }

    /// Shuts this client down when the process exits normally (`exit()`, returning from `main`), within
    /// `deadline` (default: as `shutdown()`'s): what is not delivered by then is kept for a later run.
    /// Installed by default in command-line tools and servers (`flushOnExit`).
    public func installExitHook(deadline: Duration? = nil) {
        ExitHook.register(self, deadline: deadline)
    }

    // MARK: Consent

    /// Turns telemetry on for this process, unless an opt-out signal says otherwise (opt-out always wins).
    /// With `persist`, saves the choice as the user's preference (`~/.automagik/telemetry_preference`).
    public func enable(persist: Bool = false) {
        if persist { try? dependencies.stateStore.write(.consent, value: "true") }
        lifecycle.withLock { state in
            state.runtimeChoice = .enabled
            applyDecision(&state)
        }
    }

    /// Turns telemetry off for this process: queued items are discarded (counted as `disabled`), the
    /// worker stops. With `persist`, saves "no" as the user's preference. Never writes the machine-wide
    /// opt-out file — that is the user's own switch.
    public func disable(persist: Bool = false) {
        if persist { try? dependencies.stateStore.write(.consent, value: "false") }
        lifecycle.withLock { state in
            state.runtimeChoice = .disabled
            applyDecision(&state)
        }
    }

    /// Whether tracking calls are currently recorded.
    public var isEnabled: Bool { accepting.load() }

    /// The consent decision in force and its reason.
    public var decision: ConsentDecision { lifecycle.withLock { $0.decision } }

    private func applyDecision(_ state: inout Lifecycle) {
        guard !state.isShutDown else { return }
        state.decision = ConsentDecision.decide(
            codeSetting: codeSetting, runtimeChoice: state.runtimeChoice,
            environment: dependencies.environment, store: dependencies.stateStore
        )
        let running = state.ticker != nil
        if state.decision.isEnabled && !running {
            start(&state)
        } else if !state.decision.isEnabled && running {
            stop(&state)
        }
    }

    private func start(_ state: inout Lifecycle) {
        if state.anonymousID == nil { state.anonymousID = loadOrCreateAnonymousID() }
        if state.salt == nil { state.salt = Array((configuration.privacySalt ?? loadOrCreateSalt()).utf8) }
        if state.exporter == nil { state.exporter = ExporterFactory.make(configuration, dependencies: dependencies) }
        guard let exporter = state.exporter else { return }
        state.generation += 1
        let spool = usableSpool(&state)
        state.hasSpool = spool != nil
        let settings = PipelineSettings(
            batchSize: configuration.batchSize,
            maxBatchItems: max(configuration.batchSize, Self.maxBatchItems(for: configuration.backend)),
            flushInterval: configuration.flushInterval,
            bufferBudget: configuration.memoryBudget - Self.intakeShare(of: configuration.memoryBudget),
            flushRetries: configuration.maxRetries,
            retrySchedule: RetrySchedule(initialBackoff: configuration.retryBackoffBase, maxBackoff: .seconds(30)),
            temporality: configuration.metricTemporality,
            privacy: configuration.privacy,
            salt: state.salt ?? [],
            resource: ResourceBuilder.resource(
                configuration: configuration, host: dependencies.host,
                anonymousID: state.anonymousID ?? "", sessionID: sessionID,
                sanitizer: PrivacySanitizer(policy: configuration.privacy, salt: state.salt ?? [])
            ),
            spanAttributes: configuration.systemAttributesOnSpans ? ResourceBuilder.systemSpanAttributes(host: dependencies.host) : [:],
            spool: spool,
            spoolWritesAhead: configuration.spoolPersistence == .everyBatch,
            shutdownGrace: Self.exitGrace,
            generation: state.generation,
            sampler: TraceSampler(ratio: configuration.samplingRatio, eventRatios: configuration.eventSamplingRatios),
            eventRateLimit: configuration.eventRateLimit.map { ($0.perSecond, $0.burst) },
            sessionTimeout: configuration.sessionTimeout
        )
        let previous = state.worker
        let generation = state.generation
        control.activate(generation: generation)
        let (ingest, control, clock, random, diagnostics) = (self.ingest, self.control, dependencies.clock, dependencies.random, self.diagnostics)
        state.worker = Task.detached(priority: .utility) {
            await previous?.value
            var engine = DeliveryEngine(
                settings: settings, intake: ingest, control: control, exporter: exporter,
                clock: clock, random: random, report: { kind, message in diagnostics.once(kind, message) }
            )
            await engine.run()
            control.releaseWaiters(exitingGeneration: generation)
        }
        let interval = configuration.flushInterval
        state.ticker = Task.detached(priority: .utility) {
            while !Task.isCancelled {
                do { try await clock.sleep(for: interval) } catch { return }
                control.requestTick()
                ingest.wake.signal()
            }
        }
        accepting.store(true)
    }

    /// The spool if persistence is on and its directory is safe to use; otherwise nil (data stays in
    /// memory), with the reason kept for `status` and reported once. Without a configured directory it
    /// is `spool/<project>` in the file state store's location; with another state store (tests, the
    /// in-memory kit) there is none.
    private func usableSpool(_ state: inout Lifecycle) -> DirectorySpool? {
        guard let directory = spoolDirectory else { return nil }
        let spool = DirectorySpool(directory: directory, maxBytes: configuration.spoolMaxBytes, clock: dependencies.clock)
        state.spoolProblem = spool.checkDirectory()
        if let problem = state.spoolProblem {
            diagnostics.once("spool_unusable", "running without the spool: \(problem)")
            return nil
        }
        return spool
    }

    private var spoolDirectory: String? { Self.spoolDirectory(for: configuration, stateStore: dependencies.stateStore) }

    /// The spool directory in force for `configuration`: the configured one, or `spool/<project>` under
    /// the location of a file state store; nil with persistence off, another store, a local backend or a
    /// dry run.
    package static func spoolDirectory(for configuration: ResolvedConfiguration, stateStore: any TelemetryStateStore) -> String? {
        // Only the network backends have anything to keep: a file or the console is always there, and a dry run sends nothing.
        guard configuration.spoolPersistence != .off, configuration.backend == .otlp || configuration.backend == .clickhouse,
            configuration.dryRun == nil
        else { return nil }
        return configuration.spoolDirectory
            ?? (stateStore as? FileStateStore).map { "\($0.stateDirectory)/spool/\(folderName(configuration.projectName))" }
    }

    /// `projectName` as one path component: ASCII letters, digits, `.`, `_` and `-` kept, the rest `_`.
    static func folderName(_ projectName: String) -> String {
        let safe = projectName.utf8.prefix(64).map { byte -> Character in
            let allowed =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
            return allowed ? Character(Unicode.Scalar(byte)) : "_"
        }
        let name = String(safe)
        return name.allSatisfy { $0 == "." } ? "_" + name : name
    }

    private func stop(_ state: inout Lifecycle) {
        accepting.store(false)
        state.ticker?.cancel()
        state.ticker = nil
        ingest.discardAll(reason: .disabled)
        control.requestStop(generation: state.generation)
        ingest.wake.signal()
    }

    /// The intake's share of the memory budget: 5/8. Queued items are compact records (~110 B for the
    /// benchmark event's 4 attributes), so the default 64 MiB takes a burst of ~380 k events before
    /// the engine has converted any; the rest (24 MiB) holds ~550 k events as compressed batches while
    /// the endpoint is down.
    static func intakeShare(of budget: Int) -> Int { budget / 8 * 5 }

    /// The most items one request carries. OTLP: 4096 (~1.2 MB of protobuf for the benchmark event, far
    /// inside collectors' default limits; rotel drops requests past 8192 items behind a 200). ClickHouse
    /// asks for few, large inserts: up to 10,000 rows (at 20,000 a 100 k burst into Debian's 18.16 peaked
    /// at 192 MB RSS, for no gain in rows/s).
    static func maxBatchItems(for backend: TelemetryBackend.Kind) -> Int {
        if backend == .clickhouse { return 10_000 }
        return 4096
    }

    /// The installation's pseudonym salt: 32 random bytes, hex, kept beside the anonymous id.
    private func loadOrCreateSalt() -> String {
        if let stored = dependencies.stateStore.read(.hashSalt), stored.utf8.count >= 32 { return stored }
        let fresh = HexEncoding.hex(dependencies.random.bytes(count: 32))
        do {
            try dependencies.stateStore.write(.hashSalt, value: fresh)
        } catch {
            diagnostics.once("salt", "could not save the privacy salt (\(error)); pseudonyms will change next run")
        }
        return fresh
    }

    private func loadOrCreateAnonymousID() -> String {
        if let stored = dependencies.stateStore.read(.anonymousID), RandomUUID.isValid(stored) { return stored }
        let fresh = RandomUUID.make(using: dependencies.random)
        do {
            try dependencies.stateStore.write(.anonymousID, value: fresh)
        } catch {
            diagnostics.once("anonymous_id", "could not save the anonymous id (\(error)); using a temporary one")
        }
        return fresh
    }

    // MARK: Introspection

    /// Counters since creation.
    public var stats: TelemetryStats {
        let intake = ingest.snapshot
        let counters = control.counters
        var stats = TelemetryStats()
        stats.enqueued = intake.enqueued
        stats.queued = intake.depth
        stats.exported = counters.exported
        stats.exportedBatches = counters.exportedBatches
        stats.bytesSent = counters.bytesSent
        stats.failedAttempts = counters.failedAttempts
        stats.retries = counters.retries
        stats.pending = counters.pending
        stats.bufferedBytes = intake.bytes + counters.pendingBytes
        stats.spooled = counters.spooled
        stats.redactions = counters.redactions
        stats.sampledOut = counters.sampledOut
        stats.lastFailure = counters.lastFailure.map(scrubber.scrub)
        stats.rateLimitedNames = counters.rateLimitedNames
        stats.dropped = intake.dropped.merging(counters.dropped, uniquingKeysWith: +)
        return stats
    }

    /// Configuration and state, with the reason telemetry is on or off. Never includes secrets.
    public var status: TelemetryStatus {
        let (decision, anonymousID, isShutDown, spoolProblem) = lifecycle.withLock {
            ($0.decision, $0.anonymousID, $0.isShutDown, $0.spoolProblem)
        }
        let current = stats
        return TelemetryStatus(
            configuration: configuration, decision: decision, isEnabled: isEnabled, anonymousID: anonymousID,
            sessionID: control.counters.sessionID ?? sessionID,
            queueDepth: current.queued, pending: current.pending, bufferedBytes: current.bufferedBytes, isShutDown: isShutDown,
            spoolDirectory: spoolDirectory, spoolProblem: spoolProblem, lastFailure: current.lastFailure, scrubber: scrubber
        )
    }
}

/// A flag that exactly one caller can claim: decides which of two racing tasks resumes a continuation.
final class OneShot: Sendable {
    private let claimed = AtomicFlag(false)

    func claim() -> Bool {
        claimed.claim(ordered: true)
    }
}
