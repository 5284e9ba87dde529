import CAtomics

/// A lock-free integer for counters read on the hot path (queue depth, bytes held). Relaxed ordering:
/// readers need a recent value, not ordering with other memory. Over C11 atomics rather than
/// `Synchronization.Atomic`, which would raise the Apple platform floor to iOS 18 / macOS 15.
///
/// Public and `@inlinable` so callers in other modules inline each operation (a `package` declaration
/// is not; see `LockedBox`).
@_spi(Internals) public final class AtomicInteger: @unchecked Sendable {
    // @unchecked Sendable is sound: the storage is only touched through C11 atomic operations, and the
    // pointer itself never changes after init.
    @usableFromInline let storage: UnsafeMutablePointer<catomics_int>

    /// An integer starting at `value`.
    public init(_ value: Int) {
        storage = .allocate(capacity: 1)
        catomics_int_init(storage, value)
    }

    deinit { storage.deallocate() }

    /// The current value (relaxed).
    @inlinable public func load() -> Int { catomics_int_load_relaxed(storage) }

    /// Adds `delta` (negative to subtract), wrapping on overflow (relaxed).
    @inlinable public func add(_ delta: Int) { catomics_int_add_relaxed(storage, delta) }
}

/// A lock-free flag: the client's "accepting" switch, read by every tracking call, and one-shot claims.
/// Over C11 atomics for the same reason as `AtomicInteger`.
@_spi(Internals) public final class AtomicFlag: @unchecked Sendable {
    // @unchecked Sendable is sound: as for `AtomicInteger`.
    @usableFromInline let storage: UnsafeMutablePointer<catomics_bool>

    /// A flag starting at `value`.
    public init(_ value: Bool) {
        storage = .allocate(capacity: 1)
        catomics_bool_init(storage, value)
    }

    deinit { storage.deallocate() }

    /// The current value (relaxed).
    @inlinable public func load() -> Bool { catomics_bool_load_relaxed(storage) }

    /// Sets the value (relaxed).
    @inlinable public func store(_ value: Bool) { catomics_bool_store_relaxed(storage, value) }

    /// Sets the flag if it is false; true for exactly one caller until it is reset. `ordered` makes the
    /// claim acquire-release, so what the winner reads afterwards is what the setter wrote before.
    @inlinable public func claim(ordered: Bool = false) -> Bool { catomics_bool_claim(storage, ordered) }
}
