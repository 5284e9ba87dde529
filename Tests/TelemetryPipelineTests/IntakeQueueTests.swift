import Foundation
import Testing
import TelemetryBatching
@_spi(Internals) import TelemetryCore
@testable import TelemetryPipeline

@Suite struct IntakeQueueTests {
    private static let time = Timestamp(nanosecondsSinceEpoch: 1)

    private func event(_ index: Int) -> IntakeItem {
        .event(name: "e", attributes: ["i": .int(Int64(index))], time: Self.time, duration: .zero)
    }

    /// What `item` costs the budget.
    private func charge(_ item: IntakeItem) -> Int {
        IntakeRecord.charge(for: item, compactSize: IntakeRecord.compactSize(of: item))
    }

    /// Decodes every record, handing each emptied slab back to `queue`'s pool as the engine does.
    private func items(_ slabs: [IntakeSlab], recyclingInto queue: IntakeQueue? = nil) -> [IntakeItem] {
        var items: [IntakeItem] = []
        for slab in slabs {
            while let (item, _) = slab.takeOldest() {
                if let item { items.append(item) }
            }
            queue?.recycle(slab)
        }
        return items
    }

    private func indices(_ slabs: [IntakeSlab], recyclingInto queue: IntakeQueue? = nil) -> [Int] {
        items(slabs, recyclingInto: queue).compactMap { item in
            guard case .event(_, let attributes, _, _) = item, case .int(let index)? = attributes["i"] else { return nil }
            return Int(index)
        }
    }

    @Test func aThreadsItemsComeOutInOrderAcrossChunks() {
        let queue = IntakeQueue(budget: 100_000_000, overflowPolicy: .dropOldest, wakeThreshold: 1_000_000, wake: WakeSignal())
        for index in 0..<1_000 { queue.submit(event(index)) }
        #expect(queue.snapshot.depth == 1_000)
        let taken = queue.drain()
        #expect(indices(taken) == Array(0..<1_000))
        #expect(queue.snapshot.depth == 0)
        #expect(queue.snapshot.bytes == 1_000 * charge(event(0)), "bytes stay charged until released")
        queue.release(bytes: queue.snapshot.bytes)
        #expect(queue.snapshot.bytes == 0)
    }

    @Test func theBudgetIsInBytesAndTheOldestGoFirst() {
        let size = charge(event(0))
        let queue = IntakeQueue(budget: size * 300, overflowPolicy: .dropOldest, wakeThreshold: 1_000_000, wake: WakeSignal())
        for index in 0..<1_000 { queue.submit(event(index)) }
        let snapshot = queue.snapshot
        #expect(snapshot.depth == 300)
        #expect(snapshot.dropped[.queueFull] == 700)
        #expect(snapshot.enqueued == 1_000)
        #expect(indices(queue.drain()) == Array(700..<1_000))
    }

    @Test func dropNewestKeepsWhatIsQueued() {
        let size = charge(event(0))
        let queue = IntakeQueue(budget: size * 10, overflowPolicy: .dropNewest, wakeThreshold: 1_000_000, wake: WakeSignal())
        for index in 0..<20 { queue.submit(event(index)) }
        #expect(indices(queue.drain()) == Array(0..<10))
        #expect(queue.snapshot.dropped[.queueFull] == 10)
    }

    @Test func anItemCapAppliesOnTopOfTheBudget() {
        let queue = IntakeQueue(budget: 100_000_000, itemCapacity: 5, overflowPolicy: .dropOldest, wakeThreshold: 100, wake: WakeSignal())
        for index in 0..<8 { queue.submit(event(index)) }
        #expect(indices(queue.drain()) == [3, 4, 5, 6, 7])
    }

    @Test func drainedButUnconvertedItemsStillCountAgainstTheBudget() {
        let size = charge(event(0))
        let queue = IntakeQueue(budget: size * 10, overflowPolicy: .dropOldest, wakeThreshold: 1_000_000, wake: WakeSignal())
        for index in 0..<10 { queue.submit(event(index)) }
        _ = queue.drain()
        queue.submit(event(10))
        #expect(queue.snapshot.depth == 0, "no room, and nothing of this shard left to evict")
        #expect(queue.snapshot.dropped[.queueFull] == 1)
        queue.release(bytes: size * 10)
        queue.submit(event(11))
        #expect(indices(queue.drain()) == [11])
    }

    @Test func valuesKeptWholeAndCopiedRecordsInterleaveInOrder() {
        struct Failure: Error {}
        let queue = IntakeQueue(budget: 100_000_000, overflowPolicy: .dropOldest, wakeThreshold: 1_000_000, wake: WakeSignal())
        for index in 0..<3_000 {
            if index % 7 == 0 {
                queue.submit(.thrown(Failure(), stackTrace: nil, attributes: ["i": .int(Int64(index))], time: Self.time))
            } else {
                queue.submit(event(index))
            }
        }
        let all = items(queue.drain(), recyclingInto: queue)
        let order = all.compactMap { item -> Int? in
            switch item {
            case .event(_, let attributes, _, _), .thrown(_, _, let attributes, _):
                if case .int(let index)? = attributes["i"] { return Int(index) }
                return nil
            default: return nil
            }
        }
        #expect(order == Array(0..<3_000))
        #expect(queue.snapshot.bytes == all.reduce(0) { $0 + charge($1) })
    }

    @Test func wakesOncePerThreshold() async {
        let wake = WakeSignal()
        let queue = IntakeQueue(budget: 100_000_000, overflowPolicy: .dropOldest, wakeThreshold: 3, wake: wake)
        queue.submit(event(0))
        queue.submit(event(1))
        queue.submit(event(2))
        await wake.wait()  // returns: the third item signalled
        #expect(indices(queue.drain()) == [0, 1, 2])
    }

    @Test func discardingCountsAndReleasesEverything() {
        let queue = IntakeQueue(budget: 100_000_000, overflowPolicy: .dropOldest, wakeThreshold: 1_000_000, wake: WakeSignal())
        for index in 0..<600 { queue.submit(event(index)) }
        queue.discardAll(reason: .disabled)
        let snapshot = queue.snapshot
        #expect(snapshot.depth == 0 && snapshot.bytes == 0)
        #expect(snapshot.dropped[.disabled] == 600)
    }

    @Test func manyThreadsNeverLoseOrDuplicateAnItem() {
        let queue = IntakeQueue(budget: 100_000_000, overflowPolicy: .dropOldest, wakeThreshold: 1_000_000, wake: WakeSignal())
        let collected = LockedBox<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 9) { worker in
            if worker == 8 {
                // Recycling while producers fill: a slab handed back must never be one a shard still uses.
                for _ in 0..<200 { collected.withLock { $0.append(contentsOf: indices(queue.drain(), recyclingInto: queue)) } }
            } else {
                for index in 0..<5_000 { queue.submit(event(worker * 5_000 + index)) }
            }
        }
        collected.withLock { $0.append(contentsOf: indices(queue.drain())) }
        let all = collected.withLock { $0 }
        #expect(all.count == 40_000)
        #expect(Set(all).count == 40_000)
    }
}
