import Testing
import TelemetryBatching

@Suite struct BoundedQueueTests {
    @Test func fifoOrderAcrossWraparound() {
        var queue = BoundedQueue<Int>(capacity: 3)
        for value in 1...3 { if case .accepted = queue.enqueue(value) {} else { Issue.record("rejected") } }
        #expect(queue.dequeue() == 1)
        _ = queue.enqueue(4)
        var drained: [Int] = []
        #expect(queue.drain(into: &drained) == 3)
        #expect(drained == [2, 3, 4])
        #expect(queue.isEmpty)
        #expect(queue.dequeue() == nil)
    }

    @Test func dropOldestEvictsAndReportsTheEvicted() {
        var queue = BoundedQueue<Int>(capacity: 2, overflowPolicy: .dropOldest)
        _ = queue.enqueue(1)
        _ = queue.enqueue(2)
        guard case .acceptedEvictingOldest(let evicted) = queue.enqueue(3) else {
            Issue.record("expected eviction"); return
        }
        #expect(evicted == 1)
        var drained: [Int] = []
        queue.drain(into: &drained)
        #expect(drained == [2, 3])
    }

    @Test func dropNewestKeepsWhatIsQueued() {
        var queue = BoundedQueue<Int>(capacity: 2, overflowPolicy: .dropNewest)
        _ = queue.enqueue(1)
        _ = queue.enqueue(2)
        guard case .rejected = queue.enqueue(3) else { Issue.record("expected rejection"); return }
        #expect(queue.isFull)
        var drained: [Int] = []
        queue.drain(into: &drained, limit: 1)
        #expect(drained == [1])
        #expect(queue.count == 1)
    }

    @Test func removeAllCountsAndResets() {
        var queue = BoundedQueue<String>(capacity: 0)
        #expect(queue.capacity == 1)
        _ = queue.enqueue("a")
        #expect(queue.removeAll() == 1)
        #expect(queue.isEmpty)
        _ = queue.enqueue("b")
        #expect(queue.dequeue() == "b")
    }
}
