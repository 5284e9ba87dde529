/// Length limits that never split a character.
package enum Truncation {
    /// The longest prefix of `text` whose UTF-8 encoding fits in `maxUTF8Bytes`, cut on a
    /// `Character` (grapheme) boundary so no scalar or emoji sequence is broken.
    package static func prefix(_ text: String, maxUTF8Bytes: Int) -> String {
        guard maxUTF8Bytes > 0 else { return "" }
        if text.utf8.count <= maxUTF8Bytes { return text }
        var end = text.startIndex
        var used = 0
        for index in text.indices {
            let next = text.index(after: index)
            let size = text.utf8.distance(from: index, to: next)
            if used + size > maxUTF8Bytes { break }
            used += size
            end = next
        }
        return String(text[..<end])
    }
}
