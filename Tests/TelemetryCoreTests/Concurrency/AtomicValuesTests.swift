import Foundation
import Testing
@_spi(Internals) import TelemetryCore

@Suite struct AtomicValuesTests {
    @Test func concurrentAddsAreNeverLost() async {
        let counter = AtomicInteger(5)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for _ in 0..<10_000 { counter.add(worker % 2 == 0 ? 3 : -1) }
                }
            }
        }
        #expect(counter.load() == 5 + 4 * 30_000 - 4 * 10_000)
    }

    @Test func exactlyOneClaimWinsAndTheFlagReadsBack() async {
        let flag = AtomicFlag(false)
        let winners = AtomicInteger(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask { if flag.claim(ordered: true) { winners.add(1) } }
            }
        }
        #expect(winners.load() == 1 && flag.load())
        flag.store(false)
        #expect(!flag.load() && flag.claim() && !flag.claim())
    }
}
