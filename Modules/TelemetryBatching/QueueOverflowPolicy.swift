/// What a full queue does with a new element.
public enum QueueOverflowPolicy: String, Sendable, Hashable, CaseIterable {
    /// Evict the oldest element to make room: recent data is usually the most useful.
    case dropOldest = "drop_oldest"
    /// Refuse the new element; what is queued stays.
    case dropNewest = "drop_newest"
}
