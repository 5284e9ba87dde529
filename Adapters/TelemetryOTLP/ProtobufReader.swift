/// Reads protobuf wire format field by field: enough to decode OTLP responses (`partial_success`)
/// and, in tests, to check what the encoder wrote. Never traps on malformed input — it returns nil.
package struct ProtobufReader: Sendable {
    /// One decoded field.
    package enum Value: Sendable, Hashable {
        case varint(UInt64)
        case fixed64(UInt64)
        case lengthDelimited([UInt8])
        case fixed32(UInt32)
    }

    private let bytes: [UInt8]
    private var position = 0

    /// Creates a reader over `bytes`.
    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next field as (number, value); nil at the end or when the input is malformed.
    package mutating func next() -> (field: UInt32, value: Value)? {
        guard position < bytes.count, let key = readVarint() else { return nil }
        let field = UInt32(truncatingIfNeeded: key >> 3)
        guard field > 0 else { return nil }
        switch key & 7 {
        case 0:
            return readVarint().map { (field, .varint($0)) }
        case 1:
            guard position + 8 <= bytes.count else { return nil }
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
            position += 8
            return (field, .fixed64(value))
        case 2:
            guard let length = readVarint(), length <= UInt64(bytes.count - position) else { return nil }
            let slice = Array(bytes[position..<(position + Int(length))])
            position += Int(length)
            return (field, .lengthDelimited(slice))
        case 5:
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for index in 0..<4 { value |= UInt32(bytes[position + index]) << (8 * UInt32(index)) }
            position += 4
            return (field, .fixed32(value))
        default:
            return nil
        }
    }

    /// All fields of the message, or nil if any part is malformed.
    package static func fields(of bytes: [UInt8]) -> [(field: UInt32, value: Value)]? {
        var reader = ProtobufReader(bytes)
        var fields: [(field: UInt32, value: Value)] = []
        while reader.position < bytes.count {
            guard let field = reader.next() else { return nil }
            fields.append(field)
        }
        return fields
    }

    private mutating func readVarint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 64 {
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }
}
