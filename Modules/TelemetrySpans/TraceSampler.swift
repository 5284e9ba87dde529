public import TelemetryCore

/// Decides which event spans are kept: OpenTelemetry's `TraceIdRatioBased` sampler, with an optional
/// ratio per event name. The decision is a pure function of the trace id, so every component that sees
/// the same trace id decides the same way, and over many ids the kept fraction converges on the ratio.
///
/// Errors are not sampled (the caller never asks for them) and metrics are aggregated, not sampled.
public struct TraceSampler: Sendable, Hashable {
    /// The fraction of event spans kept, 0…1 (1 keeps everything, the default).
    package var ratio: Double
    /// Ratios for particular event names, overriding `ratio` (names after the privacy rules).
    package var eventRatios: [String: Double]

    /// A sampler keeping `ratio` of all events, and `eventRatios[name]` of the events named `name`.
    /// Ratios are clamped to 0…1; NaN counts as 1 (keep).
    public init(ratio: Double = 1, eventRatios: [String: Double] = [:]) {
        self.ratio = Self.clamped(ratio)
        self.eventRatios = eventRatios.mapValues(Self.clamped)
    }

    /// Whether this sampler keeps everything (no decision to make per event).
    package var keepsEverything: Bool { ratio >= 1 && eventRatios.values.allSatisfy { $0 >= 1 } }

    /// Whether the span with `traceID` for the event `name` is kept: its trace id's low 64 bits, read as
    /// an unsigned number, fall below `ratio × 2⁶⁴`.
    public func keeps(_ traceID: TraceID, eventName name: String) -> Bool {
        let ratio = eventRatios[name] ?? self.ratio
        if ratio >= 1 { return true }
        if ratio <= 0 { return false }
        let bound = ratio * 0x1p64
        guard bound < 0x1p64 else { return true }
        return traceID.low < UInt64(bound)
    }

    private static func clamped(_ value: Double) -> Double {
        value.isNaN ? 1 : min(1, max(0, value))
    }
}
