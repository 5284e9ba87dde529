import TelemetryCore
import TelemetryMetrics
import TelemetrySpans

/// Bounds the caller's thread applies before an item is queued, so no caller-supplied name is held
/// whole: each check is a length read plus, when over, a cut of a bounded prefix.
package enum IntakeLimits {
    /// Event names and error types as exported (OpenTelemetry's instrument-name limit, applied to span
    /// names too); longer ones are cut on a character boundary and counted `truncated`.
    package static let maxNameBytes = 255
    /// How much of an over-long event name or error type is kept until the engine cuts it to
    /// `maxNameBytes` (and counts the cut): enough to exceed it, bounded whatever the caller passes.
    package static let maxHeldNameBytes = 1024
    /// Metric names longer than this are invalid (OpenTelemetry: 255) and dropped on the caller's thread.
    package static let maxMetricNameBytes = MetricAggregator.maxInstrumentNameBytes
    /// Metric units longer than this are invalid (OpenTelemetry: 63) and dropped on the caller's thread.
    package static let maxUnitBytes = MetricAggregator.maxUnitBytes

    /// `name` itself, or its first `maxHeldNameBytes` when longer.
    @inline(__always)
    package static func held(_ name: String) -> String {
        name.utf8.count <= maxHeldNameBytes ? name : Truncation.prefix(name, maxUTF8Bytes: maxHeldNameBytes)
    }
}

/// An item as the caller hands it over: raw, unsanitised, not yet converted. Converting and cleaning
/// happen on the engine, so the caller's thread pays only for an enqueue.
///
/// Every case carries the time of the call: items from one task can land in different intake shards
/// when the task hops threads at an `await`, so the engine never relies on intake order (a gauge keeps
/// the value with the latest time, not the last one drained).
package enum IntakeItem: Sendable {
    case event(name: String, attributes: TelemetryAttributes, time: Timestamp, duration: Duration)
    case error(ErrorDescription, attributes: TelemetryAttributes, time: Timestamp)
    /// A Swift error, described on the engine so the caller does not pay for reflection.
    case thrown(any Error, stackTrace: String?, attributes: TelemetryAttributes, time: Timestamp)
    case metric(name: String, kind: InstrumentKind, unit: String, value: Double, attributes: TelemetryAttributes, time: Timestamp)
    case log(message: String, severity: Severity, attributes: TelemetryAttributes, time: Timestamp)

    /// When the item was tracked.
    package var time: Timestamp {
        switch self {
        case .event(_, _, let time, _), .error(_, _, let time), .thrown(_, _, _, let time), .metric(_, _, _, _, _, let time),
            .log(_, _, _, let time):
            time
        }
    }

    /// What the item keeps alive on the heap when queued as a value (`IntakeRecord`'s object records),
    /// estimated in constant time per attribute: the enum, the attribute array, and strings too long to
    /// be stored inline (> 15 UTF-8 bytes). The same function charges the budget on enqueue and refunds
    /// it after conversion, so it must be deterministic.
    @inline(__always)
    package var estimatedBytes: Int {
        switch self {
        case .event(let name, let attributes, _, _):
            return 80 + Self.bytes(of: name) + Self.bytes(of: attributes)
        case .error(let failure, let attributes, _):
            return 80 + Self.bytes(of: failure.type) + Self.bytes(of: failure.message)
                + (failure.stackTrace.map(Self.bytes(of:)) ?? 0) + Self.bytes(of: attributes)
        case .thrown(_, let stackTrace, let attributes, _):
            return 160 + (stackTrace.map(Self.bytes(of:)) ?? 0) + Self.bytes(of: attributes)
        case .metric(let name, _, let unit, _, let attributes, _):
            return 80 + Self.bytes(of: name) + Self.bytes(of: unit) + Self.bytes(of: attributes)
        case .log(let message, _, let attributes, _):
            return 80 + Self.bytes(of: message) + Self.bytes(of: attributes)
        }
    }

    @inline(__always)
    static func bytes(of text: String) -> Int {
        let count = text.utf8.count
        return count > 15 ? 32 + count : 0
    }

    @inline(__always)
    static func bytes(of attributes: TelemetryAttributes) -> Int {
        guard !attributes.isEmpty else { return 0 }
        var total = 48
        for (key, value) in attributes {
            total += 40 + bytes(of: key)
            switch value {
            case .string(let text): total += bytes(of: text)
            case .array(let values): total += 32 + values.count * 32
            default: break
            }
        }
        return total
    }
}
