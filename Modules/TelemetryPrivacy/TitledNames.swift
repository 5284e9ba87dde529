/// A person named with a title in text: `Mr. Smith`, `Mrs Jane Roe`, `Dr. Ana Lima` → the title stays,
/// the name becomes `<redacted:personal>` (counted `personal_detail`). Without a title a capitalised
/// pair is as often a product or a place as a person, so only the title makes it a name.
enum TitledNames {
    private static let titles: [StaticString] = ["Mrs", "Mr", "Ms", "Miss", "Mx", "Dr", "Prof"]

    /// Whether a title starts a word somewhere: one pass, no copy, for the scanner's pre-check.
    static func mayHoldOne(_ utf8: String.UTF8View) -> Bool {
        var previous: UInt8 = 0x20
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte == UInt8(ascii: "M") || byte == UInt8(ascii: "D") || byte == UInt8(ascii: "P"), !ByteClass.isAlphanumeric(previous),
                next != utf8.endIndex,
                utf8[next] == UInt8(ascii: "r") || utf8[next] == UInt8(ascii: "s") || utf8[next] == UInt8(ascii: "x")
                    || utf8[next] == UInt8(ascii: "i")
            {
                return true
            }
            previous = byte
            index = next
        }
        return false
    }

    static func matches(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            guard ByteClass.isUpper(bytes[index]), index == 0 || !ByteClass.isAlphanumeric(bytes[index - 1]),
                let nameStart = afterTitle(bytes, at: index), let nameEnd = NameWords.ranges(in: bytes, from: nameStart).last?.upperBound
            else {
                index += 1
                continue
            }
            matches.append(Match(nameStart..<nameEnd, "<redacted:personal>", .personalDetail))
            index = nameEnd
        }
        return matches
    }

    /// Where the name starts after a title at `index` (`Mr. `, `Dr `), or nil.
    private static func afterTitle(_ bytes: [UInt8], at index: Int) -> Int? {
        for title in titles where ByteClass.hasPrefix(bytes, at: index, title) {
            var cursor = index + title.utf8CodeUnitCount
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") { cursor += 1 }
            guard cursor + 1 < bytes.count, bytes[cursor] == 0x20, ByteClass.isUpper(bytes[cursor + 1]) else { return nil }
            return cursor + 1
        }
        return nil
    }
}
