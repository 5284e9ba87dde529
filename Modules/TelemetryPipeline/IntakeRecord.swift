import TelemetryCore
import TelemetryMetrics
import TelemetrySpans

/// The byte layout of one queued item inside an `IntakeSlab`, written on the caller's thread and read
/// back by the engine. Native byte order (the bytes never leave the process), unaligned.
///
/// ```
/// record   := length:u32 kind:u8 body          (length covers the whole record)
/// object   := index:u32                         (kind 0: the item kept as a value)
/// event    := time:u64 duration:Duration name:str attributes    (kind 1; Duration's own 16 bytes)
/// error    := time:u64 type:str message:str hasStack:u8 [stack:str] attributes   (kind 2)
/// metric   := time:u64 instrument:u8 value:f64 name:str unit:str attributes      (kind 3)
/// log      := time:u64 severity:u8 message:str attributes       (kind 4)
/// str      := n:u8 bytes            when n < 255, else 255 n:u32 bytes
/// attributes := count:u8 (key:str tag:u8 value)*   tag 0 str, 1 i64, 2 f64, 3 bool (u8)
/// ```
///
/// Only ordinary items are copied: at most `maxAttributes` scalar attributes and `maxBytes` in all.
/// Anything else — array values, huge strings, a thrown `Error` — is kept
/// as the value it is (`objects`), exactly as before, so what the engine sees is identical either way
/// and a hostile item costs the caller no more than an ordinary one.
package enum IntakeRecord {
    /// Largest record copied; bigger items are kept as values. Bounds the caller's copy to a few µs.
    package static let maxBytes = 16 * 1024
    /// Most attributes copied (OpenTelemetry's default limit is 128; typical events carry under ten).
    static let maxAttributes = 64
    /// Size of an object record.
    static let objectBytes = 9

    enum Kind: UInt8 {
        case object = 0, event, error, metric, log
    }

    enum Decoded {
        case item(IntakeItem)
        case object(index: Int)
    }

    // MARK: - Sizes (caller's thread, before the shard's lock)

    /// The exact size of `item` as a compact record, or nil when it is kept as a value.
    @inline(__always)
    package static func compactSize(of item: IntakeItem) -> Int? {
        var size = 5 + 8
        switch item {
        case .event(let name, let attributes, _, _):
            size += MemoryLayout<Duration>.size + stringSize(name)
            guard let attributeBytes = attributesSize(attributes) else { return nil }
            size += attributeBytes
        case .error(let failure, let attributes, _):
            size += stringSize(failure.type) + stringSize(failure.message) + 1 + (failure.stackTrace.map(stringSize) ?? 0)
            guard let attributeBytes = attributesSize(attributes) else { return nil }
            size += attributeBytes
        case .metric(let name, _, let unit, _, let attributes, _):
            size += 1 + 8 + stringSize(name) + stringSize(unit)
            guard let attributeBytes = attributesSize(attributes) else { return nil }
            size += attributeBytes
        case .log(let message, _, let attributes, _):
            size += 1 + stringSize(message)
            guard let attributeBytes = attributesSize(attributes) else { return nil }
            size += attributeBytes
        case .thrown:
            return nil
        }
        return size <= maxBytes ? size : nil
    }

    /// What `item` is charged against the intake's budget: its record, plus the value when kept as one.
    @inline(__always)
    package static func charge(for item: IntakeItem, compactSize: Int?) -> Int {
        compactSize ?? (objectBytes + item.estimatedBytes)
    }

    @inline(__always)
    static func stringSize(_ text: String) -> Int {
        let count = text.utf8.count
        return (count < 255 ? 1 : 5) + count
    }

    @inline(__always)
    static func attributesSize(_ attributes: TelemetryAttributes) -> Int? {
        guard attributes.count <= maxAttributes else { return nil }
        return attributes.withPairs { pairs -> Int? in
            var size = 1
            for index in pairs.indices {
                size += stringSize(pairs[index].0) + 1
                switch pairs[index].1 {
                case .string(let text): size += stringSize(text)
                case .int, .double: size += 8
                case .bool: size += 1
                case .array: return nil
                }
            }
            return size
        }
    }

    // MARK: - Writing (caller's thread, under the shard's lock)

    struct Writer {
        let base: UnsafeMutableRawPointer
        private(set) var written = 0

        init(base: UnsafeMutableRawPointer) {
            self.base = base
        }

        @inline(__always)
        mutating func put<T: FixedWidthInteger>(_ value: T) {
            base.storeBytes(of: value, toByteOffset: written, as: T.self)
            written += MemoryLayout<T>.size
        }

        /// Durations are copied whole (Int128 attoseconds): converting to nanoseconds cost ~370
        /// instructions per call in `Duration.components` (callgrind).
        @inline(__always)
        mutating func put(_ duration: Duration) {
            base.storeBytes(of: duration, toByteOffset: written, as: Duration.self)
            written += MemoryLayout<Duration>.size
        }

        @inline(__always)
        mutating func put(_ text: String) {
            let count = text.utf8.count
            if count < 255 {
                put(UInt8(count))
            } else {
                put(UInt8(255))
                put(UInt32(count))
            }
            let target = base + written
            let copied = text.utf8.withContiguousStorageIfAvailable { bytes in
                target.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                return true
            }
            if copied == nil {
                var offset = 0
                for byte in text.utf8 {
                    target.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
                    offset += 1
                }
            }
            written += count
        }

        @inline(__always)
        mutating func put(_ attributes: TelemetryAttributes) {
            put(UInt8(attributes.count))
            attributes.withPairs { pairs in
                for index in pairs.indices { put(pairs[index].0, pairs[index].1) }
            }
        }

        @inline(__always)
        mutating func put(_ key: String, _ value: AttributeValue) {
            put(key)
            switch value {
            case .string(let text):
                put(UInt8(0))
                put(text)
            case .int(let number):
                put(UInt8(1))
                put(number)
            case .double(let number):
                put(UInt8(2))
                put(number.bitPattern)
            case .bool(let flag):
                put(UInt8(3))
                put(UInt8(flag ? 1 : 0))
            case .array:
                preconditionFailure("arrays are kept as values: compactSize returns nil for them")
            }
        }

        mutating func object(index: UInt32) {
            put(UInt32(objectBytes))
            put(Kind.object.rawValue)
            put(index)
        }
    }

    /// Writes `item` as a compact record of `size` bytes (`compactSize(of:)`).
    @inline(__always)
    static func encode(_ item: IntakeItem, size: Int, into writer: inout Writer) {
        writer.put(UInt32(size))
        switch item {
        case .event(let name, let attributes, let time, let duration):
            writer.put(Kind.event.rawValue)
            writer.put(time.nanosecondsSinceEpoch)
            writer.put(duration)
            writer.put(name)
            writer.put(attributes)
        case .error(let failure, let attributes, let time):
            writer.put(Kind.error.rawValue)
            writer.put(time.nanosecondsSinceEpoch)
            writer.put(failure.type)
            writer.put(failure.message)
            writer.put(UInt8(failure.stackTrace == nil ? 0 : 1))
            if let stack = failure.stackTrace { writer.put(stack) }
            writer.put(attributes)
        case .metric(let name, let kind, let unit, let value, let attributes, let time):
            writer.put(Kind.metric.rawValue)
            writer.put(time.nanosecondsSinceEpoch)
            writer.put(instrumentCode(kind))
            writer.put(value.bitPattern)
            writer.put(name)
            writer.put(unit)
            writer.put(attributes)
        case .log(let message, let severity, let attributes, let time):
            writer.put(Kind.log.rawValue)
            writer.put(time.nanosecondsSinceEpoch)
            writer.put(UInt8(truncatingIfNeeded: severity.rawValue))
            writer.put(message)
            writer.put(attributes)
        case .thrown:
            preconditionFailure("thrown errors are kept as values: compactSize returns nil for them")
        }
    }

    static func instrumentCode(_ kind: InstrumentKind) -> UInt8 {
        switch kind {
        case .counter: 0
        case .upDownCounter: 1
        case .gauge: 2
        case .histogram: 3
        }
    }

    static func instrument(code: UInt8) -> InstrumentKind {
        switch code {
        case 0: .counter
        case 1: .upDownCounter
        case 2: .gauge
        default: .histogram
        }
    }

    // MARK: - Reading (engine side, or the caller evicting)

    /// The whole length of the record at `record`.
    @inline(__always)
    static func length(at record: UnsafeMutableRawPointer) -> Int {
        Int(record.loadUnaligned(as: UInt32.self))
    }

    /// The object index of the record at `record`, or nil when it is a compact record.
    @inline(__always)
    static func objectIndex(at record: UnsafeMutableRawPointer) -> Int? {
        guard record.loadUnaligned(fromByteOffset: 4, as: UInt8.self) == Kind.object.rawValue else { return nil }
        return Int(record.loadUnaligned(fromByteOffset: 5, as: UInt32.self))
    }

    struct Reader {
        let base: UnsafeMutableRawPointer
        private(set) var read = 0

        init(base: UnsafeMutableRawPointer) {
            self.base = base
        }

        @inline(__always)
        mutating func take<T: FixedWidthInteger>(_: T.Type = T.self) -> T {
            let value = base.loadUnaligned(fromByteOffset: read, as: T.self)
            read += MemoryLayout<T>.size
            return value
        }

        @inline(__always)
        mutating func string() -> String {
            var count = Int(take(UInt8.self))
            if count == 255 { count = Int(take(UInt32.self)) }
            let text = String(decoding: UnsafeRawBufferPointer(start: base + read, count: count), as: UTF8.self)
            read += count
            return text
        }

        mutating func attributes() -> TelemetryAttributes {
            let count = Int(take(UInt8.self))
            guard count > 0 else { return TelemetryAttributes() }
            var pairs: [(String, AttributeValue)] = []
            pairs.reserveCapacity(count)
            for _ in 0..<count {
                let key = string()
                switch take(UInt8.self) {
                case 0: pairs.append((key, .string(string())))
                case 1: pairs.append((key, .int(take(Int64.self))))
                case 2: pairs.append((key, .double(Double(bitPattern: take(UInt64.self)))))
                default: pairs.append((key, .bool(take(UInt8.self) != 0)))
                }
            }
            // The caller's attributes were already free of duplicate keys (the literal deduplicates).
            return TelemetryAttributes(uniquePairs: pairs)
        }

        mutating func duration() -> Duration {
            let value = base.loadUnaligned(fromByteOffset: read, as: Duration.self)
            read += MemoryLayout<Duration>.size
            return value
        }

        mutating func time() -> Timestamp {
            Timestamp(nanosecondsSinceEpoch: take(UInt64.self))
        }
    }

    /// Reads the record at the reader's position.
    static func decode(from reader: inout Reader) -> Decoded {
        _ = reader.take(UInt32.self)
        let kind = Kind(rawValue: reader.take(UInt8.self)) ?? .object
        switch kind {
        case .object:
            return .object(index: Int(reader.take(UInt32.self)))
        case .event:
            let time = reader.time()
            let duration = reader.duration()
            let name = reader.string()
            return .item(.event(name: name, attributes: reader.attributes(), time: time, duration: duration))
        case .error:
            let time = reader.time()
            let type = reader.string()
            let message = reader.string()
            let stack = reader.take(UInt8.self) == 1 ? reader.string() : nil
            let failure = ErrorDescription(type: type, message: message, stackTrace: stack)
            return .item(.error(failure, attributes: reader.attributes(), time: time))
        case .metric:
            let time = reader.time()
            let kind = instrument(code: reader.take(UInt8.self))
            let value = Double(bitPattern: reader.take(UInt64.self))
            let name = reader.string()
            let unit = reader.string()
            return .item(.metric(name: name, kind: kind, unit: unit, value: value, attributes: reader.attributes(), time: time))
        case .log:
            let time = reader.time()
            let severity = Severity(rawValue: Int32(reader.take(UInt8.self))) ?? .info
            let message = reader.string()
            return .item(.log(message: message, severity: severity, attributes: reader.attributes(), time: time))
        }
    }
}
