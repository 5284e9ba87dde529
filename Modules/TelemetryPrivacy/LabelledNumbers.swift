/// Numbers that a label in the text says are personal: `ssn 123456789`, `passport no. X1234567`,
/// `CVV 123`, `DOB 1985-03-14`, `born 03/14/1985`. The label stays, the number goes. Without a label
/// these shapes are ordinary (nine digits, a date), so only the label makes them personal.
enum LabelledNumbers {
    enum Kind {
        /// A national or travel document number: ≥ 6 characters, ≥ 4 digits.
        case identifier
        /// A card security code or PIN: 3–6 digits.
        case securityCode
        /// A birth date: digits with `/`, `-`, `.` or spaces, ≥ 4 digits.
        case birthDate
    }

    private static let labels: [(label: StaticString, kind: Kind)] = [
        ("ssn", .identifier), ("social security number", .identifier), ("social security", .identifier),
        ("sin", .identifier), ("nino", .identifier), ("national insurance number", .identifier), ("cpf", .identifier),
        ("aadhaar", .identifier), ("passport number", .identifier), ("passport", .identifier), ("tax id", .identifier),
        // Bank, health, tax and vehicle numbers (not bare `account`: `account 20240115 report` is common).
        ("routing", .identifier), ("aba", .identifier), ("account number", .identifier), ("account no", .identifier),
        ("acct", .identifier), ("sort code", .identifier), ("vat", .identifier), ("nhs", .identifier),
        ("medicare", .identifier), ("medicaid", .identifier), ("driver's license", .identifier),
        ("drivers license", .identifier), ("driver license", .identifier), ("license plate", .identifier),
        ("licence plate", .identifier), ("number plate", .identifier), ("license", .identifier), ("licence", .identifier),
        // Health, insurance, school and employer record numbers.
        ("mrn", .identifier), ("medical record", .identifier), ("patient id", .identifier), ("member id", .identifier),
        ("policy", .identifier), ("claim", .identifier), ("student id", .identifier), ("employee id", .identifier),
        ("cvv2", .securityCode), ("cvv", .securityCode), ("cvc", .securityCode), ("csc", .securityCode),
        ("security code", .securityCode), ("pin", .securityCode),
        ("date of birth", .birthDate), ("birth date", .birthDate), ("birthdate", .birthDate), ("birthday", .birthDate),
        ("dob", .birthDate), ("born on", .birthDate), ("born", .birthDate),
    ]

    /// The labels by their first letter (lower case), so a word costs one lookup unless it could start
    /// a label: scanning every word against every label made long texts 18 % slower to sanitise.
    private static let labelsByInitial: [[(label: StaticString, kind: Kind)]] = {
        var buckets = [[(label: StaticString, kind: Kind)]](repeating: [], count: 26)
        for entry in labels { buckets[Int(entry.label.utf8Start.pointee &- 0x61)].append(entry) }
        return buckets
    }()

    /// Matches for the kinds `policy` redacts.
    static func matches(_ bytes: [UInt8], policy: PrivacyPolicy) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            guard ByteClass.isLetter(bytes[index]), index == 0 || !ByteClass.isWord(bytes[index - 1]) else {
                index += 1
                continue
            }
            var matched = false
            for (label, kind) in labelsByInitial[Int((bytes[index] | 0x20) &- 0x61)]
            where ByteClass.hasPrefix(bytes, at: index, label, caseInsensitive: true) {
                let end = index + label.utf8CodeUnitCount
                guard end == bytes.count || !ByteClass.isWord(bytes[end]) else { continue }
                let enabled: Bool
                switch kind {
                case .identifier: enabled = policy.applies(.nationalIdentifier)
                case .securityCode: enabled = policy.applies(.secretValue)
                case .birthDate: enabled = policy.applies(.personalDetail)
                }
                guard enabled, let value = value(after: end, in: bytes, kind: kind) else { continue }
                let (replacement, rule): (String, PrivacyRule) =
                    switch kind {
                    case .identifier: ("<redacted:id>", .nationalIdentifier)
                    case .securityCode: ("<redacted:secret>", .secretValue)
                    case .birthDate: ("<redacted:birthdate>", .personalDetail)
                    }
                matches.append(Match(value, replacement, rule))
                index = value.upperBound
                matched = true
                break
            }
            if !matched {
                while index < bytes.count && ByteClass.isWord(bytes[index]) { index += 1 }
            }
        }
        return matches
    }

    /// The value after a label: past `:`, `#`, `=`, `-`, spaces and an optional `no`/`no.`/`number`/`is`.
    private static func value(after labelEnd: Int, in bytes: [UInt8], kind: Kind) -> Range<Int>? {
        var cursor = labelEnd
        func skipSeparators() {
            while cursor < bytes.count,
                ByteClass.isSpace(bytes[cursor]) || bytes[cursor] == UInt8(ascii: ":") || bytes[cursor] == UInt8(ascii: "#")
                    || bytes[cursor] == UInt8(ascii: "=") || bytes[cursor] == UInt8(ascii: "\"")
            {
                cursor += 1
            }
        }
        skipSeparators()
        for filler: StaticString in ["number", "no.", "no", "is", "on"]
        where ByteClass.hasPrefix(bytes, at: cursor, filler, caseInsensitive: true) {
            let end = cursor + filler.utf8CodeUnitCount
            if end < bytes.count && (ByteClass.isSpace(bytes[end]) || bytes[end] == UInt8(ascii: ":")) {
                cursor = end
                skipSeparators()
                break
            }
        }
        let start = cursor
        var digits = 0
        var last = cursor
        while cursor < bytes.count {
            let byte = bytes[cursor]
            let isSeparator =
                byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: " ")
            let allowed: Bool
            switch kind {
            case .identifier: allowed = ByteClass.isDigit(byte) || ByteClass.isUpper(byte) || isSeparator
            case .securityCode: allowed = ByteClass.isDigit(byte)
            case .birthDate: allowed = ByteClass.isDigit(byte) || isSeparator
            }
            guard allowed else { break }
            if ByteClass.isDigit(byte) { digits += 1 }
            if !isSeparator { last = cursor + 1 }
            cursor += 1
        }
        // The value ends at its last digit or letter; a following word character means it was not one.
        guard last > start, last == bytes.count || !ByteClass.isWord(bytes[last]) else { return nil }
        switch kind {
        case .identifier: return digits >= 4 && last - start >= 6 ? start..<last : nil
        case .securityCode: return (3...6).contains(digits) ? start..<last : nil
        case .birthDate: return digits >= 4 ? start..<last : nil
        }
    }
}

extension PrivacyPolicy {
    /// Whether any kind of labelled number is redacted (the scanner's pre-check and its gate).
    var redactsLabelledNumbers: Bool { applies(.nationalIdentifier) || applies(.secretValue) || applies(.personalDetail) }
}
