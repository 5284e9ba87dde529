/// Finds personal data and secrets inside free text and replaces them, in one forward scan per
/// detector over the UTF-8 bytes. Detectors run only when a cheap pre-scan of the text shows the bytes
/// they need (an `@` for emails, 13 digits for cards, …), so ordinary values cost one pass.
///
/// Order matters and is fixed: secrets (PEM blocks, JWTs, bearer tokens, vendor keys, URL
/// credentials, `key=value` secrets) → social security numbers and IBANs → MAC addresses and
/// coordinates → credit cards (before phones, so no card digit survives as a "phone") → emails → IP
/// addresses → phone numbers → home directories.
struct TextScanner: Sendable {
    let policy: PrivacyPolicy
    let hasher: SaltedHasher

    /// Context that changes interpretation: a value under a `version` key is never an IP address.
    struct Context {
        var isVersion = false
        /// The key names a phone number: bare digit strings and numbers are phone numbers too.
        var isPhone = false
        static let none = Context()
    }

    func scan(_ text: String, context: Context = .none, counts: inout RedactionCounts) -> String {
        scan(text, context: context, counts: &counts, decodingPercent: true)
    }

    private func scan(_ text: String, context: Context, counts: inout RedactionCounts, decodingPercent: Bool) -> String {
        guard !text.isEmpty else { return text }
        let features = Features(text.utf8)
        // The obfuscated-email and titled-name checks read the text again, so they run only where nothing
        // else could match:
        // one flag in `Features`' loop for it cost every value 40 % more in that loop (callgrind).
        guard
            features.mayMatchAnything(policy: policy, context: context)
                || (policy.applies(.email) && features.mayHoldObfuscatedEmail && ObfuscatedEmails.mayHoldOne(text.utf8))
                || (policy.applies(.personalDetail) && features.mayHoldTitledName && TitledNames.mayHoldOne(text.utf8))
        else { return text }
        var bytes = Array(text.utf8)
        var changed = false

        func apply(_ matches: [Match]) {
            guard !matches.isEmpty else { return }
            bytes = Match.apply(matches, to: bytes)
            for match in matches { counts.record(match.rule) }
            changed = true
        }

        if policy.applies(.secretValue) {
            if features.dashes >= 10 { apply(SecretDetectors.pemBlocks(bytes)) }
            if features.length >= 14 && features.dots >= 2 { apply(SecretDetectors.jsonWebTokens(bytes)) }
            if features.length >= 14 && features.hasSpace { apply(SecretDetectors.authorizationSchemes(bytes)) }
            if features.length >= 14 { apply(VendorKeys.prefixed(bytes)) }
            if features.length >= 40 { apply(VendorKeys.awsSecretAccessKeys(bytes)) }
            if features.length >= 43 && features.colons > 0 { apply(VendorKeys.telegramBotTokens(bytes)) }
            if features.length >= 59 && features.dots >= 2 { apply(VendorKeys.discordBotTokens(bytes)) }
            if features.length >= 36 && features.dashes > 0 { apply(VendorKeys.mailchimpKeys(bytes)) }
            if features.hasAt && features.colons > 0 { apply(SecretDetectors.urlCredentials(bytes)) }
            if features.hasSlash && features.dots >= 1 { apply(SecretDetectors.webhookURLs(bytes)) }
        }
        if features.hasEquals || features.colons > 0 { apply(KeyedValues.matches(bytes, policy: policy, hasher: hasher)) }
        if features.digits >= 9 {
            if policy.applies(.nationalIdentifier) && (features.dashes >= 2 || features.hasSpace) {
                apply(IdentifierDetectors.socialSecurityNumbers(bytes))
            }
            if policy.applies(.bankAccount) && features.digits >= 10 && features.length >= 15 {
                apply(IdentifierDetectors.internationalBankAccountNumbers(bytes))
            }
        }
        // After the shaped detectors, so a labelled SSN or IBAN keeps its own placeholder.
        if features.digits >= 3 && policy.redactsLabelledNumbers { apply(LabelledNumbers.matches(bytes, policy: policy)) }
        if policy.applies(.personalDetail) && features.mayHoldStreetAddress { apply(StreetAddresses.matches(bytes)) }
        if policy.applies(.personalDetail) && features.mayHoldTitledName { apply(TitledNames.matches(bytes)) }
        if policy.applies(.macAddress) && (features.colons >= 5 || features.dashes >= 5) {
            apply(IdentifierDetectors.macAddresses(bytes, hasher: hasher))
        }
        if policy.applies(.location) && features.dots >= 2 && features.hasComma && features.digits >= 8 {
            apply(IdentifierDetectors.coordinatePairs(bytes))
        }
        if policy.applies(.creditCard) && features.digits >= 13 {
            apply(PersonalDataDetectors.creditCards(bytes))
        }
        if policy.applies(.email) && (features.hasAt || features.hasPercent) {
            apply(PersonalDataDetectors.emails(bytes, hasher: policy.emailTreatment == .pseudonymise ? hasher : nil))
        }
        if policy.applies(.email) && features.mayHoldObfuscatedEmail {
            apply(ObfuscatedEmails.matches(bytes, hasher: policy.emailTreatment == .pseudonymise ? hasher : nil))
        }
        if policy.applies(.ipAddress) && !context.isVersion && (features.dots >= 3 || features.colons >= 2) {
            apply(PersonalDataDetectors.ipAddresses(bytes, hasher: policy.ipAddressTreatment == .pseudonymise ? hasher : nil))
        }
        if policy.applies(.phoneNumber) && features.digits >= 7 {
            apply(PersonalDataDetectors.phoneNumbers(bytes, hasher: policy.phoneNumberTreatment == .pseudonymise ? hasher : nil))
        }
        if policy.applies(.homeDirectory) && (features.hasSlash || features.hasBackslash) {
            apply(PersonalDataDetectors.homeDirectories(bytes))
        }
        if decodingPercent && (features.hasPercent || features.hasBackslash),
            let decoded = scanPercentEncoded(bytes, context: context, counts: &counts)
        {
            bytes = decoded
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Encoded pieces are decoded and scanned again — percent-encoding (query values, encoded paths, form
    /// bodies) and JSON's `\u00XX` and `\/` escapes — so `v=Bearer%20…`, `passwd%3A%20…` or
    /// `jane\u0040example.com` is seen as what it encodes; a piece that held something is replaced by
    /// its cleaned text, percent-encoded. Nil when nothing changed.
    private func scanPercentEncoded(_ bytes: [UInt8], context: Context, counts: inout RedactionCounts) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var changed = false
        var index = 0
        while index < bytes.count {
            let start = index
            while index < bytes.count && !Self.endsPiece(bytes[index]) { index += 1 }
            let piece = bytes[start..<index]
            if let decoded = Self.percentDecoded(piece) {
                let text = String(decoding: decoded, as: UTF8.self)
                var pieceCounts = RedactionCounts()
                let clean = scan(text, context: context, counts: &pieceCounts, decodingPercent: false)
                if clean != text {
                    output.append(contentsOf: Self.percentEncoded(clean))
                    counts.merge(pieceCounts)
                    changed = true
                } else {
                    output.append(contentsOf: piece)
                }
            } else {
                output.append(contentsOf: piece)
            }
            if index < bytes.count {
                output.append(bytes[index])
                index += 1
            }
        }
        return changed ? output : nil
    }

    private static func endsPiece(_ byte: UInt8) -> Bool {
        ByteClass.isSpace(byte) || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "=")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: ",")
    }

    /// The piece with every `%XX`, ASCII `\u00XX` and `\/` decoded, or nil if it holds none.
    private static func percentDecoded(_ piece: ArraySlice<UInt8>) -> [UInt8]? {
        guard piece.contains(UInt8(ascii: "%")) || piece.contains(UInt8(ascii: "\\")) else { return nil }
        var output: [UInt8] = []
        var decodedAny = false
        var index = piece.startIndex
        while index < piece.endIndex {
            let byte = piece[index]
            if byte == UInt8(ascii: "%"), index + 2 < piece.endIndex,
                let high = hexValue(piece[index + 1]), let low = hexValue(piece[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
                decodedAny = true
            } else if byte == UInt8(ascii: "\\"), index + 5 < piece.endIndex, piece[index + 1] == UInt8(ascii: "u"),
                piece[index + 2] == UInt8(ascii: "0"), piece[index + 3] == UInt8(ascii: "0"),
                let high = hexValue(piece[index + 4]), let low = hexValue(piece[index + 5]), high < 8, high << 4 | low >= 0x20
            {
                output.append(high << 4 | low)
                index += 6
                decodedAny = true
            } else if byte == UInt8(ascii: "\\"), index + 1 < piece.endIndex, piece[index + 1] == UInt8(ascii: "/") {
                output.append(UInt8(ascii: "/"))
                index += 2
                decodedAny = true
            } else {
                output.append(byte)
                index += 1
            }
        }
        return decodedAny ? output : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// RFC 3986 unreserved characters stay, and `<`, `>`, `:` so placeholders still read; the rest is encoded.
    private static func percentEncoded(_ text: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in text.utf8 {
            if ByteClass.isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: ":")
            {
                output.append(byte)
            } else {
                output.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return output
    }
}

/// One replacement: bytes `range` become `replacement`, counted under `rule`.
struct Match {
    let range: Range<Int>
    let replacement: [UInt8]
    let rule: PrivacyRule

    init(_ range: Range<Int>, _ replacement: String, _ rule: PrivacyRule) {
        self.range = range
        self.replacement = Array(replacement.utf8)
        self.rule = rule
    }

    /// Applies non-overlapping matches (later overlapping ones are ignored) in order.
    static func apply(_ matches: [Match], to bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        for match in matches.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) where match.range.lowerBound >= position {
            output.append(contentsOf: bytes[position..<match.range.lowerBound])
            output.append(contentsOf: match.replacement)
            position = match.range.upperBound
        }
        output.append(contentsOf: bytes[position...])
        return output
    }
}

/// What a text contains, gathered in one pass without copying, so detectors that cannot match are
/// skipped and ordinary short values (`export_csv`, `api`) cost a single loop over a few bytes.
struct Features {
    var length = 0
    var digits = 0
    var dots = 0
    var colons = 0
    var dashes = 0
    var hasAt = false
    var hasSlash = false
    var hasBackslash = false
    var hasEquals = false
    var hasSpace = false
    var hasQuote = false
    var hasPercent = false
    var hasComma = false
    var hasUpper = false
    var hasOpenBracket = false

    init(_ utf8: String.UTF8View) {
        length = utf8.count
        for byte in utf8 {
            switch byte {
            // Most bytes are small letters: one range test for them before the others (callgrind: the
            // capital and bracket cases otherwise made every letter walk the whole chain).
            case UInt8(ascii: "a")...UInt8(ascii: "z"): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: ":"): colons += 1
            case UInt8(ascii: "-"): dashes += 1
            case UInt8(ascii: "@"): hasAt = true
            case UInt8(ascii: "/"): hasSlash = true
            case UInt8(ascii: "\\"): hasBackslash = true
            case UInt8(ascii: "="): hasEquals = true
            case 0x20, 0x09, 0x0A, 0x0D: hasSpace = true
            case UInt8(ascii: "\""): hasQuote = true
            case UInt8(ascii: "%"): hasPercent = true
            case UInt8(ascii: ","): hasComma = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): hasUpper = true
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "<"): hasOpenBracket = true
            default: break
            }
        }
    }

    /// Room for an obfuscated email (`jane (at) example.com`); `ObfuscatedEmails.mayHoldOne` looks closer.
    var mayHoldObfuscatedEmail: Bool { length >= 10 && (hasSpace || hasOpenBracket) }

    /// A title, a space and a capitalised name (`Mr Li`).
    var mayHoldTitledName: Bool { hasUpper && hasSpace && length >= 5 }

    /// A house number, a space and a capitalised word at least (`1 Main St`).
    var mayHoldStreetAddress: Bool { digits >= 1 && hasSpace && hasUpper && length >= 8 }

    func mayMatchAnything(policy: PrivacyPolicy, context: TextScanner.Context) -> Bool {
        (policy.applies(.secretValue) && (length >= 14 || hasEquals || colons > 0))
            // A `key=value` whose key makes the value a personal detail, a position or a user id.
            || ((hasEquals || colons > 0)
                && (policy.applies(.personalDetail) || policy.applies(.location) || policy.applies(.userIdentifier)))
            || (policy.applies(.creditCard) && digits >= 13)
            || (policy.applies(.email) && (hasAt || hasPercent))
            || (policy.applies(.ipAddress) && !context.isVersion && (dots >= 3 || colons >= 2))
            || (policy.applies(.phoneNumber) && digits >= 7)
            || (policy.applies(.homeDirectory) && (hasSlash || hasBackslash))
            || ((policy.applies(.nationalIdentifier) || policy.applies(.bankAccount)) && digits >= 9)
            // A labelled number (`CVV 123`, `DOB 1985-03-14`): a label and at least three digits.
            || (policy.redactsLabelledNumbers && digits >= 3 && length >= 6)
            || (policy.applies(.macAddress) && (colons >= 5 || dashes >= 5))
            || (policy.applies(.location) && dots >= 2 && hasComma)
            || (policy.applies(.personalDetail) && mayHoldStreetAddress)
    }
}

/// Byte classes shared by the detectors.
enum ByteClass {
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    @inline(__always) static func isWord(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == UInt8(ascii: "_") }
    @inline(__always) static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20) &- 0x61 < 6 }
    @inline(__always) static func isBase64URL(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether `bytes[index...]` starts with `prefix`, ASCII case-insensitively when asked. No allocation.
    static func hasPrefix(_ bytes: [UInt8], at index: Int, _ prefix: StaticString, caseInsensitive: Bool = false) -> Bool {
        prefix.withUTF8Buffer { pattern in
            guard index >= 0, index + pattern.count <= bytes.count else { return false }
            for offset in 0..<pattern.count {
                let byte = bytes[index + offset]
                let expected = pattern[offset]
                if caseInsensitive && isLetter(byte) && isLetter(expected) {
                    if byte | 0x20 != expected | 0x20 { return false }
                } else if byte != expected {
                    return false
                }
            }
            return true
        }
    }

    /// The first index at or after `start` where `needle` occurs. No allocation.
    static func find(_ needle: StaticString, in bytes: [UInt8], from start: Int = 0) -> Int? {
        needle.withUTF8Buffer { pattern in
            guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
            var index = max(0, start)
            while index + pattern.count <= bytes.count {
                if bytes[index] == first {
                    var offset = 1
                    while offset < pattern.count && bytes[index + offset] == pattern[offset] { offset += 1 }
                    if offset == pattern.count { return index }
                }
                index += 1
            }
            return nil
        }
    }
}
