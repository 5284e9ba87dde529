import Testing
import TelemetryCore
import TelemetryMetrics

@Suite struct MetricAggregatorTests {
    let t0 = Timestamp(nanosecondsSinceEpoch: 1_000_000_000)
    var t1: Timestamp { t0.advanced(by: .seconds(5)) }
    var t2: Timestamp { t0.advanced(by: .seconds(10)) }

    private func sum(_ records: [MetricRecord], _ name: String) -> SumData? {
        guard case .sum(let data)? = records.first(where: { $0.name == name })?.data else { return nil }
        return data
    }

    @Test func counterDeltaSumsPerIntervalAndResets() throws {
        var aggregator = MetricAggregator(startTime: t0)
        aggregator.record("requests", kind: .counter, value: 2, attributes: ["route": "/a"])
        aggregator.record("requests", kind: .counter, value: 3, attributes: ["route": "/a"])
        aggregator.record("requests", kind: .counter, value: 1, attributes: ["route": "/b"])
        let first = try #require(sum(aggregator.collect(at: t1), "requests"))
        #expect(first.isMonotonic)
        #expect(first.temporality == .delta)
        #expect(first.points.map(\.value) == [.double(5), .double(1)])
        #expect(first.points.map(\.attributes) == [["route": "/a"], ["route": "/b"]])
        #expect(first.points.allSatisfy { $0.startTime == t0 && $0.time == t1 })

        aggregator.record("requests", kind: .counter, value: 4, attributes: ["route": "/a"])
        let second = try #require(sum(aggregator.collect(at: t2), "requests"))
        #expect(second.points.count == 1)
        #expect(second.points[0].value == .double(4))
        #expect(second.points[0].startTime == t1)
        #expect(aggregator.collect(at: t2.advanced(by: .seconds(1))).isEmpty)
    }

    @Test func cumulativeKeepsRunningTotalsAndSeriesStart() throws {
        var aggregator = MetricAggregator(temporality: .cumulative, startTime: t0)
        aggregator.record("bytes", kind: .counter, value: 10)
        _ = aggregator.collect(at: t1)
        aggregator.record("bytes", kind: .counter, value: 5)
        let data = try #require(sum(aggregator.collect(at: t2), "bytes"))
        #expect(data.temporality == .cumulative)
        #expect(data.points[0].value == .double(15))
        #expect(data.points[0].startTime == t0)
        // An interval without measurements sends nothing (an idle app is silent; shutdown right after a
        // flush repeats nothing)...
        #expect(aggregator.collect(at: t2.advanced(by: .seconds(5))).isEmpty)
        // ...and once anything is measured, every cumulative series is reported again, unmeasured ones too.
        aggregator.record("other", kind: .counter, value: 1)
        let later = aggregator.collect(at: t2.advanced(by: .seconds(10)))
        #expect(sum(later, "bytes")?.points[0].value == .double(15))
        #expect(sum(later, "bytes")?.points[0].startTime == t0)
        #expect(sum(later, "other")?.points[0].value == .double(1))
    }

    @Test func rejectsInvalidMeasurements() {
        var aggregator = MetricAggregator(startTime: t0)
        #expect(aggregator.record("c", kind: .counter, value: -1) == .negativeCounterIncrement)
        #expect(aggregator.record("g", kind: .gauge, value: .nan) == .nonFiniteValue)
        #expect(aggregator.record("g", kind: .gauge, value: .infinity) == .nonFiniteValue)
        #expect(aggregator.record("", kind: .gauge, value: 1) == .invalidName)
        #expect(aggregator.record("x", kind: .gauge, value: 1) == nil)
        #expect(aggregator.record("x", kind: .counter, value: 1) == .instrumentConflict)
        #expect(aggregator.record("x", kind: .gauge, unit: "ms", value: 1) == .instrumentConflict)
        #expect(aggregator.record("u", kind: .upDownCounter, value: -1) == nil)
    }

    @Test func upDownCounterIsNotMonotonic() throws {
        var aggregator = MetricAggregator(startTime: t0)
        aggregator.record("sessions", kind: .upDownCounter, value: 3)
        aggregator.record("sessions", kind: .upDownCounter, value: -5)
        let data = try #require(sum(aggregator.collect(at: t1), "sessions"))
        #expect(!data.isMonotonic)
        #expect(data.points[0].value == .double(-2))
    }

    @Test func gaugeKeepsLastValue() throws {
        var aggregator = MetricAggregator(startTime: t0)
        aggregator.record("depth", kind: .gauge, unit: "{item}", value: 3)
        aggregator.record("depth", kind: .gauge, unit: "{item}", value: 9)
        let record = try #require(aggregator.collect(at: t1).first)
        #expect(record.unit == "{item}")
        guard case .gauge(let points) = record.data else {
            Issue.record("not a gauge")
            return
        }
        #expect(points.map(\.value) == [.double(9)])
    }

    @Test func gaugeKeepsTheLatestMeasurementNotTheLastToArrive() throws {
        // A task that hops threads between calls can have its measurements folded in out of order.
        var aggregator = MetricAggregator(startTime: t0)
        aggregator.record("depth", kind: .gauge, value: 7, at: t0.advanced(by: .milliseconds(2)))
        aggregator.record("depth", kind: .gauge, value: 5, at: t0.advanced(by: .milliseconds(1)))
        aggregator.record("depth", kind: .gauge, value: 8, at: t0.advanced(by: .milliseconds(2)))
        let record = try #require(aggregator.collect(at: t1).first)
        guard case .gauge(let points) = record.data else {
            Issue.record("not a gauge")
            return
        }
        #expect(points.map(\.value) == [.double(8)], "latest time wins; on a tie, the later call")
    }

    @Test func instrumentNamesFollowTheOpenTelemetrySyntax() {
        var aggregator = MetricAggregator(startTime: t0)
        for valid in ["http.server.duration", "queue_depth", "a", "cache-hits/s", String(repeating: "n", count: 255)] {
            #expect(aggregator.record(valid, kind: .counter, value: 1) == nil, "\(valid.prefix(20))")
        }
        for invalid in [
            "", "1st", "_private", "login.failed.maria.k@example.org", "with space", "line\nbreak", "-----BEGIN",
            "é", String(repeating: "n", count: 256), String(repeating: "x", count: 1_000_000),
        ] {
            #expect(aggregator.record(invalid, kind: .counter, value: 1) == .invalidName, "\(invalid.prefix(20))")
        }
        #expect(aggregator.seriesCount == 5, "refused names are not stored")
    }

    @Test func seriesAreBoundedInBytesToo() {
        var aggregator = MetricAggregator(limits: .init(maxSeriesBytes: 64 * 1024), startTime: t0)
        let big = String(repeating: "v", count: 4096)
        for index in 0..<100 {
            aggregator.record("wide", kind: .counter, value: 1, attributes: ["k": .string(big + "\(index)")])
        }
        #expect(aggregator.seriesCount < 20, "about 64 KiB of 4 KiB attribute sets, then one overflow series")
        guard case .sum(let data)? = aggregator.collect(at: t0.advanced(by: .seconds(1))).first?.data else {
            Issue.record("not a sum")
            return
        }
        #expect(data.points.contains { $0.attributes == MetricAggregator.overflowAttributes })
        #expect(data.points.reduce(0.0) { $0 + $1.value.doubleValue } == 100, "nothing is lost, only folded")
        aggregator.record("wide", kind: .counter, value: 1, attributes: ["k": .string(big + "fresh")])
        #expect(aggregator.seriesCount == 1, "delta temporality starts counting again each interval")
    }

    @Test func unitsFollowTheOpenTelemetrySyntax() {
        var aggregator = MetricAggregator(startTime: t0)
        for (index, valid) in ["", "ms", "{request}", "By/s", String(repeating: "u", count: 63)].enumerated() {
            #expect(aggregator.record("m\(index)", kind: .counter, unit: valid, value: 1) == nil)
        }
        for invalid in [String(repeating: "u", count: 64), "µs", "ms\n", "\u{0}"] {
            #expect(aggregator.record("other", kind: .counter, unit: invalid, value: 1) == .invalidUnit)
        }
        #expect(aggregator.seriesCount == 5)
    }

    @Test func histogramBucketsAreUpperInclusive() throws {
        var aggregator = MetricAggregator(histogramBoundaries: [10, 0, 5, 5, .nan], startTime: t0)
        #expect(aggregator.histogramBoundaries == [0, 5, 10])
        for value in [-1.0, 0, 3, 5, 7, 10, 11, 100] {
            aggregator.record("latency", kind: .histogram, unit: "ms", value: value)
        }
        let record = try #require(aggregator.collect(at: t1).first)
        guard case .histogram(let data) = record.data, let point = data.points.first else {
            Issue.record("not a histogram")
            return
        }
        #expect(point.explicitBounds == [0, 5, 10])
        #expect(point.bucketCounts == [2, 2, 2, 2])
        #expect(point.bucketCounts.count == point.explicitBounds.count + 1)
        #expect(point.count == 8)
        #expect(point.sum == 135)
        #expect(point.min == -1 && point.max == 100)
        #expect(data.temporality == .delta)
    }

    @Test func defaultBoundariesAreOpenTelemetrys() {
        #expect(defaultHistogramBoundaries == [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000])
    }

    @Test func seriesBeyondTheLimitFoldIntoOverflow() throws {
        var aggregator = MetricAggregator(limits: .init(maxSeriesPerInstrument: 2), startTime: t0)
        for index in 0..<5 {
            aggregator.record("hits", kind: .counter, value: 1, attributes: ["user": .int(index)])
        }
        #expect(aggregator.seriesCount == 3)
        let data = try #require(sum(aggregator.collect(at: t1), "hits"))
        let overflow = try #require(data.points.first { $0.attributes == MetricAggregator.overflowAttributes })
        #expect(overflow.value == .double(3))
    }

    @Test func instrumentLimitIsEnforced() {
        var aggregator = MetricAggregator(limits: .init(maxInstruments: 1), startTime: t0)
        #expect(aggregator.record("a", kind: .gauge, value: 1) == nil)
        #expect(aggregator.record("b", kind: .gauge, value: 1) == .instrumentLimit)
    }
}

@Suite struct MetricAggregatorHostileTests {
    @Test func nanInAttributesDoesNotBreakCollection() {
        var aggregator = MetricAggregator(startTime: Timestamp(nanosecondsSinceEpoch: 1))
        for _ in 0..<3 { aggregator.record("m", kind: .counter, value: 1, attributes: ["weird": .double(.nan)]) }
        let records = aggregator.collect(at: Timestamp(nanosecondsSinceEpoch: 2))
        guard case .sum(let sum)? = records.first?.data else {
            Issue.record("no sum")
            return
        }
        #expect(sum.points.count == 1 && sum.points[0].value == .double(3))
    }
}
