/// Lowercase, zero-padded hex, shared by ids and hashes.
package enum HexEncoding {
    private static let digits = Array("0123456789abcdef".utf8)

    /// 16 lowercase hex characters for `value`, zero-padded.
    package static func hex(_ value: UInt64) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 {
            bytes[index] = digits[Int((value >> (60 - 4 * UInt64(index))) & 0xF)]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Two lowercase hex characters per byte.
    package static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
