/// Detectors for personal data inside text: card numbers are removed, emails, IP addresses and phone
/// numbers become salted pseudonyms, home-directory user names become `~`.
enum PersonalDataDetectors {
    // MARK: Credit cards

    /// 13–19 digits, optionally grouped by single spaces, dashes or dots, with a card network's first digit
    /// (2–6) and passing the Luhn check. A run of groups is searched for the longest window of whole
    /// groups that is a card, so a card next to other numbers (`10.0.0.1 4111 1111 1111 1111 2025`)
    /// is still found.
    static func creditCards(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            guard ByteClass.isDigit(bytes[index]), index == 0 || !ByteClass.isAlphanumeric(bytes[index - 1]) else {
                index += 1
                continue
            }
            // Collect the run's digit groups.
            var groups: [Range<Int>] = []
            var cursor = index
            var groupStart = index
            while cursor < bytes.count {
                let byte = bytes[cursor]
                if ByteClass.isDigit(byte) {
                    cursor += 1
                } else if byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "."),
                    cursor + 1 < bytes.count, ByteClass.isDigit(bytes[cursor + 1])
                {
                    groups.append(groupStart..<cursor)
                    cursor += 1
                    groupStart = cursor
                } else {
                    break
                }
                if groups.count > 12 { break }
            }
            groups.append(groupStart..<cursor)
            let runEnd = cursor
            let trailingOK = runEnd == bytes.count || !ByteClass.isAlphanumeric(bytes[runEnd])
            var found: Range<Int>?
            if trailingOK || groups.count > 1 {
                search: for first in groups.indices {
                    for last in groups.indices.reversed() where last >= first {
                        let window = groups[first].lowerBound..<groups[last].upperBound
                        if last == groups.count - 1 && !trailingOK { continue }
                        let digits = bytes[window].filter(ByteClass.isDigit).map { $0 &- 0x30 }
                        guard (13...19).contains(digits.count), (2...6).contains(digits[0]), passesLuhn(digits) else { continue }
                        found = window
                        break search
                    }
                }
            }
            if let found {
                matches.append(Match(found, "<redacted:card>", .creditCard))
                index = found.upperBound
            } else {
                index = max(runEnd, index + 1)
            }
        }
        return matches
    }

    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    // MARK: Emails

    /// `local@domain.tld` → `<email:PSEUDONYM>` where the pseudonym is the salted hash of the domain, or
    /// `<redacted:email>` without a hasher (the `.remove` treatment).
    /// Also percent-encoded (`jane.roe%40example.com`, as in query strings) and with non-ASCII local
    /// parts or domains (`josé.garcía@correo.es`): every UTF-8 byte above 0x7F counts as a letter.
    static func emails(_ bytes: [UInt8], hasher: SaltedHasher?) -> [Match] {
        var matches: [Match] = []
        var at = 0
        while at < bytes.count {
            defer { at += 1 }
            let separatorLength: Int
            if bytes[at] == UInt8(ascii: "@") {
                separatorLength = 1
            } else if bytes[at] == UInt8(ascii: "%"), at + 2 < bytes.count, bytes[at + 1] == UInt8(ascii: "4"), bytes[at + 2] == UInt8(ascii: "0") {
                separatorLength = 3
            } else {
                continue
            }
            var start = at
            while start > 0, isLocalPart(bytes[start - 1]) { start -= 1 }
            let domainStart = at + separatorLength
            var end = domainStart
            while end < bytes.count,
                ByteClass.isAlphanumeric(bytes[end]) || bytes[end] == UInt8(ascii: "-")
                    || bytes[end] == UInt8(ascii: ".") || bytes[end] >= 0x80
            {
                end += 1
            }
            while end > domainStart && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            guard start < at, end > domainStart else { continue }
            // `scheme://user@host` is URL user information, not an email.
            if start >= 3 && ByteClass.hasPrefix(bytes, at: start - 3, "://") { continue }
            let domain = bytes[domainStart..<end]
            guard let lastDot = domain.lastIndex(of: UInt8(ascii: ".")), lastDot > domainStart else { continue }
            let tld = bytes[(lastDot + 1)..<end]
            guard tld.count >= 2, tld.allSatisfy({ ByteClass.isLetter($0) || $0 >= 0x80 }) else { continue }
            let normalized = String(decoding: domain.map { ByteClass.isUpper($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
            matches.append(Match(start..<end, hasher.map { "<email:\($0.pseudonym(normalized))>" } ?? "<redacted:email>", .email))
            at = end - 1
        }
        return matches
    }

    private static func isLocalPart(_ byte: UInt8) -> Bool {
        ByteClass.isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte >= 0x80
    }

    // MARK: IP addresses

    /// IPv4 dotted quads and IPv6 addresses (compressed `::` forms included) → `<ip:PSEUDONYM>`, or
    /// `<redacted:ip>` without a hasher.
    /// Version-like strings are left alone: `v1.2.3.4`, `1.2.3.4.5`, `10.0.1-beta`, `version 1.2.3.4`.
    static func ipAddresses(_ bytes: [UInt8], hasher: SaltedHasher?) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            if ByteClass.isDigit(bytes[index]), let end = ipv4(bytes, at: index) {
                let replacement = hasher.map { "<ip:\($0.pseudonym(String(decoding: bytes[index..<end], as: UTF8.self)))>" }
                matches.append(Match(index..<end, replacement ?? "<redacted:ip>", .ipAddress))
                index = end
            } else if ByteClass.isHex(bytes[index]) || bytes[index] == UInt8(ascii: ":"), let end = ipv6(bytes, at: index) {
                let normalized = String(decoding: bytes[index..<end].map { ByteClass.isUpper($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
                matches.append(Match(index..<end, hasher.map { "<ip:\($0.pseudonym(normalized))>" } ?? "<redacted:ip>", .ipAddress))
                index = end
            } else {
                index += 1
            }
        }
        return matches
    }

    private static func ipv4(_ bytes: [UInt8], at start: Int) -> Int? {
        if start > 0 {
            let previous = bytes[start - 1]
            if ByteClass.isAlphanumeric(previous) || previous == UInt8(ascii: ".") || previous == UInt8(ascii: "-") { return nil }
            if precededByVersionWord(bytes, start) { return nil }
            // `Chrome/120.0.0.0`, `Edg/120.0.2210.91`: a product token's version, not an address.
            if previous == UInt8(ascii: "/"), start >= 2, ByteClass.isAlphanumeric(bytes[start - 2]) { return nil }
        }
        var cursor = start
        for octet in 0..<4 {
            let octetStart = cursor
            var value = 0
            while cursor < bytes.count, ByteClass.isDigit(bytes[cursor]), cursor - octetStart < 3 {
                value = value * 10 + Int(bytes[cursor] &- 0x30)
                cursor += 1
            }
            guard cursor > octetStart, value <= 255 else { return nil }
            if octet < 3 {
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") else { return nil }
                cursor += 1
            }
        }
        if cursor < bytes.count {
            let next = bytes[cursor]
            if ByteClass.isAlphanumeric(next) { return nil }
            if (next == UInt8(ascii: ".") || next == UInt8(ascii: "-")) && cursor + 1 < bytes.count
                && ByteClass.isAlphanumeric(bytes[cursor + 1])
            {
                return nil
            }
        }
        return cursor
    }

    /// `version 1.2.3.4`, `appVersion=…`, `ver: …`, `release …`: the word before the number, after at
    /// most two separators (space, `=`, `:`), is a whole word (`server 10.0.0.1` is an address: a
    /// suffix test took its `ver` for the word and let the address through).
    private static func precededByVersionWord(_ bytes: [UInt8], _ start: Int) -> Bool {
        var wordEnd = start
        while wordEnd > 0, start - wordEnd < 2,
            bytes[wordEnd - 1] == 0x20 || bytes[wordEnd - 1] == UInt8(ascii: "=") || bytes[wordEnd - 1] == UInt8(ascii: ":")
        {
            wordEnd -= 1
        }
        guard wordEnd < start else { return false }
        var wordStart = wordEnd
        while wordStart > 0, ByteClass.isLetter(bytes[wordStart - 1]), wordEnd - wordStart < 32 { wordStart -= 1 }
        guard wordStart < wordEnd, wordStart == 0 || !ByteClass.isLetter(bytes[wordStart - 1]) else { return false }
        let word = String(decoding: bytes[wordStart..<wordEnd].map { $0 | 0x20 }, as: UTF8.self)
        return word.hasSuffix("version") || word.hasSuffix("release") || word == "ver"
    }

    private static func ipv6(_ bytes: [UInt8], at start: Int) -> Int? {
        if start > 0 {
            let previous = bytes[start - 1]
            if ByteClass.isWord(previous) || previous == UInt8(ascii: ".") { return nil }
            // A single colon after a word (`ip:`, `mailto:`) is a label, not part of the address.
            if previous == UInt8(ascii: ":") && !(start >= 2 && ByteClass.isLetter(bytes[start - 2])) { return nil }
        }
        var end = start
        while end < bytes.count, ByteClass.isHex(bytes[end]) || bytes[end] == UInt8(ascii: ":") || bytes[end] == UInt8(ascii: ".") {
            end += 1
        }
        while end > start && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        if end < bytes.count && ByteClass.isWord(bytes[end]) { return nil }
        let candidate = bytes[start..<end]
        guard candidate.filter({ $0 == UInt8(ascii: ":") }).count >= 2, isValidIPv6(Array(candidate)) else { return nil }
        return end
    }

    /// RFC 4291 text forms: eight groups, or fewer with one `::`, optionally ending in an IPv4 address.
    static func isValidIPv6(_ bytes: [UInt8]) -> Bool {
        var halves: [String] = []
        if let double = ByteClass.find("::", in: bytes) {
            guard ByteClass.find("::", in: bytes, from: double + 1) == nil else { return false }
            halves = [String(decoding: bytes[..<double], as: UTF8.self), String(decoding: bytes[(double + 2)...], as: UTF8.self)]
        } else {
            halves = [String(decoding: bytes, as: UTF8.self)]
        }
        func groups(_ part: String) -> [Substring]? {
            part.isEmpty ? [] : part.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard let head = groups(halves[0]), let tail = halves.count == 2 ? groups(halves[1]) : [] else { return false }
        var all = head + tail
        var width = 0
        if let last = all.last, last.contains(".") {
            guard ipv4(Array(last.utf8), at: 0) == last.utf8.count else { return false }
            all.removeLast()
            width += 2
        }
        guard all.allSatisfy({ (1...4).contains($0.count) && $0.utf8.allSatisfy(ByteClass.isHex) }) else { return false }
        width += all.count
        return halves.count == 2 ? width <= 7 : width == 8
    }

    // MARK: Phone numbers

    /// International numbers (`+` and 7–15 digits) and common national formats (`(555) 123-4567`,
    /// `555-123-4567`, `020 7946 0958`, `06 12 34 56 78`) → `<phone:PSEUDONYM>` of the digits, or
    /// `<redacted:phone>` without a hasher.
    /// Dates, times, versions and plain digit runs (ids, timestamps) are not phone numbers.
    static func phoneNumbers(_ bytes: [UInt8], hasher: SaltedHasher?) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let startsRun = byte == UInt8(ascii: "+") || byte == UInt8(ascii: "(") || ByteClass.isDigit(byte)
            // After a colon only a `+` number starts (`tel:+14155552671`, `phone:+44…`): a digit there
            // continues a time or a port.
            let afterColon = index > 0 && bytes[index - 1] == UInt8(ascii: ":") && byte == UInt8(ascii: "+")
            guard startsRun,
                index == 0 || afterColon
                    || !(ByteClass.isAlphanumeric(bytes[index - 1]) || [0x2E, 0x2D, 0x2B, 0x2F, 0x3A].contains(bytes[index - 1]))
            else {
                index += 1
                continue
            }
            var cursor = index + (byte == UInt8(ascii: "+") ? 1 : 0)
            var groups: [Int] = []
            var separators: [UInt8] = []
            var currentGroup = 0
            var digits: [UInt8] = []
            while cursor < bytes.count {
                let next = bytes[cursor]
                if ByteClass.isDigit(next) {
                    currentGroup += 1
                    digits.append(next)
                } else if next == 0x20 || next == UInt8(ascii: "-") || next == UInt8(ascii: ".") || next == UInt8(ascii: "(")
                    || next == UInt8(ascii: ")")
                {
                    if currentGroup > 0 {
                        groups.append(currentGroup)
                        currentGroup = 0
                    }
                    separators.append(next)
                    if separators.count > 20 { break }
                } else {
                    break
                }
                cursor += 1
            }
            if currentGroup > 0 { groups.append(currentGroup) }
            var end = cursor
            while end > index, !ByteClass.isDigit(bytes[end - 1]) && bytes[end - 1] != UInt8(ascii: ")") { end -= 1 }
            let boundary = end == bytes.count || !ByteClass.isAlphanumeric(bytes[end])
            // `+44 20 7946 0958`, and the same dialled with the `00` international prefix.
            let plus = byte == UInt8(ascii: "+") && (7...15).contains(digits.count)
            let doubleZero = digits.starts(with: [0x30, 0x30]) && (9...17).contains(digits.count) && groups.count >= 2 && groups[0] <= 6
            let international = (plus || doubleZero) && groups.first.map { $0 <= 6 || groups.count == 1 } == true
            if doubleZero { digits.removeFirst(2) }
            let national = !international && isNationalFormat(bytes[index..<end], groups: groups, digitCount: digits.count)
            if boundary && (international || national) && !digits.isEmpty {
                matches.append(Match(index..<end, hasher.map { "<phone:\($0.pseudonym(bytes: digits))>" } ?? "<redacted:phone>", .phoneNumber))
                index = end
            } else {
                // Any later start inside this run is preceded by a digit or separator and would be refused.
                index = max(index + 1, cursor)
            }
        }
        return matches
    }

    private static func isNationalFormat(_ run: ArraySlice<UInt8>, groups: [Int], digitCount: Int) -> Bool {
        let text = String(decoding: run, as: UTF8.self)
        // North American with its trunk `1`: 1-800-555-0199, 1 (555) 123-4567, 1.555.123.4567
        if groups == [1, 3, 3, 4], text.first == "1", let separator = text.dropFirst().first,
            separator == " " || separator == "-" || separator == "."
        {
            let rest = run.dropFirst(2)
            return isNationalFormat(rest, groups: [3, 3, 4], digitCount: digitCount - 1)
        }
        // North American: (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567
        if groups == [3, 3, 4] {
            if text.hasPrefix("(") { return text.dropFirst(4).hasPrefix(")") }
            let separators = text.filter { !$0.isNumber }
            return separators.count == 2 && Set(separators).count == 1
        }
        // Trunk-prefixed national numbers: 020 7946 0958, 06 12 34 56 78, 0171-1234567
        guard text.first == "0", (9...11).contains(digitCount), groups.count >= 2, groups.count <= 5,
            groups.allSatisfy({ (2...8).contains($0) })
        else { return false }
        let separators = text.filter { !$0.isNumber }
        return Set(separators).count == 1 && separators.first != "."
    }

    // MARK: Home directories

    /// `/home/NAME`, `/Users/NAME`, `C:\Users\NAME` (any drive, either slash) → `~`. Also in escaped
    /// text — `C:\\Users\\NAME` as Swift's `String(describing:)` and JSON print it, `\/home\/NAME` — and
    /// with spaces in a Windows user name (`C:\Users\John Smith\…`) when a separator follows it.
    static func homeDirectories(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            var nameStart: Int?
            var windows = false
            if let prefix = unixHomePrefix(bytes, at: index), index == 0 || !ByteClass.isWord(bytes[index - 1]) {
                nameStart = index + prefix
            } else if ByteClass.isLetter(bytes[index]), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: ":"),
                index == 0 || !ByteClass.isWord(bytes[index - 1]),
                let first = separator(bytes, at: index + 2),
                ByteClass.hasPrefix(bytes, at: index + 2 + first, "users", caseInsensitive: true),
                let second = separator(bytes, at: index + 7 + first)
            {
                nameStart = index + 7 + first + second
                windows = true
            }
            if nameStart == nil, let end = tildeUser(bytes, at: index) {
                matches.append(Match(index..<end, "~", .homeDirectory))
                index = end
                continue
            }
            guard let start = nameStart else {
                index += 1
                continue
            }
            var end = start
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") || ByteClass.isSpace(byte) || byte == UInt8(ascii: "\"")
                    || byte == UInt8(ascii: "'") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ")")
                {
                    break
                }
                end += 1
            }
            if windows, end < bytes.count, bytes[end] == 0x20 {
                // A Windows user name may hold spaces: take it up to the next separator on the same line.
                var probe = end
                while probe < bytes.count, probe - start < 64, bytes[probe] != UInt8(ascii: "\\"), bytes[probe] != UInt8(ascii: "/"),
                    bytes[probe] != UInt8(ascii: "\""), bytes[probe] != UInt8(ascii: "'"), bytes[probe] != 0x0A, bytes[probe] != 0x0D
                {
                    probe += 1
                }
                if probe < bytes.count, bytes[probe] == UInt8(ascii: "\\") || bytes[probe] == UInt8(ascii: "/") { end = probe }
            }
            if end > start {
                matches.append(Match(index..<end, "~", .homeDirectory))
            }
            index = max(end, index + 1)
        }
        return matches
    }

    /// `~jane/…` (a user's home by name, as shells write it): the end of the name when a slash follows.
    private static func tildeUser(_ bytes: [UInt8], at index: Int) -> Int? {
        guard bytes[index] == UInt8(ascii: "~"), index == 0 || !(ByteClass.isWord(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: "~")),
            index + 1 < bytes.count, ByteClass.isLetter(bytes[index + 1])
        else { return nil }
        var end = index + 1
        while end < bytes.count, end - index <= 32,
            ByteClass.isWord(bytes[end]) || bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: ".")
        {
            end += 1
        }
        return end < bytes.count && bytes[end] == UInt8(ascii: "/") ? end : nil
    }

    /// The length of `/home/` or `/Users/` at `index`, also JSON-escaped (`\/home\/`).
    private static func unixHomePrefix(_ bytes: [UInt8], at index: Int) -> Int? {
        for prefix: StaticString in ["/home/", "/Users/", "\\/home\\/", "\\/Users\\/"] where ByteClass.hasPrefix(bytes, at: index, prefix) {
            return prefix.utf8CodeUnitCount
        }
        return nil
    }

    /// The length of a path separator at `index`: `/`, `\`, or an escaped backslash (`\\`).
    private static func separator(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "/") { return 1 }
        guard bytes[index] == UInt8(ascii: "\\") else { return nil }
        return index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\\") ? 2 : 1
    }
}
