/// A 16-byte OpenTelemetry trace id. The all-zero id is invalid and never produced by `TraceID.random`.
public struct TraceID: Sendable, Hashable {
    /// Most significant eight bytes, big-endian order on the wire.
    public let high: UInt64
    /// Least significant eight bytes.
    public let low: UInt64

    /// Creates an id from its two halves; `high == 0 && low == 0` is accepted but `isValid` is false.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Draws a valid (non-zero) id from `source`.
    package static func random(using source: some RandomSource) -> TraceID {
        while true {
            let id = TraceID(high: source.nextUInt64(), low: source.nextUInt64())
            if id.isValid { return id }
        }
    }

    /// False for the all-zero id, which OpenTelemetry reserves for "no trace".
    public var isValid: Bool { high != 0 || low != 0 }

    /// The 16 bytes in wire (big-endian) order.
    package var bytes: [UInt8] { high.bigEndianBytes + low.bigEndianBytes }

    /// 32 lowercase hex characters, as OTLP/JSON and W3C trace context require.
    public var hexString: String { HexEncoding.hex(high) + HexEncoding.hex(low) }

    /// Parses exactly 32 hex characters; returns nil for anything else.
    public init?(hexString: some StringProtocol) {
        guard hexString.utf8.count == 32,
            let high = UInt64(hexString.prefix(16), radix: 16),
            let low = UInt64(hexString.suffix(16), radix: 16)
        else { return nil }
        self.init(high: high, low: low)
    }
}

/// An 8-byte OpenTelemetry span id. Zero is invalid and never produced by `SpanID.random`.
public struct SpanID: Sendable, Hashable {
    /// The id as an integer; its big-endian bytes are the wire form.
    public let rawValue: UInt64

    /// Wraps `rawValue`; zero is accepted but `isValid` is false.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Draws a valid (non-zero) id from `source`.
    package static func random(using source: some RandomSource) -> SpanID {
        while true {
            let value = source.nextUInt64()
            if value != 0 { return SpanID(value) }
        }
    }

    /// False for zero, which OpenTelemetry reserves for "no span".
    public var isValid: Bool { rawValue != 0 }

    /// The 8 bytes in wire (big-endian) order.
    package var bytes: [UInt8] { rawValue.bigEndianBytes }

    /// 16 lowercase hex characters.
    public var hexString: String { HexEncoding.hex(rawValue) }

    /// Parses exactly 16 hex characters; returns nil for anything else.
    public init?(hexString: some StringProtocol) {
        guard hexString.utf8.count == 16, let value = UInt64(hexString, radix: 16) else { return nil }
        self.init(value)
    }
}

extension UInt64 {
    @usableFromInline
    var bigEndianBytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * UInt64($0))) }
    }
}
