/// What a full queue does with a new element.
public enum QueueOverflowPolicy: String, Sendable, Hashable, CaseIterable {
    /// Evict the oldest element to make room: recent data is usually the most useful.
    case dropOldest = "drop_oldest"
    /// Refuse the new element; what is queued stays.
    case dropNewest = "drop_newest"
}

/// A fixed-capacity FIFO ring buffer with an explicit overflow policy.
///
/// Storage is allocated once, at creation, so enqueueing never allocates: this is the structure the
/// client's hot path writes into (under a lock held for a constant number of instructions).
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
    private var storage: [Element?]
    private var head = 0
    public private(set) var count = 0

    /// Creates an empty queue; `capacity` below 1 is raised to 1.
    public init(capacity: Int, overflowPolicy: OverflowPolicy = .dropOldest) {
        self.capacity = max(1, capacity)
        self.overflowPolicy = overflowPolicy
        self.storage = Array(repeating: nil, count: self.capacity)
    }

    public var isEmpty: Bool { count == 0 }
    public var isFull: Bool { count == capacity }

    /// Appends `element`, applying the overflow policy when full. O(1), no allocation.
    public mutating func enqueue(_ element: Element) -> EnqueueOutcome {
        if count < capacity {
            storage[(head + count) % capacity] = element
            count += 1
            return .accepted
        }
        switch overflowPolicy {
        case .dropNewest:
            return .rejected
        case .dropOldest:
            let evicted = storage[head].take()!
            storage[head] = element
            head = (head + 1) % capacity
            return .acceptedEvictingOldest(evicted)
        }
    }

    /// Removes and returns the oldest element, or nil when empty.
    public mutating func dequeue() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head].take()
        head = (head + 1) % capacity
        count -= 1
        return element
    }

    /// Moves up to `limit` oldest elements, in order, to the end of `destination`; returns how many.
    @discardableResult
    public mutating func drain(into destination: inout [Element], limit: Int = .max) -> Int {
        let moved = min(limit, count)
        for _ in 0..<moved {
            destination.append(storage[head].take()!)
            head = (head + 1) % capacity
        }
        count -= moved
        return moved
    }

    /// Removes everything; returns how many elements were discarded.
    @discardableResult
    public mutating func removeAll() -> Int {
        let removed = count
        for offset in 0..<count { storage[(head + offset) % capacity] = nil }
        head = 0
        count = 0
        return removed
    }
}

extension BoundedQueue: Sendable where Element: Sendable {}
extension BoundedQueue.EnqueueOutcome: Sendable where Element: Sendable {}
