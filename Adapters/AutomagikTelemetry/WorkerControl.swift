import TelemetryCore

/// Requests from the client to the worker, and the counters the worker owns, under one lock.
final class WorkerControl: Sendable {
    struct Requests {
        var flushWaiters: [CheckedContinuation<Void, Never>] = []
        var tick = false
        var stop = false
        var shutdown = false

        var forcesExport: Bool { tick || !flushWaiters.isEmpty || shutdown }
    }

    struct Counters {
        var exported = 0
        var exportedBatches = 0
        var bytesSent = 0
        var failedAttempts = 0
        var retries = 0
        var dropped: [DropReason: Int] = [:]
        var redactions: [String: Int] = [:]
        var pending = 0
        var spooled = 0

        /// A batch of `items` the receiver accepted, minus the `rejected` it refused inside a 2xx.
        mutating func recordDelivered(items: Int, rejected: Int, bytes: Int) {
            let refused = min(max(0, rejected), items)
            exported += items - refused
            exportedBatches += 1
            bytesSent += bytes
            if refused > 0 { dropped[.partiallyRejected, default: 0] += refused }
        }
    }

    private struct State {
        var requests = Requests()
        var counters = Counters()
        /// Workers of this generation and older must stop.
        var stopGeneration = 0
        /// The newest worker started.
        var activeGeneration = 0
    }

    private let state = LockedBox(State())

    /// Takes the requests accumulated since the last call. A worker told to stop takes nothing else:
    /// flushes and ticks that arrive meanwhile belong to the worker started after it.
    func takeRequests(generation: Int) -> Requests {
        state.withLock { state in
            if generation <= state.stopGeneration {
                var stop = Requests()
                stop.stop = true
                return stop
            }
            defer { state.requests = Requests() }
            return state.requests
        }
    }

    func addFlushWaiter(_ continuation: CheckedContinuation<Void, Never>) {
        state.withLock { $0.requests.flushWaiters.append(continuation) }
    }

    func requestTick() { state.withLock { $0.requests.tick = true } }
    func requestStop(generation: Int) { state.withLock { $0.stopGeneration = max($0.stopGeneration, generation) } }
    func requestShutdown() { state.withLock { $0.requests.shutdown = true } }

    /// Records that the worker of `generation` is starting; it will serve any flush waiting now.
    func activate(generation: Int) {
        state.withLock { $0.activeGeneration = max($0.activeGeneration, generation) }
    }

    /// Called by a worker that has exited: resumes flush waiters no worker will serve, so no caller
    /// hangs — unless a newer worker has started, which serves them instead.
    func releaseWaiters(exitingGeneration generation: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.activeGeneration == generation else { return [] }
            defer { state.requests.flushWaiters = [] }
            return state.requests.flushWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func update(_ body: (inout Counters) -> Void) {
        state.withLock { body(&$0.counters) }
    }

    var counters: Counters { state.withLock { $0.counters } }
}
