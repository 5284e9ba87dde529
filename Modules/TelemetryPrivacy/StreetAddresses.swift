/// Street addresses written in text → `<redacted:address>`, counted `personal_detail`.
///
/// Two shapes, the ones English and German text use: a house number, one to four capitalised words and
/// a street type (`1600 Pennsylvania Avenue NW`, `221B Baker Street`, `42 W 5th St.`), and a street word
/// followed by its number (`Hauptstraße 5`, `Lindenstr. 12a`). Town and postcode after a comma stay:
/// alone they are coarse, and cutting them from arbitrary prose would cut far more than addresses.
/// Capitalisation is required, so `3 best ways` or `5 drives` are left alone.
enum StreetAddresses {
    /// Street types, compared with their first letter capitalised or all in capitals.
    private static let streetTypes: Set<String> = [
        "Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Ln", "Drive", "Dr", "Court", "Ct",
        "Place", "Pl", "Terrace", "Way", "Parkway", "Pkwy", "Highway", "Hwy", "Square", "Sq", "Circle", "Cir",
        "Crescent", "Close", "Trail", "Alley", "Plaza", "Gardens", "Grove", "Mews",
    ]
    private static let directions: Set<String> = ["N", "S", "E", "W", "NE", "NW", "SE", "SW"]
    /// Title-case prose that numbers things: `Chapter 3 The Road`, `Top 5 Best Way`, `Step 2 …`.
    private static let countingWords: Set<String> = [
        "chapter", "step", "part", "page", "level", "season", "episode", "volume", "vol", "book", "act", "scene",
        "round", "stage", "phase", "lesson", "unit", "section", "figure", "fig", "table", "item", "no", "number",
        "top", "version", "build", "release", "rank", "day", "week", "year", "room", "floor", "gate", "track",
    ]
    private static let leadingNonNames: Set<String> = ["The", "A", "An", "Best", "Top", "Easy", "Simple", "Great", "Quick"]
    private static let germanStreetEndings: [String] = ["straße", "strasse", "stra\\u00dfe", "str.", "gasse", "weg", "allee", "platz"]

    static func matches(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            guard index == 0 || !ByteClass.isAlphanumeric(bytes[index - 1]) else {
                index += 1
                continue
            }
            if let end = numberFirst(bytes, at: index) ?? streetFirst(bytes, at: index) {
                matches.append(Match(index..<end, "<redacted:address>", .personalDetail))
                index = end
            } else {
                index += 1
            }
        }
        return matches
    }

    /// `1600 Pennsylvania Avenue NW`: the number (1–5 digits, an optional letter), 1–4 capitalised words
    /// or ordinals, a street type (optionally with a period), an optional direction.
    private static func numberFirst(_ bytes: [UInt8], at start: Int) -> Int? {
        guard ByteClass.isDigit(bytes[start]), !followsCountingWord(bytes, start) else { return nil }
        var cursor = start
        while cursor < bytes.count, ByteClass.isDigit(bytes[cursor]), cursor - start < 6 { cursor += 1 }
        guard (1...5).contains(cursor - start) else { return nil }
        if cursor < bytes.count, ByteClass.isUpper(bytes[cursor]) { cursor += 1 }
        var words = 0
        while words < 5, cursor < bytes.count, bytes[cursor] == 0x20 {
            let wordStart = cursor + 1
            var wordEnd = wordStart
            while wordEnd < bytes.count, ByteClass.isAlphanumeric(bytes[wordEnd]) || bytes[wordEnd] >= 0x80 { wordEnd += 1 }
            guard wordEnd > wordStart else { return nil }
            let word = String(decoding: bytes[wordStart..<wordEnd], as: UTF8.self)
            if words > 0, isStreetType(word) {
                var end = wordEnd
                if end < bytes.count, bytes[end] == UInt8(ascii: ".") { end += 1 }
                guard end == bytes.count || !ByteClass.isAlphanumeric(bytes[end]) else { return nil }
                if end + 1 < bytes.count, bytes[end] == 0x20 {
                    var directionEnd = end + 1
                    while directionEnd < bytes.count, ByteClass.isUpper(bytes[directionEnd]) { directionEnd += 1 }
                    let direction = String(decoding: bytes[(end + 1)..<directionEnd], as: UTF8.self)
                    if directions.contains(direction), directionEnd == bytes.count || !ByteClass.isAlphanumeric(bytes[directionEnd]) {
                        end = directionEnd
                    }
                }
                return end
            }
            guard words < 4, isNameWord(word), words > 0 || !leadingNonNames.contains(word) else { return nil }
            words += 1
            cursor = wordEnd
        }
        return nil
    }

    /// `Hauptstraße 5`, `Lindenstr. 12a`: a capitalised word ending in a street word, then its number.
    private static func streetFirst(_ bytes: [UInt8], at start: Int) -> Int? {
        guard ByteClass.isUpper(bytes[start]) else { return nil }
        var wordEnd = start
        while wordEnd < bytes.count {
            if ByteClass.isLetter(bytes[wordEnd]) || bytes[wordEnd] >= 0x80 || bytes[wordEnd] == UInt8(ascii: "-") {
                wordEnd += 1
            } else if bytes[wordEnd] == UInt8(ascii: "\\"), wordEnd + 5 < bytes.count, bytes[wordEnd + 1] == UInt8(ascii: "u") {
                wordEnd += 6  // `Hauptstra\u00dfe`: JSON that escapes everything beyond ASCII
            } else {
                break
            }
        }
        if wordEnd < bytes.count, bytes[wordEnd] == UInt8(ascii: ".") { wordEnd += 1 }
        let word = String(decoding: bytes[start..<wordEnd], as: UTF8.self).lowercased()
        guard word.count > 4, germanStreetEndings.contains(where: { word.hasSuffix($0) && word != $0 }),
            wordEnd + 1 < bytes.count, bytes[wordEnd] == 0x20, ByteClass.isDigit(bytes[wordEnd + 1])
        else { return nil }
        var end = wordEnd + 1
        while end < bytes.count, ByteClass.isDigit(bytes[end]), end - wordEnd <= 4 { end += 1 }
        if end < bytes.count, ByteClass.isLetter(bytes[end]), end + 1 == bytes.count || !ByteClass.isAlphanumeric(bytes[end + 1]) {
            end += 1
        }
        guard end == bytes.count || !ByteClass.isAlphanumeric(bytes[end]) else { return nil }
        return end
    }

    /// `Chapter 3 …`, `No. 5 …`, `#42 …`: the number counts something, it is no house number.
    private static func followsCountingWord(_ bytes: [UInt8], _ start: Int) -> Bool {
        if start > 0, bytes[start - 1] == UInt8(ascii: "#") { return true }
        var wordEnd = start
        while wordEnd > 0, start - wordEnd < 2, bytes[wordEnd - 1] == 0x20 || bytes[wordEnd - 1] == UInt8(ascii: ".") { wordEnd -= 1 }
        guard wordEnd < start else { return false }
        var wordStart = wordEnd
        while wordStart > 0, ByteClass.isLetter(bytes[wordStart - 1]), wordEnd - wordStart < 12 { wordStart -= 1 }
        guard wordStart < wordEnd else { return false }
        return countingWords.contains(String(decoding: bytes[wordStart..<wordEnd].map { $0 | 0x20 }, as: UTF8.self))
    }

    private static func isStreetType(_ word: String) -> Bool {
        streetTypes.contains(word)
            || (word.count > 1 && word == word.uppercased() && streetTypes.contains(word.prefix(1) + word.dropFirst().lowercased()))
    }

    /// `Pennsylvania`, `Baker`, `W`, `5th`, `42nd`, `MAIN`: capitalised, or an ordinal.
    private static func isNameWord(_ word: String) -> Bool {
        guard let first = word.utf8.first else { return false }
        if ByteClass.isUpper(first) { return true }
        let digits = word.utf8.prefix { ByteClass.isDigit($0) }.count
        let suffix = word.dropFirst(digits).lowercased()
        return digits > 0 && ["st", "nd", "rd", "th"].contains(suffix)
    }
}
