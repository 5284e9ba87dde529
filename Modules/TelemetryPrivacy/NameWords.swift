/// The capitalised words a person's name is written with (`Jane`, `Mary-Ann`, `O'Neil`, `José`): shared
/// by the rules that find names after a title and under a `name:` key.
enum NameWords {
    /// Up to `limit` capitalised words from `start`, one space apart: a capital, then small letters (or
    /// bytes above 0x7F), with a hyphen or apostrophe between letters joining (a capital may follow
    /// it). Stops before the first word that is not one.
    static func ranges(in bytes: [UInt8], from start: Int, limit: Int = 3) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var cursor = start
        while words.count < limit, cursor < bytes.count, ByteClass.isUpper(bytes[cursor]) {
            var end = cursor + 1
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'"), end + 1 < bytes.count, ByteClass.isLetter(bytes[end + 1]) {
                    end += 2
                    continue
                }
                guard (ByteClass.isLetter(byte) && !ByteClass.isUpper(byte)) || byte >= 0x80 else { break }
                end += 1
            }
            guard end - cursor >= 2, end == bytes.count || !ByteClass.isAlphanumeric(bytes[end]) else { break }
            words.append(cursor..<end)
            guard end + 1 < bytes.count, bytes[end] == 0x20, ByteClass.isUpper(bytes[end + 1]) else { break }
            cursor = end + 1
        }
        return words
    }
}
