import Synchronization
import TelemetryBatching
import TelemetryCore
import TelemetryMetrics
import TelemetrySpans

/// An item as the caller hands it over: raw, unsanitised, not yet converted. Converting and cleaning
/// happen on the worker, so the caller's thread pays only for an enqueue.
enum IngestItem: Sendable {
    case event(name: String, attributes: TelemetryAttributes, time: Timestamp, duration: Duration)
    case error(ErrorDescription, attributes: TelemetryAttributes, time: Timestamp)
    case metric(name: String, kind: InstrumentKind, unit: String, value: Double, attributes: TelemetryAttributes)
    case log(message: String, severity: Severity, attributes: TelemetryAttributes, time: Timestamp)
}

/// The hand-off between the app's threads and the worker: a bounded ring buffer under a lock held for
/// a constant number of instructions, plus the counters the caller side owns.
final class IngestQueue: Sendable {
    private struct State {
        var queue: BoundedQueue<IngestItem>
        var enqueued = 0
        var dropped: [DropReason: Int] = [:]
        var wakeRequested = false
    }

    private let state: Mutex<State>
    private let wakeThreshold: Int
    let wake: WakeSignal

    init(capacity: Int, overflowPolicy: QueueOverflowPolicy, wakeThreshold: Int, wake: WakeSignal) {
        state = Mutex(State(queue: BoundedQueue(capacity: capacity, overflowPolicy: overflowPolicy)))
        self.wakeThreshold = max(1, wakeThreshold)
        self.wake = wake
    }

    /// Enqueues `item`; wakes the worker once per `wakeThreshold` items rather than per item.
    func submit(_ item: IngestItem) {
        let shouldWake = state.withLock { state -> Bool in
            switch state.queue.enqueue(item) {
            case .accepted:
                state.enqueued += 1
            case .acceptedEvictingOldest:
                state.enqueued += 1
                state.dropped[.queueFull, default: 0] += 1
            case .rejected:
                state.dropped[.queueFull, default: 0] += 1
                return false
            }
            guard state.queue.count >= wakeThreshold, !state.wakeRequested else { return false }
            state.wakeRequested = true
            return true
        }
        if shouldWake { wake.signal() }
    }

    /// Counts an item refused before it reached the queue.
    func countDrop(_ reason: DropReason, count: Int = 1) {
        state.withLock { $0.dropped[reason, default: 0] += count }
    }

    /// Moves everything queued into `destination` (worker side).
    func drain(into destination: inout [IngestItem]) {
        state.withLock { state in
            state.queue.drain(into: &destination)
            state.wakeRequested = false
        }
    }

    /// Discards everything queued, counting it under `reason`.
    func discardAll(reason: DropReason) {
        state.withLock { state in
            let removed = state.queue.removeAll()
            if removed > 0 { state.dropped[reason, default: 0] += removed }
        }
    }

    var snapshot: (enqueued: Int, dropped: [DropReason: Int], depth: Int) {
        state.withLock { ($0.enqueued, $0.dropped, $0.queue.count) }
    }
}

/// Wakes the worker: a one-slot latch. Signals while nobody waits are remembered (once).
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at once if a signal is pending, else suspends until the next one. One waiter at a time.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
