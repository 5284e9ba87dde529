#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TelemetryBatching
@_spi(Internals) import TelemetryCore

/// The hand-off between the app's threads and the delivery engine: a few shards, each under its own
/// lock held for a bounded number of instructions, chosen by the calling thread; bounded in bytes.
///
/// One lock for every producer collapses under contention: with more threads than cores, a thread
/// preempted while holding it makes every other producer sleep in the kernel (measured: 8 producers
/// on 2 cores fell from 3.7 M to 66 k enqueues/s). Sharding keeps each thread on its own lock most of
/// the time, so that convoy cannot form.
///
/// Each shard copies items into fixed-size byte slabs (`IntakeSlab`, `IntakeRecord`): an enqueue never
/// moves what is already queued (a growing ring copied 50 k items under the lock: 1–13 ms for the
/// unlucky caller), the caller's own values are released on the caller's thread (see `IntakeSlab` for
/// the allocator-lock stalls that avoids), and the engine takes a whole shard by swapping its slab list
/// out: constant time under the lock, whatever the backlog. Emptied slabs come back through a small
/// pool, so a steady stream allocates nothing. The bound is a byte budget shared by all shards (an
/// atomic sum of record sizes), released only when the engine has converted the items, so raw items in
/// the queue and in the engine's hands together stay within it. Past the budget the caller evicts its
/// shard's oldest items (drop-oldest, the default) or refuses the new one; each is counted as `queueFull`.
package final class IntakeQueue: Sendable {
    /// Emptied slabs kept for reuse: 2 MiB, enough for the steady state of a busy app.
    static let pooledSlabs = 32

    private final class Shard: Sendable {
        struct State {
            /// Filled slabs, oldest first.
            var full: [IntakeSlab] = []
            var current: IntakeSlab?
            var count = 0
            var enqueued = 0
            var dropped: [DropReason: Int] = [:]

            /// Drops the oldest record; returns its charge and the value it held (released by the
            /// caller after the lock), or nil when the shard is empty.
            mutating func evictOldest(recycle: (IntakeSlab) -> Void) -> (charge: Int, object: IntakeItem?)? {
                let evicted: (charge: Int, object: IntakeItem?)?
                if let first = full.first {
                    evicted = first.evictOldest()
                    if first.isEmpty {
                        full.removeFirst()  // an array of slab references: ≤ budget / 64 KiB, cheap
                        recycle(first)
                    }
                } else {
                    evicted = current?.evictOldest()
                }
                if evicted != nil { count -= 1 }
                return evicted
            }
        }

        let state = LockedBox(State())
    }

    private let shards: [Shard]
    private let shardMask: Int
    private let budget: Int
    private let itemCapacity: Int
    private let overflowPolicy: QueueOverflowPolicy
    private let bytes = AtomicInteger(0)
    private let depth = AtomicInteger(0)
    private let wakeRequested = AtomicFlag(false)
    private let wakeThreshold: Int
    private let pool = LockedBox<[IntakeSlab]>([])
    package let wake: WakeSignal

    /// Creates a queue holding at most `budget` estimated bytes of raw items (and, optionally, at most
    /// `itemCapacity` items).
    package init(
        budget: Int, itemCapacity: Int = .max, overflowPolicy: QueueOverflowPolicy, wakeThreshold: Int, wake: WakeSignal,
        shardCount: Int = 8
    ) {
        var count = 1
        while count < shardCount { count <<= 1 }
        shards = (0..<count).map { _ in Shard() }
        shardMask = count - 1
        self.budget = max(1, budget)
        self.itemCapacity = max(1, itemCapacity)
        self.overflowPolicy = overflowPolicy
        self.wakeThreshold = max(1, wakeThreshold)
        self.wake = wake
    }

    /// The calling thread's shard: its thread id, mixed, masked.
    @inline(__always)
    private func currentShard() -> Shard {
        #if canImport(Darwin)
        let id = UInt(bitPattern: pthread_self())
        #else
        let id = UInt(pthread_self())
        #endif
        let mixed = (id >> 12) ^ (id >> 20) ^ (id >> 28)
        return shards[Int(mixed) & shardMask]
    }

    /// Enqueues `item`; wakes the engine once per `wakeThreshold` items rather than per item.
    package func submit(_ item: IntakeItem) {
        let size = IntakeRecord.compactSize(of: item)
        let charge = IntakeRecord.charge(for: item, compactSize: size)
        let footprint = size ?? IntakeRecord.objectBytes
        let shard = currentShard()
        // Evicted values are moved out and released after the lock: freeing them is not the lock's business.
        var evicted: [IntakeItem] = []
        let accepted = shard.state.withLock { state -> Bool in
            var overCapacity = depth.load() >= itemCapacity
            while bytes.load() + charge > budget || overCapacity {
                state.dropped[.queueFull, default: 0] += 1
                guard overflowPolicy == .dropOldest, let oldest = state.evictOldest(recycle: recycle) else { return false }
                bytes.add(-oldest.charge)
                depth.add(-1)
                if let object = oldest.object { evicted.append(object) }
                overCapacity = false
            }
            if state.current.map({ $0.room < footprint }) ?? true {
                if let current = state.current { state.full.append(current) }
                state.current = takeSlab()
            }
            state.current.unsafelyUnwrapped.append(item, compactSize: size, charge: charge)
            state.count += 1
            state.enqueued += 1
            bytes.add(charge)
            depth.add(1)
            return true
        }
        _ = consume evicted
        guard accepted, depth.load() >= wakeThreshold else { return }
        if wakeRequested.claim() {
            wake.signal()
        }
    }

    /// A slab from the pool, or a new one.
    private func takeSlab() -> IntakeSlab {
        pool.withLock { $0.popLast() } ?? IntakeSlab()
    }

    /// Returns a slab whose records have all been taken (engine side, or an eviction emptying one).
    package func recycle(_ slab: IntakeSlab) {
        slab.reset()
        pool.withLock { pooled in
            if pooled.count < Self.pooledSlabs { pooled.append(slab) }
        }
    }

    /// Counts an item refused before it reached the queue.
    package func countDrop(_ reason: DropReason, count: Int = 1) {
        currentShard().state.withLock { $0.dropped[reason, default: 0] += count }
    }

    /// Takes everything queued (engine side): each shard's slabs are swapped out in constant time,
    /// oldest first per shard. The records' bytes stay charged to the budget until `release(bytes:)`;
    /// hand each slab back with `recycle(_:)` once its records are taken.
    package func drain() -> [IntakeSlab] {
        wakeRequested.store(false)
        var taken: [IntakeSlab] = []
        for shard in shards {
            let (full, current, count) = shard.state.withLock { state in
                defer {
                    state.full = []
                    state.current = nil
                    state.count = 0
                }
                return (state.full, state.current, state.count)
            }
            if let current, current.isEmpty { recycle(current) }
            guard count > 0 else { continue }
            depth.add(-count)
            taken.append(contentsOf: full)
            if let current, !current.isEmpty { taken.append(current) }
        }
        return taken
    }

    /// Returns budget taken by items the engine has finished with (converted or discarded).
    package func release(bytes released: Int) {
        bytes.add(-released)
    }

    /// Discards everything queued, counting it under `reason`.
    package func discardAll(reason: DropReason) {
        for shard in shards {
            let removed = shard.state.withLock { state -> [IntakeSlab] in
                guard state.count > 0 else { return [] }
                state.dropped[reason, default: 0] += state.count
                depth.add(-state.count)
                defer {
                    state.full = []
                    state.current = nil
                    state.count = 0
                }
                return state.full + (state.current.map { [$0] } ?? [])
            }
            let freed = removed.reduce(0) { $0 + $1.charged }
            if freed > 0 { bytes.add(-freed) }
            for slab in removed { recycle(slab) }
        }
    }

    /// Items accepted so far, drops by reason, items queued now and the bytes charged to the budget.
    package var snapshot: (enqueued: Int, dropped: [DropReason: Int], depth: Int, bytes: Int) {
        var enqueued = 0
        var dropped: [DropReason: Int] = [:]
        for shard in shards {
            shard.state.withLock { state in
                enqueued += state.enqueued
                dropped.merge(state.dropped, uniquingKeysWith: +)
            }
        }
        return (enqueued, dropped, max(0, depth.load()), max(0, bytes.load()))
    }
}
