import TelemetryCore

/// In-process aggregation of measurements into one data point per series per collection interval.
///
/// A series is identified by (instrument name, unit, attribute set). Measurements are folded in as they
/// arrive; `collect(at:)` emits the interval's points and, for delta temporality, starts a new interval.
/// Pure and single-threaded by design: the SDK's background worker owns one aggregator, so no locking.
///
/// ```swift
/// var aggregator = MetricAggregator(startTime: now)
/// aggregator.record("http.requests", kind: .counter, value: 1, attributes: ["route": "/"])
/// let records = aggregator.collect(at: later)   // one Sum point: 1
/// ```
public struct MetricAggregator: Sendable {
    /// Memory bounds, by count and by bytes. Past `maxSeriesPerInstrument`, or once the attribute sets
    /// of all live series would exceed `maxSeriesBytes`, new attribute sets fold into one overflow
    /// series tagged `otel.metric.overflow=true`, as the OpenTelemetry specification prescribes.
    public struct Limits: Sendable, Hashable {
        /// Most distinct instrument names; further names are refused (`instrumentLimit`).
        public var maxInstruments: Int
        /// Most attribute sets per instrument; further ones fold into one overflow series.
        public var maxSeriesPerInstrument: Int
        /// Estimated bytes of attribute sets held across all series (16 MiB by default: 2,000 series of
        /// 128 attributes of 64 bytes each). With delta temporality the count restarts every interval.
        public var maxSeriesBytes: Int

        /// Creates limits; each must be at least 1.
        public init(maxInstruments: Int = 1000, maxSeriesPerInstrument: Int = 2000, maxSeriesBytes: Int = 16 << 20) {
            self.maxInstruments = max(1, maxInstruments)
            self.maxSeriesPerInstrument = max(1, maxSeriesPerInstrument)
            self.maxSeriesBytes = max(1, maxSeriesBytes)
        }
    }

    /// The attribute set of the overflow series.
    package static let overflowAttributes: TelemetryAttributes = ["otel.metric.overflow": .bool(true)]

    /// What each collected point covers: its interval (delta) or everything since its start (cumulative).
    package let temporality: AggregationTemporality
    /// Upper bounds of histogram buckets, ascending.
    package let histogramBoundaries: [Double]
    /// The bounds on instruments, series and series memory.
    package let limits: Limits

    private var instruments: [String: Instrument] = [:]
    private var intervalStart: Timestamp
    /// Estimated bytes of the attribute sets of all live series.
    private var seriesBytes = 0

    /// Creates an aggregator whose first interval starts at `startTime`.
    ///
    /// `histogramBoundaries` are sorted and de-duplicated; non-finite bounds are discarded.
    public init(
        temporality: AggregationTemporality = .delta,
        histogramBoundaries: [Double] = defaultHistogramBoundaries,
        limits: Limits = Limits(),
        startTime: Timestamp
    ) {
        self.temporality = temporality
        self.histogramBoundaries = Array(Set(histogramBoundaries.filter(\.isFinite))).sorted()
        self.limits = limits
        self.intervalStart = startTime
    }

    /// Whether anything was recorded since the last `collect`.
    private var measuredSinceCollection = false

    /// Number of live series across all instruments (for memory accounting and tests).
    package var seriesCount: Int { instruments.values.reduce(0) { $0 + $1.series.count } }

    /// Folds one measurement in, or says why it was rejected.
    ///
    /// `time` is when the measurement was taken. A gauge keeps the value with the latest `time` (ties:
    /// the later call), not the last one folded in: measurements from one task can reach the
    /// aggregator out of order when the task changes threads between calls. Without a time, arrival
    /// order decides.
    @discardableResult
    public mutating func record(
        _ name: String,
        kind: InstrumentKind,
        unit: String = "",
        value: Double,
        attributes: TelemetryAttributes = [:],
        at time: Timestamp? = nil
    ) -> MeasurementRejection? {
        guard Self.isValidInstrumentName(name) else { return .invalidName }
        guard Self.isValidUnit(unit) else { return .invalidUnit }
        guard value.isFinite else { return .nonFiniteValue }
        if kind == .counter && value < 0 { return .negativeCounterIncrement }

        var instrument: Instrument
        if let existing = instruments[name] {
            guard existing.kind == kind, existing.unit == unit else { return .instrumentConflict }
            instrument = existing
        } else {
            guard instruments.count < limits.maxInstruments else { return .instrumentLimit }
            instrument = Instrument(kind: kind, unit: unit)
        }
        // Take the entry out so the dictionary's storage is uniquely referenced while mutating.
        instruments[name] = nil
        var key = attributes
        if instrument.series[key] == nil {
            let bytes = Self.estimatedBytes(of: key)
            if instrument.series.count >= limits.maxSeriesPerInstrument || seriesBytes + bytes > limits.maxSeriesBytes {
                key = Self.overflowAttributes
                if instrument.series[key] == nil { seriesBytes += Self.estimatedBytes(of: key) }
            } else {
                seriesBytes += bytes
            }
        }
        var series =
            instrument.series[key]
            ?? Series(
                start: intervalStart, bucketCount: histogramBoundaries.count + 1
            )
        series.record(value, kind: kind, boundaries: histogramBoundaries, at: time)
        instrument.series[key] = series
        instruments[name] = instrument
        measuredSinceCollection = true
        return nil
    }

    /// OpenTelemetry's longest instrument name, in bytes (names are ASCII).
    package static let maxInstrumentNameBytes = 255
    /// OpenTelemetry's longest unit, in bytes (units are ASCII).
    package static let maxUnitBytes = 63

    /// OpenTelemetry's unit syntax: at most 63 printable ASCII characters (empty means none).
    package static func isValidUnit(_ unit: String) -> Bool {
        let utf8 = unit.utf8
        return utf8.count <= maxUnitBytes && utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
    }

    /// OpenTelemetry's instrument-name syntax: a letter, then letters, digits, `_`, `.`, `-` or `/`, at most
    /// 255 characters. Names are keys of the aggregator and go verbatim to every backend, so anything
    /// else — a megabyte of text, spaces, an e-mail address, a PEM block — is refused, not stored.
    package static func isValidInstrumentName(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first, utf8.count <= maxInstrumentNameBytes, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z")
        else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"):
                true
            default:
                false
            }
        }
    }

    /// Emits one record per instrument that has points for the interval ending at `time`, and starts
    /// the next interval.
    ///
    /// Delta: only series measured in the interval, start = interval start; state is reset.
    /// Cumulative: every sum and histogram series, start = series start; state is kept.
    /// Gauges: series measured in the interval, with their last value. Instruments are sorted by name.
    ///
    /// An interval without any measurement emits nothing, whatever the temporality: an idle app sends
    /// no metric requests, and a collection right after another (a flush, then shutdown) does not
    /// repeat cumulative points the receiver already has.
    public mutating func collect(at time: Timestamp) -> [MetricRecord] {
        guard measuredSinceCollection else {
            intervalStart = time
            return []
        }
        measuredSinceCollection = false
        var records: [MetricRecord] = []
        for name in instruments.keys.sorted() {
            guard var instrument = instruments[name] else { continue }
            if let record = instrument.snapshot(
                name: name, at: time, intervalStart: intervalStart, temporality: temporality,
                boundaries: histogramBoundaries
            ) {
                records.append(record)
            }
            instrument.reset(temporality: temporality)
            if instrument.series.isEmpty && temporality == .delta {
                instruments[name] = nil
            } else {
                instruments[name] = instrument
            }
        }
        intervalStart = time
        if temporality == .delta { seriesBytes = 0 }  // every series was removed above
        return records
    }

    /// A series' attribute set as held in memory, roughly: dictionary slot, key, value.
    static func estimatedBytes(of attributes: TelemetryAttributes) -> Int {
        var bytes = 64
        for (key, value) in attributes {
            bytes += 48 + key.utf8.count
            switch value {
            case .string(let text): bytes += text.utf8.count
            case .array(let values):
                bytes +=
                    32 * values.count
                    + values.reduce(0) { total, element in
                        if case .string(let text) = element { total + text.utf8.count } else { total }
                    }
            default: break
            }
        }
        return bytes
    }
}

extension MetricAggregator {
    fileprivate struct Instrument: Sendable {
        let kind: InstrumentKind
        let unit: String
        var series: [TelemetryAttributes: Series] = [:]

        func snapshot(
            name: String,
            at time: Timestamp,
            intervalStart: Timestamp,
            temporality: AggregationTemporality,
            boundaries: [Double]
        ) -> MetricRecord? {
            let included = series.filter { $0.value.measuredInInterval || (kind != .gauge && temporality == .cumulative) }
            // Stable order: by a rendering of the attribute set, so outputs are repeatable.
            let ordered = included.map { (key: $0.key, state: $0.value, order: SeriesOrder.key($0.key)) }.sorted { $0.order < $1.order }
            guard !ordered.isEmpty else { return nil }
            let start = { (state: Series) in temporality == .delta || kind == .gauge ? intervalStart : state.start }
            let data: MetricData
            switch kind {
            case .counter, .upDownCounter:
                let points = ordered.map { entry in
                    NumberDataPoint(attributes: entry.key, startTime: start(entry.state), time: time, value: .double(entry.state.sum))
                }
                data = .sum(SumData(points: points, temporality: temporality, isMonotonic: kind == .counter))
            case .gauge:
                let points = ordered.map { entry in
                    NumberDataPoint(attributes: entry.key, startTime: start(entry.state), time: time, value: .double(entry.state.last))
                }
                data = .gauge(points)
            case .histogram:
                let points = ordered.map { entry in
                    let state = entry.state
                    return HistogramDataPoint(
                        attributes: entry.key, startTime: start(state), time: time, count: state.count, sum: state.sum,
                        bucketCounts: state.buckets, explicitBounds: boundaries,
                        min: state.count > 0 ? state.min : nil, max: state.count > 0 ? state.max : nil
                    )
                }
                data = .histogram(HistogramData(points: points, temporality: temporality))
            }
            return MetricRecord(name: name, unit: unit, data: data)
        }

        mutating func reset(temporality: AggregationTemporality) {
            if temporality == .delta {
                series.removeAll(keepingCapacity: true)
            } else {
                for key in Array(series.keys) { series[key]?.measuredInInterval = false }
            }
        }
    }

    fileprivate struct Series: Sendable {
        let start: Timestamp
        var measuredInInterval = false
        var count: UInt64 = 0
        var sum: Double = 0
        var last: Double = 0
        /// When `last` was measured, if known.
        var lastTime: Timestamp?
        var min: Double = .infinity
        var max: Double = -.infinity
        var buckets: [UInt64]

        init(start: Timestamp, bucketCount: Int) {
            self.start = start
            self.buckets = []
            self.bucketCapacity = bucketCount
        }

        private let bucketCapacity: Int

        mutating func record(_ value: Double, kind: InstrumentKind, boundaries: [Double], at time: Timestamp?) {
            measuredInInterval = true
            count &+= 1
            switch kind {
            case .counter, .upDownCounter:
                sum += value
            case .gauge:
                if let time, let lastTime, time < lastTime { break }
                last = value
                lastTime = time ?? lastTime
            case .histogram:
                sum += value
                min = Swift.min(min, value)
                max = Swift.max(max, value)
                if buckets.isEmpty { buckets = [UInt64](repeating: 0, count: bucketCapacity) }
                buckets[Self.bucketIndex(of: value, boundaries: boundaries)] &+= 1
            }
        }

        /// Index of the first bound ≥ value (upper bounds are inclusive, per OTLP), by binary search.
        static func bucketIndex(of value: Double, boundaries: [Double]) -> Int {
            var low = 0
            var high = boundaries.count
            while low < high {
                let middle = (low + high) / 2
                if boundaries[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    fileprivate enum SeriesOrder {
        static func key(_ attributes: TelemetryAttributes) -> String {
            attributes.map { "\($0.0)=\($0.1.displayString)" }.sorted().joined(separator: "\u{1}")
        }
    }
}
