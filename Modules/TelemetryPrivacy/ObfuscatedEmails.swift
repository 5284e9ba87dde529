/// Email addresses written to dodge scrapers: `jane(at)example.com`, `jane [at] example [dot] com`,
/// `jane{at}example{dot}org`, `jane at example dot com`. Treated as emails (`emailTreatment`, counted
/// `email`).
///
/// The bracketed forms are unambiguous. The spelled-out form (` at `, ` dot `) is made of prose's own
/// words, so it needs both of them and a top-level domain from a short list (`meet at the gate dot 5`
/// stays); `look at this dot com` still reads as an address, a price paid for catching the real ones.
enum ObfuscatedEmails {
    private static let bracketedAt: [StaticString] = ["(at)", "[at]", "{at}", "<at>"]
    private static let bracketedDot: [StaticString] = ["(dot)", "[dot]", "{dot}", "<dot>"]
    private static let spelledTopLevelDomains: Set<String> = [
        "com", "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "es", "it", "nl", "br", "in", "ca", "au", "jp",
        "ch", "se", "dev", "app",
    ]

    static func matches(_ bytes: [UInt8], hasher: SaltedHasher?) -> [Match] {
        guard mayHoldOne(bytes) else { return [] }
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            guard let (atStart, atEnd, spelled) = atSeparator(bytes, at: index) else {
                index += 1
                continue
            }
            var start = atStart
            while start > 0, isLocalPart(bytes[start - 1]) { start -= 1 }
            if start < atStart, start == 0 || !isLocalPart(bytes[start - 1]),
                let (end, domain) = domain(bytes, from: atEnd, spelled: spelled)
            {
                let replacement = hasher.map { "<email:\($0.pseudonym(domain))>" } ?? "<redacted:email>"
                matches.append(Match(start..<end, replacement, .email))
                index = end
            } else {
                index = atEnd
            }
        }
        return matches
    }

    /// Whether `at` stands between separators somewhere (` at `, `(at)`, `[at]`): one pass, no copy.
    static func mayHoldOne(_ bytes: some Collection<UInt8>) -> Bool {
        var lastFour: UInt32 = 0
        for byte in bytes {
            lastFour = lastFour << 8 | UInt32(byte)
            guard isSeparator(byte, closing: true), (lastFour >> 8) & 0xDFDF == 0x4154 else { continue }  // "at", any case
            if isSeparator(UInt8(truncatingIfNeeded: lastFour >> 24), closing: false) { return true }
        }
        return false
    }

    private static func isSeparator(_ byte: UInt8, closing: Bool) -> Bool {
        byte == 0x20
            || (closing
                ? byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ">")
                : byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "<"))
    }

    /// The `at` separator at `index`, optionally surrounded by spaces: its range and whether it is spelled out.
    private static func atSeparator(_ bytes: [UInt8], at index: Int) -> (Int, Int, Bool)? {
        if let end = bracketed(bracketedAt, in: bytes, at: index) { return (index, end, false) }
        guard index + 1 < bytes.count, bytes[index] == 0x20, ByteClass.hasPrefix(bytes, at: index + 1, "at ", caseInsensitive: true) else {
            return nil
        }
        return (index, index + 4, true)
    }

    /// Domain labels joined by `.` or a dot token, ending in a top-level domain of letters; the
    /// normalised domain (`example.com`) for the pseudonym.
    private static func domain(_ bytes: [UInt8], from start: Int, spelled: Bool) -> (Int, String)? {
        var labels: [String] = []
        var cursor = start
        var end = start
        while true {
            let labelStart = cursor
            while cursor < bytes.count, ByteClass.isAlphanumeric(bytes[cursor]) || bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
            guard cursor > labelStart else { break }
            labels.append(String(decoding: bytes[labelStart..<cursor].map { $0 | 0x20 }, as: UTF8.self))
            end = cursor
            guard let next = dotSeparator(bytes, at: cursor, spelled: spelled) else { break }
            cursor = next
        }
        guard labels.count >= 2, let tld = labels.last, tld.utf8.count >= 2, tld.utf8.allSatisfy(ByteClass.isLetter),
            end == bytes.count || !ByteClass.isAlphanumeric(bytes[end]),
            !spelled || spelledTopLevelDomains.contains(tld)
        else { return nil }
        return (end, labels.joined(separator: "."))
    }

    private static func dotSeparator(_ bytes: [UInt8], at index: Int, spelled: Bool) -> Int? {
        if !spelled, index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), ByteClass.isAlphanumeric(bytes[index + 1]) {
            return index + 1
        }
        if let end = bracketed(bracketedDot, in: bytes, at: index) { return end }
        if spelled, index + 1 < bytes.count, bytes[index] == 0x20, ByteClass.hasPrefix(bytes, at: index + 1, "dot ", caseInsensitive: true) {
            return index + 5
        }
        return nil
    }

    /// The end of one of `tokens` at `index` (`(at)`, `[dot]`, any case), with up to two spaces on each side.
    private static func bracketed(_ tokens: [StaticString], in bytes: [UInt8], at index: Int) -> Int? {
        var cursor = index
        while cursor < bytes.count, bytes[cursor] == 0x20, cursor - index < 2 { cursor += 1 }
        for token in tokens where ByteClass.hasPrefix(bytes, at: cursor, token, caseInsensitive: true) {
            let tokenEnd = cursor + token.utf8CodeUnitCount
            var end = tokenEnd
            while end < bytes.count, bytes[end] == 0x20, end - tokenEnd < 2 { end += 1 }
            return end
        }
        return nil
    }

    private static func isLocalPart(_ byte: UInt8) -> Bool {
        ByteClass.isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-")
    }
}
