import TelemetryCore

/// When a batch of items should be sent: whichever of size, bytes or age is reached first.
public struct BatchPolicy: Sendable, Hashable {
    /// Send once this many items are pending.
    public var maxItems: Int
    /// Send once the pending items' estimated encoded size reaches this many bytes.
    public var maxBytes: Int
    /// Send once the oldest pending item has waited this long (the flush interval).
    public var maxAge: Duration

    /// Creates a policy; non-positive values are raised to the smallest meaningful value.
    public init(maxItems: Int, maxBytes: Int = 4 * 1024 * 1024, maxAge: Duration) {
        self.maxItems = max(1, maxItems)
        self.maxBytes = max(1, maxBytes)
        self.maxAge = maxAge > .zero ? maxAge : .milliseconds(1)
    }
}

/// Items waiting to be sent for one signal, with the bookkeeping `BatchPolicy` needs.
public struct PendingBatch<Item: Sendable>: Sendable {
    public private(set) var items: [Item] = []
    public private(set) var estimatedBytes = 0
    /// When the oldest pending item was added; nil when empty.
    public private(set) var oldest: Timestamp?

    /// Creates an empty batch.
    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    /// Adds `item` arriving at `time`, whose encoded size is about `bytes`.
    public mutating func append(_ item: Item, bytes: Int, at time: Timestamp) {
        if items.isEmpty { oldest = time }
        items.append(item)
        estimatedBytes += max(0, bytes)
    }

    /// Whether `policy` says to send now.
    public func isDue(under policy: BatchPolicy, at now: Timestamp) -> Bool {
        guard let oldest else { return false }
        return items.count >= policy.maxItems
            || estimatedBytes >= policy.maxBytes
            || oldest.duration(to: now) >= policy.maxAge
    }

    /// Takes at most `policy.maxItems` of the oldest items, leaving the rest pending.
    public mutating func take(upTo maxItems: Int, at now: Timestamp) -> [Item] {
        if items.count <= maxItems {
            defer { self = PendingBatch() }
            return items
        }
        let taken = Array(items[..<maxItems])
        let remainingBytes = estimatedBytes - estimatedBytes * maxItems / items.count
        items.removeFirst(maxItems)
        estimatedBytes = remainingBytes
        oldest = now
        return taken
    }
}
