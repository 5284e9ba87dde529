/// Detectors for structured identifiers with a fixed shape and, where the format has one, a checksum:
/// social security numbers, IBANs, MAC addresses and GPS coordinate pairs.
enum IdentifierDetectors {
    // MARK: US social security numbers

    /// `AAA-GG-SSSS` (or `AAA GG SSSS`) with the ranges the SSA issues (area 001–899 but not 666, group 01–99, serial
    /// 0001–9999) → `<redacted:ssn>`. Runs before the phone detector, which would otherwise hash it.
    static func socialSecurityNumbers(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index + 11 <= bytes.count {
            guard index == 0 || !(ByteClass.isAlphanumeric(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: "-")),
                let area = number(bytes, index, 3), bytes[index + 3] == UInt8(ascii: "-") || bytes[index + 3] == 0x20,
                let group = number(bytes, index + 4, 2), bytes[index + 6] == bytes[index + 3],
                let serial = number(bytes, index + 7, 4),
                index + 11 == bytes.count || !(ByteClass.isAlphanumeric(bytes[index + 11]) || bytes[index + 11] == UInt8(ascii: "-"))
            else {
                index += 1
                continue
            }
            if (1...899).contains(area) && area != 666 && group != 0 && serial != 0 {
                matches.append(Match(index..<(index + 11), "<redacted:ssn>", .nationalIdentifier))
            }
            index += 11
        }
        return matches
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ width: Int) -> Int? {
        guard start + width <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + width)] {
            guard ByteClass.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte &- 0x30)
        }
        return value
    }

    // MARK: IBANs

    /// Two letters, two check digits, then 11–30 letters and digits, optionally in space-separated
    /// groups of four, passing the ISO 13616 mod-97 check → `<redacted:iban>`.
    static func internationalBankAccountNumbers(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index + 15 <= bytes.count {
            guard index == 0 || !ByteClass.isAlphanumeric(bytes[index - 1]),
                ByteClass.isUpper(bytes[index]), ByteClass.isUpper(bytes[index + 1]),
                ByteClass.isDigit(bytes[index + 2]), ByteClass.isDigit(bytes[index + 3])
            else {
                index += 1
                continue
            }
            var characters: [UInt8] = Array(bytes[index..<(index + 4)])
            var cursor = index + 4
            var end = cursor
            while cursor < bytes.count, characters.count < 34 {
                let byte = bytes[cursor]
                if ByteClass.isUpper(byte) || ByteClass.isDigit(byte) {
                    characters.append(byte)
                    cursor += 1
                    end = cursor
                } else if byte == 0x20, cursor + 1 < bytes.count, ByteClass.isUpper(bytes[cursor + 1]) || ByteClass.isDigit(bytes[cursor + 1]),
                    (characters.count % 4) == 0
                {
                    cursor += 1
                } else {
                    break
                }
            }
            let boundary = end == bytes.count || !ByteClass.isAlphanumeric(bytes[end])
            if boundary, (15...34).contains(characters.count), passesMod97(characters) {
                matches.append(Match(index..<end, "<redacted:iban>", .bankAccount))
                index = end
            } else {
                index += 1
            }
        }
        return matches
    }

    /// ISO 13616: move the first four characters to the end, letters as 10–35, the number mod 97 is 1.
    static func passesMod97(_ characters: [UInt8]) -> Bool {
        var remainder = 0
        for byte in characters[4...] + characters[..<4] {
            if ByteClass.isDigit(byte) {
                remainder = (remainder * 10 + Int(byte &- 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(byte &- 0x41) + 10) % 97
            }
        }
        return remainder == 1
    }

    // MARK: MAC addresses

    /// Six pairs of hex digits joined by `:` or `-` (one separator throughout) → `<mac:PSEUDONYM>`.
    static func macAddresses(_ bytes: [UInt8], hasher: SaltedHasher) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index + 17 <= bytes.count {
            guard index == 0 || !(ByteClass.isHex(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: ":") || bytes[index - 1] == UInt8(ascii: "-"))
            else {
                index += 1
                continue
            }
            let separator = bytes[index + 2]
            var valid = separator == UInt8(ascii: ":") || separator == UInt8(ascii: "-")
            for pair in 0..<6 where valid {
                let start = index + pair * 3
                valid = ByteClass.isHex(bytes[start]) && ByteClass.isHex(bytes[start + 1]) && (pair == 5 || bytes[start + 2] == separator)
            }
            let end = index + 17
            if valid, end == bytes.count || !(ByteClass.isHex(bytes[end]) || bytes[end] == separator) {
                let normalized = bytes[index..<end].map { ByteClass.isUpper($0) ? $0 | 0x20 : ($0 == UInt8(ascii: "-") ? UInt8(ascii: ":") : $0) }
                matches.append(Match(index..<end, "<mac:\(hasher.pseudonym(bytes: Array(normalized)))>", .macAddress))
                index = end
            } else {
                index += 1
            }
        }
        return matches
    }

    // MARK: GPS coordinates

    /// `latitude, longitude` in decimal degrees with at least four decimals each (about 11 m), within
    /// ±90 and ±180 → `<redacted:location>`. Fewer decimals (a city, a region) are kept.
    static func coordinatePairs(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "-") || ByteClass.isDigit(bytes[index]),
                index == 0 || !(ByteClass.isAlphanumeric(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: ".")),
                let (latitude, latitudeEnd) = decimal(bytes, index), abs(latitude) <= 90
            else {
                index += 1
                continue
            }
            var cursor = latitudeEnd
            while cursor < bytes.count && bytes[cursor] == 0x20 { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") else {
                index = latitudeEnd
                continue
            }
            cursor += 1
            while cursor < bytes.count && bytes[cursor] == 0x20 { cursor += 1 }
            if let (longitude, end) = decimal(bytes, cursor), abs(longitude) <= 180,
                end == bytes.count || !(ByteClass.isAlphanumeric(bytes[end]) || bytes[end] == UInt8(ascii: "."))
            {
                matches.append(Match(index..<end, "<redacted:location>", .location))
                index = end
            } else {
                index = latitudeEnd
            }
        }
        return matches
    }

    /// `-?D{1,3}.D{4,}` at `start`: the value and where it ends.
    private static func decimal(_ bytes: [UInt8], _ start: Int) -> (Double, Int)? {
        var cursor = start
        if cursor < bytes.count && bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
        let integerStart = cursor
        while cursor < bytes.count, ByteClass.isDigit(bytes[cursor]), cursor - integerStart < 4 { cursor += 1 }
        guard (1...3).contains(cursor - integerStart), cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") else { return nil }
        cursor += 1
        let fractionStart = cursor
        while cursor < bytes.count, ByteClass.isDigit(bytes[cursor]), cursor - fractionStart < 12 { cursor += 1 }
        guard cursor - fractionStart >= 4, let value = Double(String(decoding: bytes[start..<cursor], as: UTF8.self)) else { return nil }
        return (value, cursor)
    }
}
