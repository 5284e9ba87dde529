/// Random (version 4) UUIDs in their canonical text form, drawn from a `RandomSource`.
package enum RandomUUID {
    /// A new UUID v4 string such as `3b241101-e2bb-4255-8caf-4136c566a962`.
    package static func make(using source: some RandomSource) -> String {
        var bytes = source.bytes(count: 16)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = HexEncoding.hex(bytes)
        let characters = Array(hex)
        return String(characters[0..<8]) + "-" + String(characters[8..<12]) + "-" + String(characters[12..<16]) + "-"
            + String(characters[16..<20]) + "-" + String(characters[20..<32])
    }

    /// Whether `text` is a canonical UUID (8-4-4-4-12 hex digits).
    package static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
