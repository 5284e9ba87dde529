/// Values that the key written before them makes sensitive, inside text: `key=value` and
/// `key = value` (query strings, log lines, connection strings), `"key": "value"` and `'key': 'value'`
/// (JSON and Python dicts in text), and `key: value` (YAML, HTTP headers). The key stays, so the text
/// still reads; the value goes as the same key would make it go from an attribute:
/// - a secret key (`password=…`, `Authorization: Bearer …`, `contraseña: …`) → `<redacted:secret>`; a
///   `Cookie:` or `Set-Cookie:` header loses its whole value, every pair of it;
/// - a personal detail (`first_name=Jane Roe`, `address: 1 Main St`, `zip=94105`) → `<redacted:personal>`,
///   and `name: Jane Roe` when the value is a person's name (capitalised words, none a product word);
/// - a position (`lat=48.85837`) → `<redacted:location>`;
/// - a user identifier (`user_id=42`, `customer_id: c-981`) → its salted pseudonym, as in attributes.
enum KeyedValues {
    private enum Kind {
        case secret, personalDetail, personName, location, userIdentifier
        /// `session=8f14e45f…`: a secret when the value is token-like (16+ characters), a word otherwise.
        case sessionToken

        var rule: PrivacyRule {
            switch self {
            case .secret, .sessionToken: .secretValue
            case .personalDetail, .personName: .personalDetail
            case .location: .location
            case .userIdentifier: .userIdentifier
            }
        }
    }

    static func matches(_ bytes: [UInt8], policy: PrivacyPolicy, hasher: SaltedHasher) -> [Match] {
        let classifier = KeyClassifier(policy: policy)
        var matches: [Match] = []
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "=") || byte == UInt8(ascii: ":") {
            if byte == UInt8(ascii: ":"), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "/"), bytes[index + 2] == UInt8(ascii: "/") {
                continue  // a URL scheme
            }
            guard let (key, keyStart, quote) = Self.key(before: index, in: bytes, separator: byte),
                let kind = Self.kind(of: key, keyStart: keyStart, quote: quote, in: bytes, classifier: classifier),
                policy.applies(kind.rule),
                let value = Self.value(after: index, in: bytes, kind: kind, key: key.lowercased(), separator: byte)
            else { continue }
            switch kind {
            case .secret, .sessionToken: matches.append(Match(value, SecretDetectors.replacement, .secretValue))
            case .personalDetail, .personName: matches.append(Match(value, "<redacted:personal>", .personalDetail))
            case .location: matches.append(Match(value, "<redacted:location>", .location))
            case .userIdentifier:
                matches.append(Match(value, hasher.pseudonym(String(decoding: bytes[value], as: UTF8.self)), .userIdentifier))
            }
        }
        return matches
    }

    /// The key that ends at `separator` (spaces and a closing quote allowed before it), its start and quote.
    private static func key(before index: Int, in bytes: [UInt8], separator: UInt8) -> (String, Int, UInt8?)? {
        var keyEnd = index
        while keyEnd > 0 && bytes[keyEnd - 1] == 0x20 { keyEnd -= 1 }
        var quote: UInt8?
        if keyEnd > 0 && (bytes[keyEnd - 1] == UInt8(ascii: "\"") || bytes[keyEnd - 1] == UInt8(ascii: "'")) {
            quote = bytes[keyEnd - 1]
            keyEnd -= 1
        }
        var keyStart = keyEnd
        // Bytes above 0x7F belong to the key (`contraseña:`, `пароль=`), and so do JSON's `\uXXXX`
        // escapes of them (`contrase\u00f1a:`).
        while keyStart > 0 {
            let previous = bytes[keyStart - 1]
            let inKey =
                ByteClass.isWord(previous) || previous == UInt8(ascii: "-") || previous == UInt8(ascii: ".") || previous >= 0x80
                || (previous == UInt8(ascii: "\\") && keyStart + 4 < keyEnd && bytes[keyStart] == UInt8(ascii: "u"))
            guard inKey else { break }
            keyStart -= 1
        }
        guard keyStart < keyEnd else { return nil }
        if let quote, keyStart == 0 || bytes[keyStart - 1] != quote { return nil }
        // An unquoted `key:` must start a line or follow a separator: times (10:30), ports and
        // `scheme:` prefixes are left alone (their "keys" never name anything sensitive anyway).
        if separator == UInt8(ascii: ":"), quote == nil, keyStart > 0 {
            let before = bytes[keyStart - 1]
            guard
                ByteClass.isSpace(before) || before == UInt8(ascii: "{") || before == UInt8(ascii: ",")
                    || before == UInt8(ascii: ";") || before == UInt8(ascii: "(") || before == UInt8(ascii: "\"")
                    || before == UInt8(ascii: "'") || before == UInt8(ascii: "=") || before == UInt8(ascii: "&")
                    || before == UInt8(ascii: "?")
            else { return nil }
        }
        return (decodingUnicodeEscapes(bytes[keyStart..<keyEnd]), keyStart, quote)
    }

    private static func kind(of key: String, keyStart: Int, quote: UInt8?, in bytes: [UInt8], classifier: KeyClassifier) -> Kind? {
        let lowered = key.lowercased()
        switch classifier.classify(key) {
        case .secret: return .secret
        case .personalDetail: return .personalDetail
        case .location: return .location
        // Words that are also log vocabulary (`login: ok`, `user: unknown`) name no identifier in text.
        case .userIdentifier where !ambiguousIdentifierKeys.contains(lowered): return .userIdentifier
        default:
            let inQuery = keyStart > 0 && (bytes[keyStart - 1] == UInt8(ascii: "?") || bytes[keyStart - 1] == UInt8(ascii: "&"))
            if connectionStringSecrets.contains(lowered) || (inQuery && quote == nil && queryParameterSecrets.contains(lowered)) {
                return .secret
            }
            if lowered == "session" { return .sessionToken }
            return lowered == "name" || lowered == "full name" ? .personName : nil
        }
    }

    /// The value's range, or nil when there is none (or, for a user identifier, when another rule owns
    /// it: an e-mail address is the e-mail rule's).
    private static func value(after separatorIndex: Int, in bytes: [UInt8], kind: Kind, key: String, separator: UInt8) -> Range<Int>? {
        var valueStart = separatorIndex + 1
        while valueStart < bytes.count && bytes[valueStart] == 0x20 { valueStart += 1 }
        if kind == .secret {
            // `Authorization: Bearer …` keeps its scheme, as the scheme detector does.
            for scheme: StaticString in ["bearer ", "basic ", "token ", "digest "]
            where ByteClass.hasPrefix(bytes, at: valueStart, scheme, caseInsensitive: true) {
                valueStart += scheme.utf8CodeUnitCount
                break
            }
        }
        guard valueStart < bytes.count, !isPlaceholder(at: valueStart, in: bytes) else { return nil }
        var valueEnd = valueStart
        // A value quoted with escaped quotes (`\"…\"`, JSON inside a JSON string) ends at the next `\"`.
        let escapedQuote =
            valueStart + 1 < bytes.count && bytes[valueStart] == UInt8(ascii: "\\")
            && (bytes[valueStart + 1] == UInt8(ascii: "\"") || bytes[valueStart + 1] == UInt8(ascii: "'"))
        if escapedQuote {
            let closing = bytes[valueStart + 1]
            valueStart += 2
            valueEnd = valueStart
            while valueEnd < bytes.count
                && !(bytes[valueEnd] == UInt8(ascii: "\\") && valueEnd + 1 < bytes.count && bytes[valueEnd + 1] == closing)
            {
                valueEnd += 1
            }
        } else if bytes[valueStart] == UInt8(ascii: "\"") || bytes[valueStart] == UInt8(ascii: "'") {
            let closing = bytes[valueStart]
            valueStart += 1
            valueEnd = valueStart
            while valueEnd < bytes.count && bytes[valueEnd] != closing {
                valueEnd += bytes[valueEnd] == UInt8(ascii: "\\") ? 2 : 1
            }
            valueEnd = min(valueEnd, bytes.count)
        } else if kind == .secret && separator == UInt8(ascii: ":") && (key == "cookie" || key == "set-cookie") {
            while valueEnd < bytes.count && bytes[valueEnd] != 0x0A && bytes[valueEnd] != 0x0D { valueEnd += 1 }
        } else {
            valueEnd = tokenEnd(from: valueStart, in: bytes)
            switch kind {
            case .secret: valueEnd = numberGroupsEnd(from: valueStart, to: valueEnd, in: bytes)
            case .personalDetail: valueEnd = phraseEnd(from: valueStart, to: valueEnd, in: bytes)
            case .personName:
                guard let end = personNameEnd(from: valueStart, in: bytes) else { return nil }
                valueEnd = end
            case .location, .userIdentifier: break
            case .sessionToken:
                guard valueEnd - valueStart >= 16,
                    bytes[valueStart..<valueEnd].allSatisfy({ ByteClass.isWord($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
                else { return nil }
            }
        }
        guard valueEnd > valueStart else { return nil }
        // Quoted or not, `name` holds a person's name only when the whole value is one.
        if kind == .personName, personNameEnd(from: valueStart, in: bytes) != valueEnd { return nil }
        if kind == .userIdentifier && isEmailAddress(bytes[valueStart..<valueEnd]) { return nil }
        // A position is numbers (`48.85837`, a geohash's digits): `gps: on` says nothing of where.
        if kind == .location && !bytes[valueStart..<valueEnd].contains(where: ByteClass.isDigit) { return nil }
        return valueStart..<valueEnd
    }

    /// `jane@example.com`, also percent-encoded (`jane%40example.com`): the e-mail rule's to treat.
    private static func isEmailAddress(_ value: ArraySlice<UInt8>) -> Bool {
        value.contains(UInt8(ascii: "@")) || String(decoding: value, as: UTF8.self).lowercased().contains("%40")
    }

    /// `<redacted:email>`, `<ip:…>`: what an earlier rule already put there.
    private static func isPlaceholder(at index: Int, in bytes: [UInt8]) -> Bool {
        guard bytes[index] == UInt8(ascii: "<") else { return false }
        var cursor = index + 1
        while cursor < bytes.count, cursor - index <= 9, ByteClass.isLetter(bytes[cursor]), !ByteClass.isUpper(bytes[cursor]) { cursor += 1 }
        return cursor > index + 1 && cursor < bytes.count && bytes[cursor] == UInt8(ascii: ":")
    }

    private static func tokenEnd(from start: Int, in bytes: [UInt8]) -> Int {
        var end = start
        while end < bytes.count {
            let next = bytes[end]
            if ByteClass.isSpace(next) || next == UInt8(ascii: "&") || next == UInt8(ascii: "#") || next == UInt8(ascii: ",")
                || next == UInt8(ascii: ";") || next == UInt8(ascii: "\"") || next == UInt8(ascii: "'")
                || next == UInt8(ascii: ")") || next == UInt8(ascii: "}")
            {
                break
            }
            end += 1
        }
        return end
    }

    /// A number written in groups (`ssn: 123 45 6789`, `pin: 12 34`, `IBAN: DE89 3704 0044 …`) is one
    /// value: ending it at the first space left the rest of the number in the text. Groups are capitals,
    /// digits and dashes with a digit in each, so `password: Tr0ub4dor is mine` ends at `is`.
    private static func numberGroupsEnd(from start: Int, to end: Int, in bytes: [UInt8]) -> Int {
        func isGroupByte(_ byte: UInt8) -> Bool { ByteClass.isDigit(byte) || ByteClass.isUpper(byte) || byte == UInt8(ascii: "-") }
        guard end > start, bytes[start..<end].allSatisfy(isGroupByte), bytes[start..<end].contains(where: ByteClass.isDigit) else {
            return end
        }
        var end = end
        while end + 1 < bytes.count, bytes[end] == 0x20, isGroupByte(bytes[end + 1]) {
            var groupEnd = end + 1
            while groupEnd < bytes.count, isGroupByte(bytes[groupEnd]) { groupEnd += 1 }
            guard groupEnd == bytes.count || !ByteClass.isLetter(bytes[groupEnd]),
                bytes[(end + 1)..<groupEnd].contains(where: ByteClass.isDigit)
            else { break }
            end = groupEnd
        }
        return end
    }

    /// A personal detail runs over the capitalised or numeric words that follow (`Jane Roe`, `1 Main St`),
    /// up to six, to the next `,`/`;`/`&`/line end or `key=`/`key:`: a name or an address is rarely one
    /// word, and the lower-case prose after it (`zip=94105 ok`) is not part of it.
    private static func phraseEnd(from start: Int, to end: Int, in bytes: [UInt8]) -> Int {
        var end = end
        var words = 1
        while words < 6, end + 1 < bytes.count, bytes[end] == 0x20, !ByteClass.isSpace(bytes[end + 1]) {
            let next = tokenEnd(from: end + 1, in: bytes)
            guard next > end + 1, ByteClass.isUpper(bytes[end + 1]) || ByteClass.isDigit(bytes[end + 1]),
                !bytes[(end + 1)..<next].contains(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") })
            else { break }
            end = next
            words += 1
        }
        return end
    }

    /// `Jane Roe`, `Mary-Ann O'Neil`: two or three capitalised words of letters, none a word products and
    /// screens are named with (`name: Settings Page` is a screen, not a person).
    private static func personNameEnd(from start: Int, in bytes: [UInt8]) -> Int? {
        let words = NameWords.ranges(in: bytes, from: start)
        guard words.count >= 2, let last = words.last,
            !words.contains(where: { productWords.contains(String(decoding: bytes[$0], as: UTF8.self)) })
        else { return nil }
        return last.upperBound
    }

    /// Words that name screens, features and plans rather than people.
    private static let productWords: Set<String> = [
        "Page", "Settings", "Button", "Screen", "View", "Menu", "Tab", "Dialog", "Report", "Export", "Import", "File",
        "New", "Home", "Main", "Default", "Test", "Demo", "Sample", "Example", "User", "Admin", "Service", "Server",
        "Client", "App", "Application", "Feature", "Event", "Error", "Task", "Job", "Project", "Team", "Group",
        "Account", "Order", "Item", "Product", "Plan", "Free", "Pro", "Premium", "Basic", "Standard", "Data", "Table",
        "List", "Dashboard", "Search", "Profile", "Login", "Logout", "Sign", "Up", "In", "Out", "Open", "Close", "Save",
        "Delete", "Edit", "Add", "Remove", "Create", "Update", "Cache", "Queue", "Worker", "Sync", "Upload", "Download",
        "Checkout", "Cart", "Payment", "Billing", "Invoice", "Welcome", "Onboarding", "Tutorial", "Help", "About",
    ]

    /// User-identifier keys that are also log vocabulary.
    private static let ambiguousIdentifierKeys: Set<String> = ["user", "login", "customer", "user login"]

    /// Keys of connection strings (`…;AccountKey=…;`) that hold the credential under a name the key
    /// classifier would not call secret on its own.
    static let connectionStringSecrets: Set<String> = [
        "accountkey", "sharedaccesskey", "sharedaccesssignature", "sharedsecret", "clientsecret", "password", "pwd",
        // Session cookies by their usual names.
        "jsessionid", "phpsessid", "sessid", "sid", "connect.sid", "asp.net_sessionid",
    ]

    /// `contrase\u00f1a` → `contraseña`: a key as the text means it, whether JSON escaped it or not.
    private static func decodingUnicodeEscapes(_ key: ArraySlice<UInt8>) -> String {
        guard key.contains(UInt8(ascii: "\\")) else { return String(decoding: key, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var index = key.startIndex
        while index < key.endIndex {
            if key[index] == UInt8(ascii: "\\"), index + 5 < key.endIndex, key[index + 1] == UInt8(ascii: "u"),
                let value = UInt32(String(decoding: key[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(value)
            {
                scalars.append(scalar)
                index += 6
            } else {
                let end = key[index...].firstIndex(of: UInt8(ascii: "\\")).map { $0 == index ? index + 1 : $0 } ?? key.endIndex
                scalars.append(contentsOf: String(decoding: key[index..<end], as: UTF8.self).unicodeScalars)
                index = end
            }
        }
        return String(scalars)
    }

    /// Query parameter names (after `?` or `&`) that carry credentials although no secret word is in them.
    static let queryParameterSecrets: Set<String> = [
        "key", "sig", "code", "apikey", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "access_key",
        "pass", "pw", "pword",
    ]
}
