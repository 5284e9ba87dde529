import TelemetryCore

/// The four instrument kinds the SDK aggregates.
public enum InstrumentKind: String, Sendable, Hashable, CaseIterable {
    /// Monotonic sum: increments must be ≥ 0. Exported as a monotonic OTLP Sum.
    case counter
    /// Sum that may go up and down. Exported as a non-monotonic OTLP Sum.
    case upDownCounter = "up_down_counter"
    /// Last recorded value per series. Exported as an OTLP Gauge.
    case gauge
    /// Distribution over explicit buckets with count, sum, min and max. Exported as an OTLP Histogram.
    case histogram
}

/// Default explicit bucket boundaries, from the OpenTelemetry SDK specification.
public let defaultHistogramBoundaries: [Double] = [
    0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
]

/// Why a measurement was not aggregated. The client counts each as a drop reason.
public enum MeasurementRejection: String, Sendable, Hashable, CaseIterable {
    /// NaN or ±infinity.
    case nonFiniteValue = "non_finite_value"
    /// A negative increment on a monotonic counter.
    case negativeCounterIncrement = "negative_counter_increment"
    /// The name is already used by an instrument of another kind or unit.
    case instrumentConflict = "instrument_conflict"
    /// The name is not an OpenTelemetry instrument name (empty, over 255 characters, or characters
    /// outside letters, digits, `_`, `.`, `-`, `/`, not starting with a letter).
    case invalidName = "invalid_name"
    /// The unit is not an OpenTelemetry unit: more than 63 characters, or characters outside printable ASCII.
    case invalidUnit = "invalid_unit"
    /// Too many distinct instruments; see `MetricAggregator.Limits`.
    case instrumentLimit = "instrument_limit"
}
