/// A fixed block of memory holding intake records back to back (`IntakeRecord`), plus the few items
/// that are kept as Swift values (`objects`). Owned by one side at a time: a shard of the intake, under
/// the shard's lock, until the engine drains it; then the engine alone, which hands it back to the
/// intake's pool once it has decoded every record.
///
/// Why bytes and not the callers' values: a queued value keeps the caller's allocations alive until
/// the engine frees them from another thread, and glibc's `free` of another thread's memory takes that
/// thread's arena lock — the lock the caller's next `malloc` needs. Measured on a 100 k burst
/// (`make bench`, `perf record -e sched:sched_switch`): the calling thread slept 24–79 times on
/// `__lll_lock_wait_private` (malloc's arena lock), worst call 3.5–4 ms. Copied into a slab, the
/// caller's own values die on the caller's thread (its malloc cache reuses them for the next call) and
/// an event takes ~110 B instead of ~340 B.
package final class IntakeSlab: @unchecked Sendable {
    // @unchecked Sendable is sound because a slab has exactly one owner at a time and ownership moves
    // only through a lock: a shard's `LockedBox` while it is being filled, the shard's swap in
    // `IntakeQueue.drain()` to the engine (a single task, never shared), and the pool's `LockedBox`
    // when it is recycled. No two threads ever touch one slab without one of those hand-offs between.

    /// Bytes per slab: one allocation per ~600 benchmark events, below glibc's mmap threshold (128 KiB)
    /// so recycled slabs stay mapped, and more than the largest compact record (`IntakeRecord.maxBytes`).
    package static let capacity = 64 * 1024

    // `@exclusivity(unchecked)`: the single-owner rule above already excludes overlapping access, and
    // the runtime's dynamic checks on these class properties were 13 % of a caller's instructions
    // (callgrind: `swift_beginAccess`, `AccessSet::insert`).
    let base: UnsafeMutableRawPointer
    /// Bytes written.
    @exclusivity(unchecked) package private(set) var used = 0
    /// Offset of the oldest record not yet taken (evicted or decoded).
    @exclusivity(unchecked) package private(set) var head = 0
    /// Records not yet taken.
    @exclusivity(unchecked) package private(set) var count = 0
    /// What the records not yet taken are charged against the intake's budget.
    @exclusivity(unchecked) package private(set) var charged = 0
    /// Items kept as values (errors, arrays, oversized items); a record holds the index. Taken ones are nil.
    @exclusivity(unchecked) var objects: [IntakeItem?] = []

    package init() {
        base = .allocate(byteCount: Self.capacity, alignment: 16)
    }

    deinit {
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// Bytes left for records.
    var room: Int { Self.capacity - used }

    /// Forgets every record, keeping the memory.
    func reset() {
        used = 0
        head = 0
        count = 0
        charged = 0
        objects.removeAll(keepingCapacity: true)
    }

    /// Appends `item` as one record of exactly `size` bytes (`IntakeRecord.compactSize`), or as an
    /// object record when `size` is nil. The caller checked the room (`IntakeRecord.footprint`).
    func append(_ item: IntakeItem, compactSize size: Int?, charge: Int) {
        var writer = IntakeRecord.Writer(base: base + used)
        if let size {
            IntakeRecord.encode(item, size: size, into: &writer)
        } else {
            writer.object(index: UInt32(objects.count))
            objects.append(item)
        }
        used += writer.written
        count += 1
        charged += charge
    }

    /// Removes the oldest record (engine side) and returns it decoded with its charge, or nil when none
    /// is left. The item is nil only if its value was already taken, which `evictOldest` never leaves
    /// behind (it advances past the record it empties).
    func takeOldest() -> (item: IntakeItem?, charge: Int)? {
        guard count > 0 else { return nil }
        let record = base + head
        let length = IntakeRecord.length(at: record)
        var reader = IntakeRecord.Reader(base: record)
        let item: IntakeItem?
        var charge = length
        switch IntakeRecord.decode(from: &reader) {
        case .item(let decoded):
            item = decoded
        case .object(let index):
            item = objects[index].take()
            charge += item?.estimatedBytes ?? 0
        }
        advance(by: length, charge: charge)
        return (item, charge)
    }

    /// Drops the oldest record without decoding it (the caller's side, evicting): returns its charge
    /// and the object it held, if any, so that it is released outside the shard's lock.
    func evictOldest() -> (charge: Int, object: IntakeItem?)? {
        guard count > 0 else { return nil }
        let length = IntakeRecord.length(at: base + head)
        var charge = length
        var object: IntakeItem?
        if let index = IntakeRecord.objectIndex(at: base + head) {
            object = objects[index].take()
            charge += object?.estimatedBytes ?? 0
        }
        advance(by: length, charge: charge)
        return (charge, object)
    }

    private func advance(by length: Int, charge: Int) {
        head += length
        count -= 1
        charged -= charge
        if count == 0 { reset() }
    }
}
