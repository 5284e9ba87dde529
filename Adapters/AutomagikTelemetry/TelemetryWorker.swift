import TelemetryBatching
import TelemetryCore
import TelemetryLogs
import TelemetryMetrics
import TelemetryPrivacy
import TelemetrySpans

/// The single background worker: drains the intake queue, applies the privacy rules, turns items into
/// spans, metric points and log records, batches them and exports with retries and a circuit breaker.
///
/// Owned by one task; its state is never shared, so it needs no locks. It talks to the client only
/// through `IngestQueue` (items in), `WorkerControl` (requests in, counters out) and `WakeSignal`.
struct TelemetryWorker {
    struct Settings: Sendable {
        var batchSize: Int
        /// Largest request body the worker aims for (estimated before encoding).
        var maxBatchBytes: Int
        var pendingCapacity: Int
        var flushInterval: Duration
        var temporality: AggregationTemporality
        var retrySchedule: RetrySchedule
        var breakerThreshold: Int
        var breakerCoolDown: Duration
        var privacy: PrivacyPolicy
        var salt: [UInt8]
        var resource: TelemetryResource
        /// The original SDKs' `system.*` span attributes, added to every span.
        var spanAttributes: TelemetryAttributes
        /// Where batches are persisted before sending (opt-in); used with a `PreparingExporter`.
        var spool: (any TelemetrySpool)?
        /// Which start of the client this worker belongs to (disable/enable starts a new one).
        var generation: Int
    }

    private let settings: Settings
    private let ingest: IngestQueue
    private let control: WorkerControl
    private let exporter: any TelemetryExporter
    private let clock: any TelemetryClock
    private let random: any RandomSource
    private let diagnostics: Diagnostics
    private let spanFactory: SpanFactory
    private let logFactory: LogFactory
    private let sanitizer: PrivacySanitizer

    private var aggregator: MetricAggregator
    private var breaker: CircuitBreaker
    private let policy: BatchPolicy
    private var pendingSpans = PendingBatch<SpanRecord>()
    private var pendingLogs = PendingBatch<LogRecord>()
    private var pendingMetrics: [MetricRecord] = []
    private var scratch: [IngestItem] = []
    /// Event names are a small set of constants: clean each once (bounded, reset when full).
    private var cleanNames: [String: (name: String, rules: RedactionCounts)] = [:]

    init(
        settings: Settings,
        ingest: IngestQueue,
        control: WorkerControl,
        exporter: any TelemetryExporter,
        clock: any TelemetryClock,
        random: any RandomSource,
        diagnostics: Diagnostics
    ) {
        self.settings = settings
        self.ingest = ingest
        self.control = control
        self.exporter = exporter
        self.clock = clock
        self.random = random
        self.diagnostics = diagnostics
        self.spanFactory = SpanFactory(ids: random)
        self.logFactory = LogFactory(maxBodyBytes: settings.privacy.maxTextBytes)
        self.sanitizer = PrivacySanitizer(policy: settings.privacy, salt: settings.salt)
        self.aggregator = MetricAggregator(temporality: settings.temporality, startTime: clock.now())
        self.breaker = CircuitBreaker(failureThreshold: settings.breakerThreshold, coolDown: settings.breakerCoolDown)
        self.policy = BatchPolicy(maxItems: settings.batchSize, maxBytes: settings.maxBatchBytes, maxAge: settings.flushInterval)
    }

    /// Runs until stopped or shut down.
    mutating func run() async {
        while true {
            await ingest.wake.wait()
            let requests = control.takeRequests(generation: settings.generation)
            if requests.stop {
                discardEverything(reason: .disabled)
                for waiter in requests.flushWaiters { waiter.resume() }
                // The wake-up this worker consumed may have been meant for its successor (a flush or a
                // full batch after a quick disable/enable): pass it on.
                ingest.wake.signal()
                return
            }
            // An explicit flush or shutdown may probe a failing endpoint once, whatever the cool-down.
            if !requests.flushWaiters.isEmpty || requests.shutdown { breaker.allowProbeNow() }
            await cycle(force: requests.forcesExport)
            if requests.shutdown {
                _ = spoolPending()
                let undelivered = pendingCount
                if undelivered > 0 {
                    control.update {
                        $0.dropped[.shutdown, default: 0] += undelivered
                        $0.pending = 0
                    }
                    diagnostics.once("shutdown_undelivered", "\(undelivered) items could not be delivered before shutdown")
                }
            }
            for waiter in requests.flushWaiters { waiter.resume() }
            if requests.shutdown { return }
        }
    }

    /// One pass: take in what is queued, then send what is due (everything, when forced).
    mutating func cycle(force: Bool) async {
        intake()
        let now = clock.now()
        if force {
            let records = aggregator.collect(at: now)
            pendingMetrics.append(contentsOf: records)
        }
        enforcePendingCapacity()
        publishPending()
        await drainSpool()
        await exportDue(force: force)
        publishPending()
    }

    private mutating func intake() {
        scratch.removeAll(keepingCapacity: true)
        ingest.drain(into: &scratch)
        guard !scratch.isEmpty else { return }
        let now = clock.now()
        var counts = RedactionCounts()
        var rejected: [DropReason: Int] = [:]
        for item in scratch {
            switch item {
            case .event(let name, let attributes, let time, let duration):
                var clean = sanitizer.sanitize(attributes, counts: &counts)
                if !settings.spanAttributes.isEmpty { clean.merge(settings.spanAttributes) { current, _ in current } }
                let cleanName = cleanEventName(name, counts: &counts)
                let span = spanFactory.eventSpan(name: cleanName, attributes: clean, end: time, duration: duration)
                pendingSpans.append(span, bytes: Self.estimatedSize(span.name, span.attributes), at: now)
            case .thrown(let error, let stackTrace, let attributes, let time):
                let failure = ErrorDescription(
                    type: String(reflecting: type(of: error)), message: String(describing: error), stackTrace: stackTrace
                )
                appendError(failure, attributes: attributes, time: time, counts: &counts)
            case .error(let failure, let attributes, let time):
                appendError(failure, attributes: attributes, time: time, counts: &counts)
            case .metric(let name, let kind, let unit, let value, let attributes):
                let clean = sanitizer.sanitize(attributes, counts: &counts)
                if let rejection = aggregator.record(name, kind: kind, unit: unit, value: value, attributes: clean) {
                    rejected[DropReason(rejection), default: 0] += 1
                    diagnostics.once("metric.\(rejection.rawValue)", "metric \"\(name)\" rejected: \(rejection.rawValue)")
                }
            case .log(let message, let severity, let attributes, let time):
                let clean = sanitizer.sanitize(attributes, counts: &counts)
                let body = sanitizer.sanitize(text: message, counts: &counts)
                pendingLogs.append(
                    logFactory.record(message: body, severity: severity, attributes: clean, at: time),
                    bytes: Self.estimatedSize(body, clean), at: now
                )
            }
        }
        control.update { counters in
            for (rule, count) in counts.counts { counters.redactions[rule.rawValue, default: 0] += count }
            for (reason, count) in rejected { counters.dropped[reason, default: 0] += count }
        }
    }

    private mutating func cleanEventName(_ name: String, counts: inout RedactionCounts) -> String {
        if let known = cleanNames[name] {
            counts.merge(known.rules)
            return known.name
        }
        var rules = RedactionCounts()
        let clean = sanitizer.sanitize(value: name, counts: &rules)
        if cleanNames.count >= 1024 { cleanNames.removeAll(keepingCapacity: true) }
        cleanNames[name] = (clean, rules)
        counts.merge(rules)
        return clean
    }

    private mutating func appendError(
        _ failure: ErrorDescription, attributes: TelemetryAttributes, time: Timestamp, counts: inout RedactionCounts
    ) {
        var clean = sanitizer.sanitize(attributes, counts: &counts)
        if !settings.spanAttributes.isEmpty { clean.merge(settings.spanAttributes) { current, _ in current } }
        let cleaned = ErrorDescription(
            type: sanitizer.sanitize(value: failure.type, counts: &counts),
            message: sanitizer.sanitize(text: failure.message, counts: &counts),
            stackTrace: failure.stackTrace.map { sanitizer.sanitize(text: $0, counts: &counts) }
        )
        let span = spanFactory.errorSpan(cleaned, attributes: clean, at: time)
        pendingSpans.append(
            span, bytes: Self.estimatedSize(cleaned.message + (cleaned.stackTrace ?? ""), span.attributes) * 2, at: clock.now()
        )
    }

    /// A cheap upper-bound guess of an item's encoded size, for the `maxBatchBytes` trigger.
    static func estimatedSize(_ text: String, _ attributes: TelemetryAttributes) -> Int {
        var bytes = 96 + text.utf8.count
        for (key, value) in attributes {
            bytes += 12 + key.utf8.count
            if case .string(let string) = value { bytes += string.utf8.count } else { bytes += 10 }
        }
        return bytes
    }

    private var pendingCount: Int {
        pendingSpans.count + pendingLogs.count + pendingMetrics.reduce(0) { $0 + $1.pointCount }
    }

    /// Keeps converted-but-unsent items within capacity while an endpoint is failing: oldest out first.
    private mutating func enforcePendingCapacity() {
        var excess = pendingCount - settings.pendingCapacity
        guard excess > 0 else { return }
        let now = clock.now()
        var evicted = pendingSpans.evictOldest(excess, at: now)
        excess -= evicted
        let logs = pendingLogs.evictOldest(excess, at: now)
        excess -= logs
        evicted += logs
        while excess > 0, !pendingMetrics.isEmpty {
            let removed = pendingMetrics.removeFirst().pointCount
            excess -= removed
            evicted += removed
        }
        let total = evicted
        control.update { $0.dropped[.bufferFull, default: 0] += total }
        diagnostics.once("buffer_full", "endpoint unavailable; oldest telemetry is being dropped")
    }

    private mutating func exportDue(force: Bool) async {
        if settings.spool == nil, let preparing = exporter as? any PreparingExporter {
            guard await exportSpansPipelined(force: force, preparing: preparing) else { return }
        }
        while force ? !pendingSpans.isEmpty : pendingSpans.isDue(under: policy, at: clock.now()) {
            let items = pendingSpans.peek(upTo: policy.maxItems, maxBytes: policy.maxBytes)
            guard await deliver(.spans(items)) else { return }
            pendingSpans.removeFirst(items.count, at: clock.now())
        }
        while force ? !pendingLogs.isEmpty : pendingLogs.isDue(under: policy, at: clock.now()) {
            let items = pendingLogs.peek(upTo: policy.maxItems, maxBytes: policy.maxBytes)
            guard await deliver(.logs(items)) else { return }
            pendingLogs.removeFirst(items.count, at: clock.now())
        }
        if !pendingMetrics.isEmpty {
            let items = pendingMetrics
            guard await deliver(.metrics(items)) else { return }
            pendingMetrics.removeFirst(items.count)
        }
    }

    /// Sends one payload with retries. Returns true when the payload is finished with (delivered,
    /// dropped permanently, or safe in the spool); false when it must stay pending in memory.
    private mutating func deliver(_ payload: ExportPayload) async -> Bool {
        if let spool = settings.spool, let preparing = exporter as? any PreparingExporter,
            let entry = preparing.prepare(ExportBatch(resource: settings.resource, payload: payload), at: clock.now()),
            let handle = spool.store(entry)
        {
            // Durable before it is sent: a crash from here on loses nothing.
            let finished = await deliverLive(payload)
            if finished {
                spool.remove(handle)
            } else {
                let count = entry.itemCount
                control.update { $0.spooled += count }
            }
            return true
        }
        return await deliverLive(payload)
    }

    /// Uploads spooled batches (this run's and earlier runs'), oldest first, while the endpoint takes them.
    private mutating func drainSpool() async {
        guard let spool = settings.spool, let preparing = exporter as? any PreparingExporter else { return }
        recordSpoolLosses(spool)
        while breaker.allowsRequest(at: clock.now()) {
            let claimed = spool.claimOldest(limit: 8)
            guard !claimed.isEmpty else { return }
            for (index, (handle, entry)) in claimed.enumerated() {
                switch await preparing.send(entry) {
                case .success(let rejected, let bytes):
                    breaker.recordSuccess()
                    spool.remove(handle)
                    control.update { counters in
                        counters.recordDelivered(items: entry.itemCount, rejected: rejected, bytes: bytes)
                        counters.spooled = max(0, counters.spooled - entry.itemCount)
                    }
                case .permanentFailure(let reason), .tooLarge(let reason):
                    breaker.recordSuccess()
                    spool.remove(handle)
                    control.update { counters in
                        counters.dropped[.rejectedByReceiver, default: 0] += entry.itemCount
                        counters.spooled = max(0, counters.spooled - entry.itemCount)
                    }
                    diagnostics.once("spool.permanent", "spooled batch rejected: \(reason)")
                case .retryable:
                    breaker.recordFailure(at: clock.now())
                    control.update { $0.failedAttempts += 1 }
                    for (remaining, _) in claimed[index...] { spool.release(remaining) }
                    return
                }
            }
        }
    }

    private func recordSpoolLosses(_ spool: any TelemetrySpool) {
        let losses = spool.takeLosses()
        guard losses != SpoolLosses() else { return }
        control.update { counters in
            if losses.evictedForSpace > 0 { counters.dropped[.spoolFull, default: 0] += losses.evictedForSpace }
            if losses.expired > 0 { counters.dropped[.spoolExpired, default: 0] += losses.expired }
            if losses.corrupt > 0 { counters.dropped[.spoolCorrupt, default: 0] += losses.corrupt }
        }
    }

    /// Moves everything still pending into the spool (at shutdown); returns how many items it kept.
    private mutating func spoolPending() -> Int {
        guard let spool = settings.spool, let preparing = exporter as? any PreparingExporter else { return 0 }
        var kept = 0
        let now = clock.now()
        func keep(_ payload: ExportPayload) -> Bool {
            guard let entry = preparing.prepare(ExportBatch(resource: settings.resource, payload: payload), at: now),
                spool.store(entry) != nil
            else { return false }
            kept += entry.itemCount
            return true
        }
        while !pendingSpans.isEmpty {
            let items = pendingSpans.peek(upTo: policy.maxItems, maxBytes: policy.maxBytes)
            guard keep(.spans(items)) else { break }
            pendingSpans.removeFirst(items.count, at: now)
        }
        while !pendingLogs.isEmpty {
            let items = pendingLogs.peek(upTo: policy.maxItems, maxBytes: policy.maxBytes)
            guard keep(.logs(items)) else { break }
            pendingLogs.removeFirst(items.count, at: now)
        }
        if !pendingMetrics.isEmpty && keep(.metrics(pendingMetrics)) { pendingMetrics.removeAll() }
        let total = kept
        if total > 0 { control.update { $0.spooled += total } }
        return total
    }

    /// Spans, the bulk of most workloads, go out pipelined: the next batch is encoded and compressed
    /// while the previous request is in flight, so the worker's CPU work overlaps the network round trip
    /// and the receiver's processing. At most one request is in flight. Any failure falls back to the
    /// sequential path (retries, splitting, breaker) for that batch. Returns false if spans must wait.
    private mutating func exportSpansPipelined(force: Bool, preparing: any PreparingExporter) async -> Bool {
        var inflight: (task: Task<ExportResult, Never>, payload: ExportPayload, count: Int)?
        var handedOut = 0
        while true {
            let now = clock.now()
            let available = pendingSpans.count - handedOut
            let due = force || available >= policy.maxItems || (handedOut == 0 && pendingSpans.isDue(under: policy, at: now))
            var next: (entry: SpoolEntry, payload: ExportPayload, count: Int)?
            if available > 0 && due {
                let items = pendingSpans.peek(from: handedOut, upTo: policy.maxItems, maxBytes: policy.maxBytes)
                let payload = ExportPayload.spans(items)
                if let entry = preparing.prepare(ExportBatch(resource: settings.resource, payload: payload), at: now) {
                    next = (entry, payload, items.count)
                }
            }
            if let current = inflight {
                inflight = nil
                let result = await current.task.value
                guard await deliverLive(current.payload, firstResult: result) else { return false }
                pendingSpans.removeFirst(current.count, at: clock.now())
                handedOut -= current.count
            }
            guard let next, breaker.allowsRequest(at: clock.now()) else { return next == nil }
            let entry = next.entry
            inflight = (Task { await preparing.send(entry) }, next.payload, next.count)
            handedOut += next.count
        }
    }

    private mutating func deliverLive(_ payload: ExportPayload, firstResult: ExportResult? = nil) async -> Bool {
        var retry = 0
        var pendingResult = firstResult
        while true {
            let result: ExportResult
            if let given = pendingResult {
                result = given
                pendingResult = nil
            } else {
                guard breaker.allowsRequest(at: clock.now()) else { return false }
                result = await exporter.export(ExportBatch(resource: settings.resource, payload: payload))
            }
            switch result {
            case .success(let rejectedItems, let bytesSent):
                breaker.recordSuccess()
                control.update { $0.recordDelivered(items: payload.itemCount, rejected: rejectedItems, bytes: bytesSent) }
                return true
            case .permanentFailure(let reason):
                // The endpoint answered, so it is up: the breaker stays closed.
                breaker.recordSuccess()
                let count = payload.itemCount
                control.update { counters in
                    counters.failedAttempts += 1
                    counters.dropped[.rejectedByReceiver, default: 0] += count
                }
                diagnostics.once("permanent.\(payload.signal.rawValue)", "\(payload.signal.rawValue) rejected: \(reason)")
                return true
            case .tooLarge(let reason):
                breaker.recordSuccess()
                control.update { $0.failedAttempts += 1 }
                guard let (first, second) = payload.split() else {
                    control.update { $0.dropped[.rejectedByReceiver, default: 0] += payload.itemCount }
                    diagnostics.once("too_large", "a single item is too large for the receiver: \(reason)")
                    return true
                }
                guard await deliverLive(first) else { return false }
                return await deliverLive(second)
            case .retryable(let reason, let retryAfter):
                let now = clock.now()
                breaker.recordFailure(at: now)
                control.update { $0.failedAttempts += 1 }
                diagnostics.once("retryable.\(payload.signal.rawValue)", "\(payload.signal.rawValue) export failed, will retry: \(reason)")
                retry += 1
                // A failed probe (or the threshold reached) opened the breaker: wait for the cool-down,
                // not for a backoff whose retry the breaker would refuse anyway.
                if breaker.isOpen { return false }
                guard let delay = settings.retrySchedule.delay(beforeRetry: retry, retryAfter: retryAfter, random: random) else {
                    breaker.trip(at: now)
                    return false
                }
                control.update { $0.retries += 1 }
                do {
                    try await clock.sleep(for: delay)
                } catch {
                    return false
                }
            }
        }
    }

    /// Drops this worker's own pending items. The intake queue was already emptied by `disable()`;
    /// anything queued since belongs to the next worker.
    private mutating func discardEverything(reason: DropReason) {
        let count = pendingCount
        pendingSpans = PendingBatch()
        pendingLogs = PendingBatch()
        pendingMetrics.removeAll()
        _ = aggregator.collect(at: clock.now())
        if count > 0 { control.update { $0.dropped[reason, default: 0] += count } }
        publishPending()
    }

    /// Publishes how many converted items wait, so a shutdown that times out mid-export can count them.
    private func publishPending() {
        let count = pendingCount
        control.update { $0.pending = count }
    }
}

extension DropReason {
    init(_ rejection: MeasurementRejection) {
        switch rejection {
        case .nonFiniteValue: self = .nonFiniteValue
        case .negativeCounterIncrement: self = .negativeCounterIncrement
        case .instrumentConflict, .invalidName, .instrumentLimit: self = .invalidMetric
        }
    }
}
