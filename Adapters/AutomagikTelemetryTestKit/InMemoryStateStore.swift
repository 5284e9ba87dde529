@_spi(Internals) import TelemetryCore

/// A `TelemetryStateStore` in memory, which also counts writes — so a test can prove that a disabled
/// client wrote nothing.
public final class InMemoryStateStore: TelemetryStateStore {
    private struct State {
        var values: [StoredItem: String]
        var writes: [StoredItem] = []
    }

    private let state: LockedBox<State>

    /// Creates a store holding `values`.
    public init(_ values: [StoredItem: String] = [:]) {
        state = LockedBox(State(values: values))
    }

    /// The stored value of `item`, or nil.
    public func read(_ item: StoredItem) -> String? { state.withLock { $0.values[item] } }

    /// Stores `value` for `item` (never fails).
    public func write(_ item: StoredItem, value: String) throws {
        state.withLock {
            $0.values[item] = value
            $0.writes.append(item)
        }
    }

    /// Forgets `item` (never fails).
    public func remove(_ item: StoredItem) throws {
        state.withLock {
            $0.values[item] = nil
            $0.writes.append(item)
        }
    }

    /// Every item written or removed, in order.
    public var writes: [StoredItem] { state.withLock { $0.writes } }
    /// The current contents.
    public var values: [StoredItem: String] { state.withLock { $0.values } }
}
