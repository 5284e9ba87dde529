/// A typed attribute value, as OpenTelemetry's `AnyValue` restricted to what telemetry needs.
///
/// Values are written as literals, so call sites stay short:
///
/// ```swift
/// telemetry.trackEvent("export.finished", attributes: [
///     "format": "csv", "rows": 1_204, "ratio": 0.93, "cached": true, "tags": ["a", "b"],
/// ])
/// ```
///
/// Arrays may hold any mix of values, nested arrays included; encoders preserve the order.
///
/// Equality is an equivalence relation even for doubles: NaN equals NaN here (unlike `Double`), so a
/// value can always be found again as (part of) a dictionary key — metric series are keyed by
/// attribute sets.
public enum AttributeValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case array([AttributeValue])
}

extension AttributeValue {
    /// Equal values of the same kind; doubles compare bit for bit, so NaN equals NaN and hashing stays consistent.
    public static func == (lhs: AttributeValue, rhs: AttributeValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b || (a.isNaN && b.isNaN)
        case (.bool(let a), .bool(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        default: false
        }
    }

    /// Hashes the kind and the value, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let value):
            hasher.combine(0 as UInt8)
            hasher.combine(value)
        case .int(let value):
            hasher.combine(1 as UInt8)
            hasher.combine(value)
        case .double(let value):
            hasher.combine(2 as UInt8)
            hasher.combine(value.isNaN ? Double.nan.bitPattern : value.bitPattern == (-0.0).bitPattern ? 0 : value.bitPattern)
        case .bool(let value):
            hasher.combine(3 as UInt8)
            hasher.combine(value)
        case .array(let values):
            hasher.combine(4 as UInt8)
            hasher.combine(values)
        }
    }
}

extension AttributeValue: ExpressibleByStringLiteral {
    /// `.string(value)`.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension AttributeValue: ExpressibleByStringInterpolation {}

extension AttributeValue: ExpressibleByIntegerLiteral {
    /// `.int(value)`.
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension AttributeValue: ExpressibleByFloatLiteral {
    /// `.double(value)`.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension AttributeValue: ExpressibleByBooleanLiteral {
    /// `.bool(value)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension AttributeValue: ExpressibleByArrayLiteral {
    /// `.array(elements)`.
    public init(arrayLiteral elements: AttributeValue...) { self = .array(elements) }
}

extension AttributeValue {
    /// Wraps a platform `Int`; every Swift platform's `Int` fits in 64 bits.
    public static func int(_ value: Int) -> AttributeValue { .int(Int64(value)) }

    /// The string form used by line-oriented outputs (console, CLI); arrays render as `[a, b]`.
    public var displayString: String {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .array(let values): "[" + values.map(\.displayString).joined(separator: ", ") + "]"
        }
    }

    /// Parses a command-line style `value` into the most specific type: bool, integer, double, else string.
    ///
    /// `"true"`/`"false"` become `.bool`, `"42"` `.int`, `"0.5"` `.double`; anything else stays a string.
    /// Non-finite spellings such as `"nan"` stay strings so no NaN is created from text.
    public init(inferring text: String) {
        if text == "true" {
            self = .bool(true)
            return
        }
        if text == "false" {
            self = .bool(false)
            return
        }
        if let integer = Int64(text) {
            self = .int(integer)
            return
        }
        if let number = Double(text), number.isFinite, text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            self = .double(number)
            return
        }
        self = .string(text)
    }
}
