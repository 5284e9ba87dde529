import Testing
import TelemetryBatching
import TelemetryCore

@Suite struct BatchPolicyTests {
    let t0 = Timestamp(nanosecondsSinceEpoch: 1_000)
    let policy = BatchPolicy(maxItems: 3, maxBytes: 100, maxAge: .seconds(5))

    @Test func dueOnCount() {
        var batch = PendingBatch<Int>()
        #expect(!batch.isDue(under: policy, at: t0))
        for value in 0..<2 { batch.append(value, bytes: 1, at: t0) }
        #expect(!batch.isDue(under: policy, at: t0))
        batch.append(2, bytes: 1, at: t0)
        #expect(batch.isDue(under: policy, at: t0))
    }

    @Test func dueOnBytes() {
        var batch = PendingBatch<Int>()
        batch.append(1, bytes: 100, at: t0)
        #expect(batch.isDue(under: policy, at: t0))
    }

    @Test func dueOnAgeOfOldest() {
        var batch = PendingBatch<Int>()
        batch.append(1, bytes: 1, at: t0)
        #expect(!batch.isDue(under: policy, at: t0.advanced(by: .seconds(4))))
        #expect(batch.isDue(under: policy, at: t0.advanced(by: .seconds(5))))
    }

    @Test func takeLeavesTheRest() {
        var batch = PendingBatch<Int>()
        for value in 0..<5 { batch.append(value, bytes: 10, at: t0) }
        #expect(batch.take(upTo: 3, at: t0) == [0, 1, 2])
        #expect(Array(batch.items) == [3, 4])
        #expect(batch.estimatedBytes == 20)
        #expect(batch.take(upTo: 3, at: t0) == [3, 4])
        #expect(batch.isEmpty && batch.oldest == nil)
    }

    @Test func sanitisesNonsense() {
        let odd = BatchPolicy(maxItems: -4, maxBytes: 0, maxAge: .zero)
        #expect(odd.maxItems == 1 && odd.maxBytes == 1 && odd.maxAge > .zero)
    }
}
