/// Appends JSON tokens straight into a byte buffer: no Codable, no intermediate objects.
///
/// The caller is responsible for structure (commas, nesting); this type gets the lexical details
/// right: string escaping, integer and double spelling, and proto3-JSON's non-finite doubles.
///
/// Public, not `package`, for the same reason as `LockedBox`: its `@inlinable` byte appends must inline
/// into the encoders of other modules (OTLP/JSON, ClickHouse rows).
@_spi(Internals) public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer with `capacity` bytes reserved.
    public init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `text` as is (structure the caller knows to be valid JSON).
    @inlinable
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends one byte as is.
    @inlinable
    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// A JSON string literal with RFC 8259 escaping (control characters as `\u00XX`).
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                appendEscaped(byte)
                runStart = index + 1
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }

    /// A JSON number for a signed integer.
    public mutating func integer(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            unsigned(value.magnitude)
        } else {
            unsigned(UInt64(value))
        }
    }

    /// A JSON number for an unsigned integer.
    public mutating func unsigned(_ value: UInt64) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var remaining = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while remaining > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// A 64-bit integer as a quoted decimal string, as proto3 JSON requires for (u)int64 and fixed64.
    public mutating func quotedUnsigned(_ value: UInt64) {
        bytes.append(UInt8(ascii: "\""))
        unsigned(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A quoted signed 64-bit integer.
    public mutating func quotedInteger(_ value: Int64) {
        bytes.append(UInt8(ascii: "\""))
        integer(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A double: the shortest round-tripping decimal, or proto3 JSON's `"NaN"`, `"Infinity"`, `"-Infinity"`.
    public mutating func double(_ value: Double) {
        if value.isNaN {
            raw("\"NaN\"")
            return
        }
        if value.isInfinite {
            value < 0 ? raw("\"-Infinity\"") : raw("\"Infinity\"")
            return
        }
        if value == value.rounded(.towardZero) && value.magnitude < 1e15 {
            if value == 0 && value.sign == .minus {
                raw("-0")
                return
            }
            integer(Int64(value))
            return
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    /// `"` + 16 lowercase hex digits per word + `"`: trace and span ids without building a String.
    public mutating func quotedHex(_ words: UInt64...) {
        bytes.append(UInt8(ascii: "\""))
        for word in words {
            var shift: UInt64 = 60
            while true {
                bytes.append(Self.hexDigits[Int((word >> shift) & 0xF)])
                if shift == 0 { break }
                shift -= 4
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `true` or `false`.
    public mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }
}
