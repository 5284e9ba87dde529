import AutomagikTelemetryTestKit
import Testing
import TelemetryCore
import TelemetrySpans

@Suite struct TraceSamplerTests {
    /// Over 10⁵ random trace ids the kept fraction stays within four standard deviations of the ratio.
    @Test(arguments: [0.01, 0.25, 0.5, 0.9])
    func keptFractionConvergesOnTheRatio(ratio: Double) {
        let sampler = TraceSampler(ratio: ratio)
        let random = SeededRandomSource(seed: 42)
        let n = 100_000
        let kept = (0..<n).filter { _ in sampler.keeps(TraceID.random(using: random), eventName: "e") }.count
        let sigma = (Double(n) * ratio * (1 - ratio)).squareRoot()
        #expect(abs(Double(kept) - Double(n) * ratio) < 4 * sigma, "kept \(kept) of \(n) at ratio \(ratio)")
    }

    @Test func theDecisionDependsOnlyOnTheTraceID() {
        let sampler = TraceSampler(ratio: 0.5)
        let low = TraceID(high: 1, low: 1)
        let high = TraceID(high: 1, low: .max)
        #expect(sampler.keeps(low, eventName: "a") && sampler.keeps(low, eventName: "b"))
        #expect(!sampler.keeps(high, eventName: "a"))
        #expect(TraceSampler(ratio: 0.5).keeps(TraceID(high: 9, low: 1 << 62), eventName: "x"), "below half of 2^64")
        #expect(!TraceSampler(ratio: 0.5).keeps(TraceID(high: 9, low: 1 << 63), eventName: "x"), "at half of 2^64")
    }

    @Test func alwaysOnAlwaysOffAndNamedRatios() {
        let id = TraceID(high: 3, low: 1 << 40)
        #expect(TraceSampler().keepsEverything && TraceSampler().keeps(id, eventName: "x"))
        #expect(!TraceSampler(ratio: 0).keeps(TraceID(high: 0, low: 1), eventName: "x"))
        let named = TraceSampler(ratio: 1, eventRatios: ["noisy": 0])
        #expect(!named.keepsEverything)
        #expect(!named.keeps(id, eventName: "noisy") && named.keeps(id, eventName: "quiet"))
        #expect(TraceSampler(ratio: .nan).ratio == 1 && TraceSampler(ratio: 7).ratio == 1 && TraceSampler(ratio: -1).ratio == 0)
        // Near 1 the bound approaches 2^64 without overflowing UInt64.
        let almostAll = TraceSampler(ratio: 0.999_999_999_999_999_9)
        #expect(almostAll.keeps(TraceID(high: 0, low: .max - 4096), eventName: "x") && !almostAll.keeps(TraceID(high: 0, low: .max), eventName: "x"))
    }
}
