/// Appends protobuf wire-format fields straight into a byte buffer.
///
/// Nested messages are written in place: `message(field) { … }` reserves one byte for the length,
/// writes the body, then widens the length prefix if the body turned out to be 128 bytes or more —
/// so no intermediate buffers are built. Default values (0, empty, false) are skipped by the callers,
/// as proto3 requires nothing of them.
package struct ProtobufWriter: Sendable {
    /// Wire types of the protobuf encoding.
    package enum WireType: UInt8, Sendable {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    /// The bytes written so far.
    package var bytes: [UInt8]

    /// Creates a writer with `capacity` bytes reserved.
    package init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inlinable
    package mutating func varint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    @inlinable
    package mutating func tag(_ field: UInt32, _ wireType: WireType) {
        varint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    /// An `int64`/`uint64`/`int32`/enum/`bool` field as a varint (negative numbers take ten bytes, per spec).
    package mutating func varintField(_ field: UInt32, _ value: UInt64) {
        tag(field, .varint)
        varint(value)
    }

    /// A `fixed64` field (timestamps, counts).
    package mutating func fixed64Field(_ field: UInt32, _ value: UInt64) {
        tag(field, .fixed64)
        fixed64(value)
    }

    /// A `double` field.
    package mutating func doubleField(_ field: UInt32, _ value: Double) {
        fixed64Field(field, value.bitPattern)
    }

    @inlinable
    package mutating func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `string` field.
    package mutating func stringField(_ field: UInt32, _ value: String) {
        tag(field, .lengthDelimited)
        var value = value
        value.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A `bytes` field.
    package mutating func bytesField(_ field: UInt32, _ value: some Collection<UInt8>) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// An embedded message field whose body `body` writes.
    package mutating func message(_ field: UInt32, _ body: (inout ProtobufWriter) -> Void) {
        tag(field, .lengthDelimited)
        let lengthPosition = bytes.count
        bytes.append(0)
        let start = bytes.count
        body(&self)
        let length = bytes.count - start
        if length < 0x80 {
            bytes[lengthPosition] = UInt8(length)
            return
        }
        // The one-byte placeholder is too small: widen it in place by shifting the body right.
        var prefixSize = 1
        var remaining = length >> 7
        while remaining > 0 {
            prefixSize += 1
            remaining >>= 7
        }
        let extra = prefixSize - 1
        bytes.append(contentsOf: repeatElement(0, count: extra))
        bytes.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            (base + start + extra).update(from: base + start, count: length)
            var value = UInt64(length)
            var position = lengthPosition
            while value >= 0x80 {
                base[position] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                position += 1
            }
            base[position] = UInt8(value)
        }
    }

    /// A `bytes` field holding the big-endian bytes of the given words (trace and span ids) — no
    /// intermediate array.
    package mutating func bigEndianBytesField(_ field: UInt32, _ words: UInt64...) {
        tag(field, .lengthDelimited)
        varint(UInt64(words.count * 8))
        for word in words {
            withUnsafeBytes(of: word.bigEndian) { bytes.append(contentsOf: $0) }
        }
    }

    /// A packed `repeated fixed64` field.
    package mutating func packedFixed64Field(_ field: UInt32, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        tag(field, .lengthDelimited)
        varint(UInt64(values.count * 8))
        for value in values { fixed64(value) }
    }

    /// A packed `repeated double` field.
    package mutating func packedDoubleField(_ field: UInt32, _ values: [Double]) {
        guard !values.isEmpty else { return }
        tag(field, .lengthDelimited)
        varint(UInt64(values.count * 8))
        for value in values { fixed64(value.bitPattern) }
    }
}
