/// What a full queue does with a new element.
public enum QueueOverflowPolicy: String, Sendable, Hashable, CaseIterable {
    /// Evict the oldest element to make room: recent data is usually the most useful.
    case dropOldest = "drop_oldest"
    /// Refuse the new element; what is queued stays.
    case dropNewest = "drop_newest"
}

/// A fixed-capacity FIFO ring buffer with an explicit overflow policy.
///
/// Storage starts small and doubles as needed up to `capacity`, then stays: in steady state enqueueing
/// never allocates, and a queue that is rarely full never pays for its whole capacity. This is the
/// structure the client's hot path writes into (under a lock held for a constant number of instructions).
public struct BoundedQueue<Element> {
    /// What happens when an element arrives at a full queue.
    public typealias OverflowPolicy = QueueOverflowPolicy

    /// The outcome of `enqueue`.
    public enum EnqueueOutcome {
        /// Stored; nothing was lost.
        case accepted
        /// Stored, and the oldest element was evicted (returned so the caller can count it).
        case acceptedEvictingOldest(Element)
        /// Not stored: the queue is full and the policy is `.dropNewest`.
        case rejected
    }

    public let capacity: Int
    public let overflowPolicy: OverflowPolicy
    // Inlinable so the client's hot path gets a specialized queue: without it every enqueue would go
    // through generic value witnesses and runtime metadata lookups (measured: ~500 instructions).
    @usableFromInline var storage: [Element?]
    @usableFromInline var head = 0
    @usableFromInline var _count = 0
    /// Elements currently queued.
    @inlinable public var count: Int { _count }

    /// Creates an empty queue; `capacity` below 1 is raised to 1.
    @inlinable
    public init(capacity: Int, overflowPolicy: OverflowPolicy = .dropOldest) {
        self.capacity = max(1, capacity)
        self.overflowPolicy = overflowPolicy
        self.storage = Array(repeating: nil, count: min(self.capacity, 64))
    }

    /// Doubles the storage (up to `capacity`), unrolling the ring so the oldest element is first.
    @usableFromInline
    mutating func grow() {
        let newSize = min(capacity, storage.count * 2)
        var grown = [Element?](repeating: nil, count: newSize)
        for offset in 0..<_count { grown[offset] = storage[(head + offset) % storage.count].take() }
        storage = grown
        head = 0
    }

    @inlinable public var isEmpty: Bool { _count == 0 }
    @inlinable public var isFull: Bool { _count == capacity }

    /// Appends `element`, applying the overflow policy when full. O(1), no allocation.
    @inlinable
    public mutating func enqueue(_ element: Element) -> EnqueueOutcome {
        if _count < capacity {
            if _count == storage.count { grow() }
            var slot = head + _count
            if slot >= storage.count { slot -= storage.count }
            storage[slot] = element
            _count += 1
            return .accepted
        }
        switch overflowPolicy {
        case .dropNewest:
            return .rejected
        case .dropOldest:
            let evicted = storage[head].take()!
            storage[head] = element
            head = head + 1 == storage.count ? 0 : head + 1
            return .acceptedEvictingOldest(evicted)
        }
    }

    /// Removes the oldest element and returns it, or nil when empty.
    @inlinable
    public mutating func dequeue() -> Element? {
        guard _count > 0 else { return nil }
        let element = storage[head].take()
        head = head + 1 == storage.count ? 0 : head + 1
        _count -= 1
        return element
    }

    /// Moves up to `limit` oldest elements, in order, to the end of `destination`; returns how many.
    @inlinable
    @discardableResult
    public mutating func drain(into destination: inout [Element], limit: Int = .max) -> Int {
        let moved = min(limit, _count)
        destination.reserveCapacity(destination.count + moved)
        for _ in 0..<moved {
            destination.append(storage[head].take()!)
            head = head + 1 == storage.count ? 0 : head + 1
        }
        _count -= moved
        return moved
    }

    /// Removes everything; returns how many elements were discarded.
    @inlinable
    @discardableResult
    public mutating func removeAll() -> Int {
        let removed = _count
        for offset in 0..<_count { storage[(head + offset) % storage.count] = nil }
        head = 0
        _count = 0
        return removed
    }
}

extension BoundedQueue: Sendable where Element: Sendable {}
extension BoundedQueue.EnqueueOutcome: Sendable where Element: Sendable {}
