import TelemetryCore

/// Typed answers about recorded metrics, in the spirit of swift-metrics' `TestMetrics`: what a test
/// means ("the counter reached 5") rather than how OTLP carries it (points, temporalities, batches).
extension RecordingExporter {
    /// What a histogram recorded: measurements, their sum and extremes.
    public struct RecordedHistogram: Sendable, Hashable {
        /// How many measurements.
        public var count: UInt64
        /// Their sum.
        public var sum: Double
        /// The smallest, when known.
        public var min: Double?
        /// The largest, when known.
        public var max: Double?

        /// A summary of `count` measurements adding up to `sum`, between `min` and `max`.
        public init(count: UInt64, sum: Double, min: Double?, max: Double?) {
            (self.count, self.sum, self.min, self.max) = (count, sum, min, max)
        }
    }

    /// The total a counter (or up-down counter) reached for the series with `attributes` (every series
    /// when nil): delta points add up, a cumulative series counts its latest point. Nil when no point
    /// of that metric was recorded.
    public func sum(_ name: String, attributes: TelemetryAttributes? = nil) -> Double? {
        var total: Double?
        var latest: [TelemetryAttributes: NumberDataPoint] = [:]
        for metric in metrics where metric.name == name {
            guard case .sum(let data) = metric.data else { continue }
            for point in data.points where attributes == nil || point.attributes == attributes {
                if data.temporality == .delta {
                    total = (total ?? 0) + point.value.doubleValue
                } else if latest[point.attributes].map({ $0.time <= point.time }) ?? true {
                    latest[point.attributes] = point
                }
            }
        }
        guard !latest.isEmpty else { return total }
        return (total ?? 0) + latest.values.reduce(0) { $0 + $1.value.doubleValue }
    }

    /// The latest value of a gauge series (`attributes`, or any series when nil); nil when none was recorded.
    public func gauge(_ name: String, attributes: TelemetryAttributes? = nil) -> Double? {
        var latest: NumberDataPoint?
        for metric in metrics where metric.name == name {
            guard case .gauge(let points) = metric.data else { continue }
            for point in points where attributes == nil || point.attributes == attributes {
                if latest.map({ $0.time <= point.time }) ?? true { latest = point }
            }
        }
        return latest?.value.doubleValue
    }

    /// What a histogram recorded for the series with `attributes` (every series when nil), merged over
    /// delta intervals or taken from the latest cumulative point; nil when none was recorded.
    public func histogram(_ name: String, attributes: TelemetryAttributes? = nil) -> RecordedHistogram? {
        var merged: RecordedHistogram?
        var latest: [TelemetryAttributes: HistogramDataPoint] = [:]
        func add(_ point: HistogramDataPoint) {
            var next = merged ?? RecordedHistogram(count: 0, sum: 0, min: nil, max: nil)
            next.count += point.count
            next.sum += point.sum
            next.min = [next.min, point.min].compactMap { $0 }.min()
            next.max = [next.max, point.max].compactMap { $0 }.max()
            merged = next
        }
        for metric in metrics where metric.name == name {
            guard case .histogram(let data) = metric.data else { continue }
            for point in data.points where attributes == nil || point.attributes == attributes {
                if data.temporality == .delta {
                    add(point)
                } else if latest[point.attributes].map({ $0.time <= point.time }) ?? true {
                    latest[point.attributes] = point
                }
            }
        }
        latest.values.forEach(add)
        return merged
    }
}
