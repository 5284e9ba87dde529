import Testing
import TelemetryCore
@testable import TelemetryPipeline

@Suite struct OutboxTests {
    private func prepared(bytes: Int, items: Int = 1) -> SpoolEntry {
        SpoolEntry(
            signal: .traces, itemCount: items, format: "test", contentType: "application/x-protobuf", contentEncoding: nil,
            body: [UInt8](repeating: 7, count: bytes), createdAt: Timestamp(nanosecondsSinceEpoch: 0)
        )
    }

    @Test func countsBytesOfRecordsAndPreparedRequests() {
        var outbox = Outbox(budget: 10_000)
        outbox.append(signal: .traces, itemCount: 2, payload: .spans([]), payloadBytes: 300, prepared: prepared(bytes: 100))
        #expect(outbox.bytes == 400)
        outbox.update(at: 0) { $0.payload = nil }
        #expect(outbox.bytes == 100, "dropping the records keeps only the compact request")
        outbox.remove(at: 0)
        #expect(outbox.bytes == 0 && outbox.isEmpty)
    }

    @Test func evictsTheOldestWaitingEntriesButNeverOnesInFlight() {
        var outbox = Outbox(budget: 250)
        for _ in 0..<4 { outbox.append(signal: .traces, itemCount: 1, payload: nil, payloadBytes: 0, prepared: prepared(bytes: 100)) }
        outbox.update(at: 0) { $0.isInFlight = true }
        let evicted = outbox.evictOverBudget()
        #expect(evicted.map(\.id) == [2, 3], "entry 1 is in flight; 2 and 3 are the oldest waiting")
        #expect(outbox.entries.map(\.id) == [1, 4])
        #expect(outbox.bytes == 200)
    }

    @Test func splitHalvesKeepTheirBatchsPlaceForFlushes() {
        var outbox = Outbox(budget: 10_000)
        let first = outbox.append(signal: .traces, itemCount: 4, payload: .spans([]), payloadBytes: 40, prepared: nil)
        let watermark = outbox.nextEntryID
        outbox.append(signal: .traces, itemCount: 1, payload: .spans([]), payloadBytes: 10, prepared: nil)
        outbox.replace(at: outbox.index(of: first)!, with: [(.spans([]), 20), (.spans([]), 20)])
        #expect(outbox.entries.count == 3)
        #expect(outbox.entries.map(\.cutOrder).filter { $0 < watermark }.count == 2, "both halves are older than the flush")
        #expect(outbox.holdsEntries(before: watermark))
        #expect(outbox.bytes == 50)
    }

    @Test func spooledEntriesAreOlderThanEveryFlush() {
        var outbox = Outbox(budget: 10_000)
        outbox.append(signal: .traces, itemCount: 1, payload: nil, payloadBytes: 0, prepared: prepared(bytes: 10))
        let watermark = outbox.nextEntryID
        outbox.append(signal: .traces, itemCount: 1, payload: nil, payloadBytes: 0, prepared: prepared(bytes: 10), fromSpool: true)
        outbox.remove(at: 0)
        #expect(outbox.holdsEntries(before: watermark), "a flush waits for what the spool handed out")
    }
}
