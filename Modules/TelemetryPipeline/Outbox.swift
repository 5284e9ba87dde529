import TelemetryCore

/// Batches cut and waiting to be delivered, oldest first, bounded in bytes.
///
/// A batch is kept as the exporter's prepared request (encoded and, for OTLP, compressed: ~45 bytes per
/// event instead of ~1 KB as records) whenever the exporter can prepare one, so the same budget holds
/// twenty times more waiting telemetry. The records themselves are kept only while a batch is on its
/// first attempt, so a receiver's "413 too large" can still split it. Pure bookkeeping: the engine
/// decides what to send and when.
package struct Outbox: Sendable {
    package struct Entry: Sendable {
        package let id: UInt64
        /// Position in cut order, for flush watermarks: the halves of a split keep their batch's.
        package let cutOrder: UInt64
        package let signal: TelemetrySignal
        package let itemCount: Int
        /// The records, while the first attempt may still need to split them; nil afterwards.
        package var payload: ExportPayload?
        /// Estimated memory of `payload`.
        package var payloadBytes: Int
        /// The request as the exporter will send it; nil for exporters that cannot prepare ahead.
        package var prepared: SpoolEntry?
        /// Where the prepared request is persisted, when a spool is configured.
        package var spoolHandle: SpoolHandle?
        /// Claimed from the spool (an earlier run's or an earlier failure's), not cut by this engine.
        package var fromSpool = false
        package var isInFlight = false
        package var attempts = 0

        /// Memory this entry holds.
        package var bytes: Int { (payload == nil ? 0 : payloadBytes) + (prepared?.body.count ?? 0) }
    }

    /// Most bytes held; past it the oldest waiting entries are evicted.
    package let budget: Int
    package private(set) var entries: [Entry] = []
    package private(set) var bytes = 0
    /// Entries whose request is in flight now.
    package private(set) var inFlightCount = 0
    private var nextID: UInt64 = 1

    /// Creates an empty outbox holding at most `budget` bytes.
    package init(budget: Int) {
        self.budget = max(1, budget)
    }

    package var isEmpty: Bool { entries.isEmpty }
    /// Entries waiting for a request slot.
    package var waitingCount: Int { entries.count - inFlightCount }
    /// The id the next appended entry will get: entries below it existed before.
    package var nextEntryID: UInt64 { nextID }

    /// Adds a batch at the back; returns its id.
    @discardableResult
    package mutating func append(
        signal: TelemetrySignal, itemCount: Int, payload: ExportPayload?, payloadBytes: Int,
        prepared: SpoolEntry?, spoolHandle: SpoolHandle? = nil, fromSpool: Bool = false
    ) -> UInt64 {
        let id = nextID
        nextID += 1
        // Batches from the spool are older than anything cut in this run: every flush waits for them.
        let entry = Entry(
            id: id, cutOrder: fromSpool ? 0 : id, signal: signal, itemCount: itemCount, payload: payload, payloadBytes: max(0, payloadBytes),
            prepared: prepared, spoolHandle: spoolHandle, fromSpool: fromSpool
        )
        entries.append(entry)
        bytes += entry.bytes
        return id
    }

    /// The oldest entry that is not in flight, if any.
    package var firstWaitingIndex: Int? { entries.firstIndex { !$0.isInFlight } }

    package func index(of id: UInt64) -> Int? { entries.firstIndex { $0.id == id } }

    /// Changes entry `index` through `body`, keeping the byte and in-flight counts right.
    package mutating func update(at index: Int, _ body: (inout Entry) -> Void) {
        bytes -= entries[index].bytes
        inFlightCount -= entries[index].isInFlight ? 1 : 0
        body(&entries[index])
        bytes += entries[index].bytes
        inFlightCount += entries[index].isInFlight ? 1 : 0
    }

    /// Removes and returns entry `index`.
    @discardableResult
    package mutating func remove(at index: Int) -> Entry {
        let entry = entries.remove(at: index)
        bytes -= entry.bytes
        inFlightCount -= entry.isInFlight ? 1 : 0
        return entry
    }

    /// Replaces entry `index` by `parts` (the halves of a split), in its place.
    package mutating func replace(at index: Int, with parts: [(payload: ExportPayload, bytes: Int)]) {
        let old = remove(at: index)
        var fresh: [Entry] = []
        for part in parts {
            fresh.append(
                Entry(
                    id: nextID, cutOrder: old.cutOrder, signal: old.signal, itemCount: part.payload.itemCount, payload: part.payload,
                    payloadBytes: part.bytes, prepared: nil
                ))
            nextID += 1
            bytes += fresh[fresh.count - 1].bytes
        }
        entries.insert(contentsOf: fresh, at: index)
    }

    /// Evicts the oldest entries that are not in flight until the budget holds (or only entries in
    /// flight remain); returns them so the caller can count or persist them.
    package mutating func evictOverBudget() -> [Entry] {
        var evicted: [Entry] = []
        while bytes > budget, let index = firstWaitingIndex {
            evicted.append(remove(at: index))
        }
        return evicted
    }

    /// Whether any entry with an id below `watermark` is still here.
    package func holdsEntries(before watermark: UInt64) -> Bool {
        entries.contains { $0.cutOrder < watermark }
    }

    /// Whether any entry with an id below `watermark` is in flight.
    package func hasInFlight(before watermark: UInt64) -> Bool {
        entries.contains { $0.cutOrder < watermark && $0.isInFlight }
    }
}
