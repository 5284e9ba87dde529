import TelemetryBatching
@_spi(Internals) import TelemetryCore

extension DeliveryEngine {
    /// Request slots the breaker lets the engine use now.
    private var freeSlots: Int {
        let inFlight = outbox.inFlightCount
        return breaker.permitsRequest(at: clock.now(), inFlight: inFlight) ? maxInFlight - inFlight : 0
    }

    /// Cuts pending items into batches. A batch is cut when it is full (`maxBatchItems` or
    /// `maxBatchBytes`), or when it is due (`batchSize` items, or its oldest item has waited the flush
    /// interval), a request slot is free to take it and no taken backlog is still being converted —
    /// so while slots are busy or a burst is being converted the next batch keeps growing, and a burst
    /// goes out in a few large requests. `force` cuts everything.
    /// `maxItems` caps each batch below `maxBatchItems` (batches kept for a later run are cut to `batchSize`,
    /// so each later request is short enough for a leaving program's budget).
    mutating func cutBatches(force: Bool, maxItems: Int? = nil) {
        while let (items, bytes) = nextCut(of: \.pendingSpans, force: force, maxItems: maxItems) { addBatch(.spans(items), payloadBytes: bytes) }
        while let (items, bytes) = nextCut(of: \.pendingLogs, force: force, maxItems: maxItems) { addBatch(.logs(items), payloadBytes: bytes) }
        if !pendingMetrics.isEmpty {
            let records = pendingMetrics
            pendingMetrics = []
            addBatch(.metrics(records), payloadBytes: records.reduce(0) { $0 + 160 * $1.pointCount })
        }
    }

    private mutating func nextCut<Item>(
        of batch: WritableKeyPath<DeliveryEngine, PendingBatch<Item>>, force: Bool, maxItems: Int? = nil
    ) -> ([Item], Int)? {
        let now = clock.now()
        let slotFree = outbox.waitingCount < freeSlots
        let policy = BatchPolicy(maxItems: settings.batchSize, maxBytes: settings.maxBatchBytes, maxAge: settings.flushInterval)
        // Read through the key path without keeping a copy: a copy alive across `removeFirst` would
        // make it copy the whole pending storage.
        guard !self[keyPath: batch].isEmpty else { return nil }
        // Records are bulky (about twice their encoded estimate): a batch is also full once they would
        // take a quarter of the buffer budget, so records waiting to be cut stay within it too.
        let byteLimit = min(settings.maxBatchBytes, settings.bufferBudget / 8)
        let full = self[keyPath: batch].count >= settings.maxBatchItems || self[keyPath: batch].estimatedBytes >= byteLimit
        // While a taken backlog is still being converted, more items are microseconds away: wait for a
        // full batch rather than send a small one (measured on a 30 k burst: 52 requests become 11).
        let due = slotFree && rawRemaining == 0 && self[keyPath: batch].isDue(under: policy, at: now)
        guard force || full || due else { return nil }
        let items = self[keyPath: batch].peek(upTo: min(maxItems ?? settings.maxBatchItems, settings.maxBatchItems), maxBytes: byteLimit)
        let before = self[keyPath: batch].estimatedBytes
        self[keyPath: batch].removeFirst(items.count, at: now)
        return (items, before - self[keyPath: batch].estimatedBytes)
    }

    /// Adds a cut batch to the outbox: prepared (and persisted, with a spool) when the exporter can
    /// prepare ahead; the records are kept only if the batch goes out at once (a 413 can split them).
    private mutating func addBatch(_ payload: ExportPayload, payloadBytes: Int) {
        let now = clock.now()
        var prepared: SpoolEntry?
        var handle: SpoolHandle?
        if let preparing {
            prepared = preparing.prepare(ExportBatch(resource: resource, payload: payload), at: now)
            // The buffer counts bytes, so it must hold no more than it counts: an encoder's spare
            // capacity would otherwise wait in memory with the batch.
            if let body = prepared?.body, body.capacity > body.count + body.count / 8 + 64 {
                prepared?.body = Array(body[...])
            }
            if let prepared, let spool = settings.spool, settings.spoolWritesAhead { handle = spool.store(prepared) }
        }
        let sendsNow = outbox.waitingCount < freeSlots
        // Records take about twice their estimated encoded size in memory. Held only for a batch's first
        // attempt (at most `maxInFlight` batches): whatever limit a receiver has, a 413 can be split.
        outbox.append(
            signal: payload.signal, itemCount: payload.itemCount, payload: prepared == nil || sendsNow ? payload : nil,
            payloadBytes: 2 * payloadBytes, prepared: prepared, spoolHandle: handle
        )
    }

    /// Keeps the outbox within its budget: the oldest waiting batches go first, counted `bufferFull`
    /// (or still safe on disk, with a spool).
    mutating func enforceBudget() {
        let evicted = outbox.evictOverBudget()
        guard !evicted.isEmpty else { return }
        var lost = 0
        var kept = 0
        for entry in evicted {
            switch setAside(entry) {
            case .lost: lost += entry.itemCount
            case .onDisk: kept += entry.itemCount
            case .returnedToSpool: break
            }
        }
        control.update { counters in
            if lost > 0 { counters.dropped[.bufferFull, default: 0] += lost }
            counters.spooled += kept
        }
        if lost > 0 {
            report(
                "buffer_full",
                "endpoint unavailable; the \(settings.bufferBudget / 1_048_576) MiB buffer is full and the oldest telemetry is being dropped")
        }
    }

    /// Starts requests while slots are free and the breaker permits: the oldest waiting batch first,
    /// then, when nothing of this run waits, batches left in the spool.
    mutating func dispatch() {
        // Past the shutdown deadline nothing new starts: only the grace for requests already sent runs.
        if let deadline = shutdownDeadline, clock.now() >= deadline { return }
        while freeSlots > 0 {
            guard let index = outbox.firstWaitingIndex ?? claimFromSpool() else { return }
            start(at: index)
        }
    }

    private mutating func claimFromSpool() -> Int? {
        // Earlier runs' batches go out once the endpoint has answered in this run, after the run's first
        // second (a program that lives that long is no blink of a command-line tool), or when the app asks
        // for a flush. Short runs send them at shutdown, after their own data, and only what the endpoint
        // is expected to take before the deadline: a request cut off in flight after the receiver took it
        // would be sent twice.
        guard spoolMayHoldBacklog, let spool = settings.spool, preparing != nil, outbox.isEmpty else { return nil }
        let now = clock.now()
        let probing = !endpointAnswered
        let asked = flushes.contains { !$0.isShutdown }
        if probing && (shutdownDeadline != nil || (now < startedAt.advanced(by: .seconds(1)) && !asked)) { return nil }
        recordSpoolLosses(spool)
        var claimed = spool.claimOldest(limit: probing ? 1 : max(1, freeSlots))
        if let deadline = shutdownDeadline {
            // What cannot be answered before the deadline goes back, and this run stops taking backlog.
            var fitting: [(handle: SpoolHandle, entry: SpoolEntry)] = []
            for claim in claimed {
                if fitsBefore(deadline, bytes: claim.entry.body.count, now: now) {
                    fitting.append(claim)
                } else {
                    spool.release(claim.handle)
                    spoolMayHoldBacklog = false
                }
            }
            claimed = fitting
            if claimed.isEmpty { return nil }
        }
        // Listing the directory is I/O: look again only after a batch went to the spool instead.
        if claimed.isEmpty { spoolMayHoldBacklog = false }
        for (handle, entry) in claimed {
            outbox.append(
                signal: entry.signal, itemCount: entry.itemCount, payload: nil, payloadBytes: 0, prepared: entry,
                spoolHandle: handle, fromSpool: true
            )
        }
        return outbox.firstWaitingIndex
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

    private mutating func start(at index: Int) {
        if outbox.entries[index].prepared == nil, let preparing, let payload = outbox.entries[index].payload {
            // The halves of a split, or a batch cut before the exporter could prepare (ClickHouse before
            // it knows the server's flavour).
            let prepared = preparing.prepare(ExportBatch(resource: resource, payload: payload), at: clock.now())
            outbox.update(at: index) { $0.prepared = prepared }
        }
        outbox.update(at: index) { $0.isInFlight = true }
        let entry = outbox.entries[index]
        if entry.attempts > 0 { control.update { $0.retries += 1 } }
        let send: @Sendable () async -> ExportResult
        if let prepared = entry.prepared, let preparing {
            send = { await preparing.send(prepared) }
        } else if let payload = entry.payload {
            let (exporter, batch) = (self.exporter, ExportBatch(resource: resource, payload: payload))
            send = { await exporter.export(batch) }
        } else {
            send = { .permanentFailure(reason: "nothing to send") }  // unreachable: an entry holds one or the other
        }
        let (id, completions, wake) = (entry.id, self.completions, intake.wake)
        requestStarts[id] = clock.now()
        requests[id] = Task {
            let result = await send()
            completions.withLock { $0.append(Completion(id: id, result: result)) }
            wake.signal()
        }
    }

    /// Applies the results of finished requests.
    mutating func collectCompletions() {
        let finished = completions.withLock { list -> [Completion] in
            defer { list = [] }
            return list
        }
        for completion in finished { apply(completion) }
    }

    private mutating func apply(_ completion: Completion) {
        guard requests.removeValue(forKey: completion.id) != nil else { return }
        guard let index = outbox.index(of: completion.id) else { return }
        outbox.update(at: index) {
            $0.isInFlight = false
            $0.attempts += 1
        }
        let entry = outbox.entries[index]
        let signal = entry.signal.rawValue
        let started = requestStarts.removeValue(forKey: completion.id)
        if case .success = completion.result, let started {
            let took = started.duration(to: clock.now())
            longestRequest = max(longestRequest ?? .zero, took)
            if let bytes = entry.prepared?.body.count, bytes > 0 { slowestRate = max(slowestRate ?? 0, took.seconds / Double(bytes)) }
        }
        switch completion.result {
        case .success, .permanentFailure, .tooLarge: endpointAnswered = true
        case .retryable(_, let retryAfter): endpointAnswered = endpointAnswered || retryAfter != nil
        }
        switch completion.result {
        case .success(let rejected, let bytes):
            breaker.recordSuccess()
            finish(at: index)
            control.update { counters in
                counters.recordDelivered(items: entry.itemCount, rejected: rejected, bytes: bytes)
                if entry.fromSpool { counters.spooled = max(0, counters.spooled - entry.itemCount) }
            }
        case .permanentFailure(let reason):
            // The endpoint answered, so it is up: the breaker closes.
            breaker.recordSuccess()
            drop(at: index, reason: "\(signal) rejected: \(reason)", kind: "permanent.\(signal)")
        case .tooLarge(let reason):
            breaker.recordSuccess()
            control.update { $0.failedAttempts += 1 }
            if let payload = entry.payload, let (first, second) = payload.split() {
                if let handle = entry.spoolHandle { settings.spool?.remove(handle) }
                outbox.replace(at: index, with: [(first, entry.payloadBytes / 2), (second, entry.payloadBytes / 2)])
            } else {
                drop(at: index, reason: "a batch is too large for the receiver and cannot be split: \(reason)", kind: "too_large")
            }
        case .retryable(let reason, let retryAfter):
            breaker.recordFailure(at: clock.now(), retryAfter: retryAfter, random: random)
            failures += 1
            control.update {
                $0.failedAttempts += 1
                $0.lastFailure = "\(signal) export failed, will retry: \(reason)"
            }
            report("retryable.\(signal)", "\(signal) export failed, will retry: \(reason)")
            if entry.spoolHandle != nil {
                // Safe on disk: the spool delivers it once the endpoint is back.
                outbox.remove(at: index)
                if setAside(entry) == .onDisk { control.update { $0.spooled += entry.itemCount } }
            } else if entry.prepared != nil {
                outbox.update(at: index) { $0.payload = nil }  // waiting: keep only the compact request
            }
        }
    }

    /// Where a batch that leaves memory undelivered ends up.
    enum SetAside: Equatable {
        /// Not persisted: gone (the caller counts it under its reason).
        case lost
        /// Persisted by this run: the spool delivers it later (counted as spooled).
        case onDisk
        /// Claimed from the spool earlier: handed back, already counted where it came from.
        case returnedToSpool
    }

    /// Whether a request of `bytes` is expected to be answered before `deadline`: both the longest request
    /// this run has seen and the slowest rate per byte it has seen still fit (small requests carry fixed
    /// costs, so the rate errs long for large ones: a large batch waits for a run that lives longer).
    /// Never without a measurement.
    private func fitsBefore(_ deadline: Timestamp, bytes: Int, now: Timestamp) -> Bool {
        guard let longestRequest, let slowestRate else { return false }
        let expected = max(longestRequest, .nanoseconds(saturating: slowestRate * Double(bytes) * 1e9))
        return now.advanced(by: expected) < deadline
    }

    /// Takes `entry` out of memory without delivering it: a batch on disk stays there for the spool, and
    /// one that is not yet (the spool writes only what cannot be delivered) is written now.
    mutating func setAside(_ entry: Outbox.Entry) -> SetAside {
        var entry = entry
        if entry.spoolHandle == nil, !entry.fromSpool, let spool = settings.spool, let prepared = entry.prepared {
            entry.spoolHandle = spool.store(prepared)
        }
        guard let handle = entry.spoolHandle else { return .lost }
        spoolMayHoldBacklog = true
        if entry.fromSpool {
            settings.spool?.release(handle)
            return .returnedToSpool
        }
        return .onDisk
    }

    /// Removes a finished entry (and its spool file).
    private mutating func finish(at index: Int) {
        let entry = outbox.remove(at: index)
        if let handle = entry.spoolHandle { settings.spool?.remove(handle) }
    }

    private mutating func drop(at index: Int, reason: String, kind: String) {
        let entry = outbox.entries[index]
        finish(at: index)
        control.update { counters in
            counters.failedAttempts += 1
            counters.lastFailure = reason
            counters.dropped[.rejectedByReceiver, default: 0] += entry.itemCount
            if entry.fromSpool { counters.spooled = max(0, counters.spooled - entry.itemCount) }
        }
        report(kind, reason)
    }

    /// At the end (disable, shutdown, or a missed deadline): sends in flight are cancelled, and
    /// everything not delivered is persisted (with a spool and `persist`) or counted under `reason`.
    mutating func settleLeftovers(reason: DropReason, persist: Bool) {
        timer?.task.cancel()
        timer = nil
        for task in requests.values { task.cancel() }
        requests = [:]
        requestStarts = [:]
        let accountable = reason != .shutdown || control.claimFinalAccounting()
        if persist, settings.spool != nil, preparing != nil {
            // Everything already accepted is converted and kept: a program that leaves right after a
            // burst loses none of it (conversion is CPU only, bounded by the intake's byte budget).
            while true {
                convertSlice()
                guard rawRemaining == 0 else { continue }
                convertSlice()  // one more drain: anything still in the intake?
                if rawRemaining == 0 { break }
            }
        }
        var lost = rawRemaining
        // Slabs before `rawSlab` were already handed back to the intake's pool: never touch them again.
        let untaken = raw[min(rawSlab, raw.count)...]
        intake.release(bytes: untaken.reduce(0) { $0 + $1.charged })
        for slab in untaken { intake.recycle(slab) }
        raw = []
        rawSlab = 0
        rawRemaining = 0
        pendingMetrics.append(contentsOf: converter.collectMetrics(at: clock.now()))
        let spool = persist ? settings.spool : nil
        if spool != nil && preparing != nil {
            cutBatches(force: true, maxItems: settings.batchSize)
        } else {
            lost += pendingSpans.count + pendingLogs.count + pendingMetrics.reduce(0) { $0 + $1.pointCount }
            pendingSpans = PendingBatch()
            pendingLogs = PendingBatch()
            pendingMetrics = []
        }
        var kept = 0
        for entry in outbox.entries {
            switch spool == nil && entry.spoolHandle == nil ? .lost : setAside(entry) {
            case .lost: lost += entry.itemCount
            case .onDisk: kept += entry.itemCount
            case .returnedToSpool: break
            }
        }
        outbox = Outbox(budget: settings.bufferBudget)
        if reason == .shutdown { intake.discardAll(reason: .shutdown) }
        let waiters = flushes.flatMap(\.waiters)
        flushes = []
        // Counted before the waiting flushes resume: their reports read the counters.
        if accountable {
            let (dropped, spooled) = (lost, kept)
            control.update { counters in
                if dropped > 0 { counters.dropped[reason, default: 0] += dropped }
                counters.spooled += spooled
                counters.pending = 0
                counters.pendingBytes = 0
            }
            if dropped > 0 && reason == .shutdown {
                report("shutdown_undelivered", "\(dropped) items could not be delivered before shutdown")
            }
        }
        for waiter in waiters { waiter.resume() }
    }
}
