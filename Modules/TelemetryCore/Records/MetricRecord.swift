/// One metric stream's data points for one collection interval, as produced by the aggregator.
public struct MetricRecord: Sendable, Hashable {
    /// The instrument's name.
    public var name: String
    /// The instrument's description (empty when none was given).
    public var description: String
    /// UCUM unit, e.g. `ms`, `By`, `1`; empty when unknown.
    public var unit: String
    /// The points, by kind.
    public var data: MetricData

    /// Creates a record.
    public init(name: String, description: String = "", unit: String = "", data: MetricData) {
        self.name = name
        self.description = description
        self.unit = unit
        self.data = data
    }

    /// Number of data points, the unit in which export counts and drops metrics.
    public var pointCount: Int {
        switch data {
        case .sum(let sum): sum.points.count
        case .gauge(let points): points.count
        case .histogram(let histogram): histogram.points.count
        }
    }
}

/// The kind-specific payload of a metric, mirroring OTLP's `Metric.data` one-of.
public enum MetricData: Sendable, Hashable {
    /// Counters (monotonic) and up-down counters (not monotonic).
    case sum(SumData)
    /// Last value per series.
    case gauge([NumberDataPoint])
    /// Explicit-bucket histograms.
    case histogram(HistogramData)
}

/// OTLP `AggregationTemporality`, with its protocol numbers.
public enum AggregationTemporality: Int32, Sendable, Hashable, CaseIterable {
    /// Each point covers only its own interval; the SDK's default.
    case delta = 1
    /// Each point covers everything since the series started.
    case cumulative = 2

    /// `DELTA` or `CUMULATIVE`.
    public var name: String { self == .delta ? "DELTA" : "CUMULATIVE" }
}

/// A sum's points and how to read them.
public struct SumData: Sendable, Hashable {
    /// One point per series (attribute set).
    public var points: [NumberDataPoint]
    /// Whether each point covers its interval (delta) or everything since its start (cumulative).
    public var temporality: AggregationTemporality
    /// True for counters, false for up-down counters.
    public var isMonotonic: Bool

    /// Creates sum data.
    public init(points: [NumberDataPoint], temporality: AggregationTemporality, isMonotonic: Bool) {
        self.points = points
        self.temporality = temporality
        self.isMonotonic = isMonotonic
    }
}

/// A numeric point: integer or floating point, as OTLP's `as_int` / `as_double`.
public enum NumberValue: Sendable, Hashable {
    case int(Int64)
    case double(Double)

    /// The value as a double (integers above 2^53 lose precision).
    public var doubleValue: Double {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        }
    }
}

/// One series' value in a sum or gauge.
public struct NumberDataPoint: Sendable, Hashable {
    /// The series' attributes.
    public var attributes: TelemetryAttributes
    /// Start of the interval the value covers (series start for cumulative sums).
    public var startTime: Timestamp
    /// End of the interval: the collection time.
    public var time: Timestamp
    /// The value, integer or floating point.
    public var value: NumberValue

    /// Creates a point.
    public init(attributes: TelemetryAttributes, startTime: Timestamp, time: Timestamp, value: NumberValue) {
        self.attributes = attributes
        self.startTime = startTime
        self.time = time
        self.value = value
    }
}

/// A histogram's points and their temporality.
public struct HistogramData: Sendable, Hashable {
    /// One point per series (attribute set).
    public var points: [HistogramDataPoint]
    /// Whether each point covers its interval (delta) or everything since its start (cumulative).
    public var temporality: AggregationTemporality

    /// Creates histogram data.
    public init(points: [HistogramDataPoint], temporality: AggregationTemporality) {
        self.points = points
        self.temporality = temporality
    }
}

/// One series of an explicit-bucket histogram.
///
/// `bucketCounts.count == explicitBounds.count + 1`; bucket `i` counts values in
/// `(explicitBounds[i-1], explicitBounds[i]]`, the last one everything above the last bound.
public struct HistogramDataPoint: Sendable, Hashable {
    /// The series' attributes.
    public var attributes: TelemetryAttributes
    /// Start of the interval the point covers.
    public var startTime: Timestamp
    /// End of the interval the point covers.
    public var time: Timestamp
    /// How many measurements.
    public var count: UInt64
    /// Their sum.
    public var sum: Double
    /// Measurements per bucket; one more entry than `explicitBounds`.
    public var bucketCounts: [UInt64]
    /// Upper bounds of the buckets, ascending.
    public var explicitBounds: [Double]
    /// Smallest recorded value in the interval; nil when `count == 0`.
    public var min: Double?
    /// Largest recorded value in the interval; nil when `count == 0`.
    public var max: Double?

    /// Creates a point.
    public init(
        attributes: TelemetryAttributes,
        startTime: Timestamp,
        time: Timestamp,
        count: UInt64,
        sum: Double,
        bucketCounts: [UInt64],
        explicitBounds: [Double],
        min: Double?,
        max: Double?
    ) {
        self.attributes = attributes
        self.startTime = startTime
        self.time = time
        self.count = count
        self.sum = sum
        self.bucketCounts = bucketCounts
        self.explicitBounds = explicitBounds
        self.min = min
        self.max = max
    }
}
