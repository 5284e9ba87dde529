import TelemetryCore

/// Items waiting to be sent for one signal, with the bookkeeping `BatchPolicy` needs.
///
/// Taking a batch off the front is O(batch), not O(pending): consumed items are skipped by an offset
/// and compacted away only once they are the larger part of the storage. (Shifting the whole array
/// per batch was measured at 9 % of the worker's time with 200 k items pending.)
package struct PendingBatch<Item: Sendable>: Sendable {
    private var storage: [Item] = []
    private var start = 0
    private var itemBytes: [Int] = []
    /// Estimated bytes of the items held.
    package private(set) var estimatedBytes = 0
    /// When the oldest pending item was added; nil when empty.
    package private(set) var oldest: Timestamp?

    /// Creates an empty batch.
    package init() {}

    /// Pending items, oldest first.
    package var items: ArraySlice<Item> { storage[start...] }
    /// Items held.
    package var count: Int { storage.count - start }
    /// Whether nothing is held.
    package var isEmpty: Bool { start == storage.count }

    /// Adds `item` arriving at `time`, whose encoded size is about `bytes`.
    package mutating func append(_ item: Item, bytes: Int, at time: Timestamp) {
        if isEmpty { oldest = time }
        storage.append(item)
        itemBytes.append(max(0, bytes))
        estimatedBytes += max(0, bytes)
    }

    /// Whether `policy` says to send now.
    package func isDue(under policy: BatchPolicy, at now: Timestamp) -> Bool {
        guard let oldest, !isEmpty else { return false }
        return count >= policy.maxItems || estimatedBytes >= policy.maxBytes || oldest.duration(to: now) >= policy.maxAge
    }

    /// The oldest items after skipping `offset`, at most `maxItems` of them and — past the first — at most
    /// `maxBytes` of estimated size, without removing them (see `removeFirst`).
    package func peek(from offset: Int = 0, upTo maxItems: Int, maxBytes: Int = .max) -> [Item] {
        let first = start + max(0, offset)
        var end = first
        var bytes = 0
        while end < storage.count && end - first < maxItems {
            if end > first && bytes + itemBytes[end] > maxBytes { break }
            bytes += itemBytes[end]
            end += 1
        }
        return first < storage.count ? Array(storage[first..<end]) : []
    }

    /// Removes the `count` oldest items; `now` becomes the age origin of what remains.
    package mutating func removeFirst(_ count: Int, at now: Timestamp) {
        let removed = min(count, self.count)
        for index in start..<(start + removed) { estimatedBytes -= itemBytes[index] }
        start += removed
        if isEmpty {
            self = PendingBatch()
        } else {
            oldest = now
            if start > 1024 && start * 2 > storage.count {
                storage.removeFirst(start)
                itemBytes.removeFirst(start)
                start = 0
            }
        }
    }

    /// Takes at most `maxItems` of the oldest items, leaving the rest pending.
    package mutating func take(upTo maxItems: Int, at now: Timestamp) -> [Item] {
        let taken = peek(upTo: maxItems)
        removeFirst(taken.count, at: now)
        return taken
    }
}
