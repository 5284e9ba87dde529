#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a `pthread_mutex_t`: the one way to share mutable state across threads in this SDK.
///
/// Why not `Synchronization.Mutex`: on Linux its lock and unlock are invisible to ThreadSanitizer,
/// which then reports every protected access as a race, and CI runs the suite under TSan. A pthread
/// mutex is understood by TSan and costs the same uncontended (~20 ns).
///
/// ```swift
/// let counter = LockedBox(0)
/// counter.withLock { $0 += 1 }
/// ```
///
/// Public, not `package`, for speed: a `package` generic is not specialised across modules even when
/// `@inlinable`, and every `trackEvent` takes this lock from another module (callgrind, `make bench`:
/// 1,561 instructions per call public, 1,693 as `package`).
@_spi(Internals) public final class LockedBox<Value>: @unchecked Sendable {
    // @unchecked Sendable is sound: `value` is only ever read or written inside `withLock`, which holds
    // `mutex` for the whole access; the mutex itself is heap-allocated once and never moved.
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    /// Wraps `value`.
    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Keep `body` short: never await, block or call
    /// back into code that might take the same lock.
    @inlinable
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
