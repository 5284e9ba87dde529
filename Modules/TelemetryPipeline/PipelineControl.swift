@_spi(Internals) import TelemetryCore
import TelemetryPrivacy

/// Requests from the client to the engine, and the counters the engine owns, under one lock.
package final class PipelineControl: Sendable {
    package struct Requests {
        package var flushWaiters: [CheckedContinuation<Void, Never>] = []
        package var tick = false
        package var stop = false
        /// Set by `shutdown(deadline:)`: when the engine must have finished, on the engine's clock.
        package var shutdownDeadline: Timestamp?

        package var shutdown: Bool { shutdownDeadline != nil }
    }

    package struct Counters: Sendable {
        package var exported = 0
        package var exportedBatches = 0
        package var bytesSent = 0
        package var failedAttempts = 0
        package var retries = 0
        package var dropped: [DropReason: Int] = [:]
        package var redactions: [PrivacyRule: Int] = [:]
        /// Items converted (or drained) and not yet delivered: raw batches, prepared requests, in flight.
        package var pending = 0
        /// Bytes the engine holds for `pending` (estimated for raw items, exact for prepared requests).
        package var pendingBytes = 0
        package var spooled = 0
        /// Events the sampler did not keep (by design, not a loss: not counted as dropped).
        package var sampledOut = 0
        /// Distinct event names that hit the rate limit at least once.
        package var rateLimitedNames = 0
        /// The current session's id once the engine started a new session (nil: the client's first).
        package var sessionID: String?
        /// Why the latest failed export failed (the exporter's reason; may carry server text: the client
        /// scrubs it before showing it).
        package var lastFailure: String?

        /// A batch of `items` the receiver accepted, minus the `rejected` it refused inside a 2xx.
        package mutating func recordDelivered(items: Int, rejected: Int, bytes: Int) {
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
        /// Engines of this generation and older must stop.
        var stopGeneration = 0
        /// The newest engine started.
        var activeGeneration = 0
        /// Whoever counts what is left at the end (the engine, or the client after a missed deadline).
        var finalAccountingClaimed = false
    }

    private let state = LockedBox(State())

    package init() {}

    /// Takes the requests accumulated since the last call. An engine told to stop takes nothing else:
    /// flushes and ticks that arrive meanwhile belong to the engine started after it.
    package func takeRequests(generation: Int) -> Requests {
        state.withLock { state in
            if generation <= state.stopGeneration {
                var stop = Requests()
                stop.stop = true
                return stop
            }
            defer {
                let deadline = state.requests.shutdownDeadline
                state.requests = Requests()
                state.requests.shutdownDeadline = deadline  // sticky: a shutdown is never un-requested
            }
            return state.requests
        }
    }

    package func addFlushWaiter(_ continuation: CheckedContinuation<Void, Never>) {
        state.withLock { $0.requests.flushWaiters.append(continuation) }
    }

    package func requestTick() { state.withLock { $0.requests.tick = true } }
    package func requestStop(generation: Int) { state.withLock { $0.stopGeneration = max($0.stopGeneration, generation) } }
    package func requestShutdown(deadline: Timestamp) { state.withLock { $0.requests.shutdownDeadline = deadline } }

    /// Records that the engine of `generation` is starting; it will serve any flush waiting now.
    package func activate(generation: Int) {
        state.withLock { $0.activeGeneration = max($0.activeGeneration, generation) }
    }

    /// Called by an engine that has exited: resumes flush waiters no engine will serve, so no caller
    /// hangs — unless a newer engine has started, which serves them instead.
    package func releaseWaiters(exitingGeneration generation: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.activeGeneration == generation else { return [] }
            defer { state.requests.flushWaiters = [] }
            return state.requests.flushWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// True for exactly one caller: the party that counts what is left undelivered at the end.
    package func claimFinalAccounting() -> Bool {
        state.withLock { state in
            defer { state.finalAccountingClaimed = true }
            return !state.finalAccountingClaimed
        }
    }

    package func update(_ body: (inout Counters) -> Void) {
        state.withLock { body(&$0.counters) }
    }

    package var counters: Counters { state.withLock { $0.counters } }
}
