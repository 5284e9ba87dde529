/// Detectors for credentials inside text. Every match is removed entirely (`<redacted:secret>`).
enum SecretDetectors {
    static let replacement = "<redacted:secret>"

    /// `-----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----`, or to the end if unterminated.
    static func pemBlocks(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var start = 0
        while let begin = ByteClass.find("-----BEGIN ", in: bytes, from: start) {
            guard let headerEnd = ByteClass.find("-----", in: bytes, from: begin + 11) else { break }
            let header = String(decoding: bytes[begin..<headerEnd], as: UTF8.self)
            // RSA/EC/PKCS#8 (`… PRIVATE KEY`), OpenSSH, encrypted keys and PGP (`PGP PRIVATE KEY BLOCK`).
            guard header.contains("PRIVATE KEY") else {
                start = headerEnd + 5
                continue
            }
            var end = bytes.count
            if let footer = ByteClass.find("-----END ", in: bytes, from: headerEnd + 5),
                let footerEnd = ByteClass.find("-----", in: bytes, from: footer + 9)
            {
                end = footerEnd + 5
            }
            matches.append(Match(begin..<end, replacement, .secretValue))
            start = end
        }
        return matches
    }

    /// `eyJ…` header, payload and signature segments of a JSON Web Token.
    static func jsonWebTokens(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while let start = ByteClass.find("eyJ", in: bytes, from: index) {
            index = start + 3
            if start > 0 && ByteClass.isBase64URL(bytes[start - 1]) { continue }
            var cursor = start
            var segments = 0
            var segmentLengths: [Int] = []
            while segments < 3 {
                let segmentStart = cursor
                while cursor < bytes.count && ByteClass.isBase64URL(bytes[cursor]) { cursor += 1 }
                segmentLengths.append(cursor - segmentStart)
                segments += 1
                if segments < 3 {
                    guard cursor < bytes.count && bytes[cursor] == UInt8(ascii: ".") else { break }
                    cursor += 1
                }
            }
            guard segments == 3, segmentLengths.count == 3, segmentLengths[0] >= 10, segmentLengths[1] >= 2 else { continue }
            matches.append(Match(start..<cursor, replacement, .secretValue))
            index = cursor
        }
        return matches
    }

    /// `Bearer <token>`, `Basic <credentials>`, `Token <token>`: the scheme stays, the credential goes.
    static func authorizationSchemes(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        let schemes: [StaticString] = ["bearer ", "basic ", "token "]
        for scheme in schemes {
            var index = 0
            while index < bytes.count {
                guard ByteClass.hasPrefix(bytes, at: index, scheme, caseInsensitive: true),
                    index == 0 || !ByteClass.isWord(bytes[index - 1])
                else {
                    index += 1
                    continue
                }
                var cursor = index + scheme.utf8CodeUnitCount
                while cursor < bytes.count && bytes[cursor] == 0x20 { cursor += 1 }
                let tokenStart = cursor
                while cursor < bytes.count, ByteClass.isBase64URL(bytes[cursor]) || [0x2E, 0x7E, 0x2B, 0x2F, 0x3D].contains(bytes[cursor]) {
                    cursor += 1
                }
                if cursor - tokenStart >= 8 {
                    matches.append(Match(tokenStart..<cursor, replacement, .secretValue))
                }
                index = max(cursor, index + 1)
            }
        }
        return matches
    }

    /// Hosts and paths of webhook URLs whose path is the credential: whoever has the URL can post.
    private static let webhookPrefixes: [StaticString] = [
        "hooks.slack.com/services/", "hooks.slack.com/workflows/", "discord.com/api/webhooks/",
        "discordapp.com/api/webhooks/", ".webhook.office.com/webhookb2/", "chat.googleapis.com/v1/spaces/",
    ]

    /// Slack, Discord, Microsoft Teams and Google Chat webhook URLs: the host stays, the secret path goes.
    static func webhookURLs(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        for prefix in webhookPrefixes {
            var index = 0
            while let start = ByteClass.find(prefix, in: bytes, from: index) {
                let pathStart = start + prefix.utf8CodeUnitCount
                var cursor = pathStart
                while cursor < bytes.count, !ByteClass.isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: "\""),
                    bytes[cursor] != UInt8(ascii: "'"), bytes[cursor] != UInt8(ascii: ">")
                {
                    cursor += 1
                }
                if cursor > pathStart { matches.append(Match(pathStart..<cursor, replacement, .secretValue)) }
                index = max(cursor, pathStart)
            }
        }
        return matches.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// `scheme://user:password@host` (and long token-only user parts): the user information goes.
    static func urlCredentials(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while let separator = ByteClass.find("://", in: bytes, from: index) {
            let start = separator + 3
            var cursor = start
            var sawColon = false
            while cursor < bytes.count {
                let byte = bytes[cursor]
                if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "@")
                    || ByteClass.isSpace(byte) || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
                {
                    break
                }
                if byte == UInt8(ascii: ":") { sawColon = true }
                cursor += 1
            }
            if cursor < bytes.count && bytes[cursor] == UInt8(ascii: "@") && cursor > start && (sawColon || cursor - start >= 20) {
                matches.append(Match(start..<cursor, "<redacted:credentials>", .secretValue))
            }
            index = max(cursor, start)
        }
        return matches
    }

    /// `key=value` and `key = value` (query strings, log lines, connection strings), `"key": "value"`
    /// and `'key': 'value'` (JSON and Python dicts in text), and `key: value` (YAML, HTTP headers) where
    /// the key names a secret: the value goes, the key stays so the text still reads. A `Cookie:` or
    /// `Set-Cookie:` header loses its whole value, every pair of it.
    static func keyValueSecrets(_ bytes: [UInt8], classifier: KeyClassifier) -> [Match] {
        var matches: [Match] = []
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "=") || byte == UInt8(ascii: ":") {
            if byte == UInt8(ascii: ":"), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "/"), bytes[index + 2] == UInt8(ascii: "/") {
                continue  // a URL scheme
            }
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
            guard keyStart < keyEnd else { continue }
            if let quote, keyStart == 0 || bytes[keyStart - 1] != quote { continue }
            let key = Self.decodingUnicodeEscapes(bytes[keyStart..<keyEnd])
            let lowered = key.lowercased()
            // An unquoted `key:` must start a line or follow a separator: times (10:30), ports and
            // `scheme:` prefixes are left alone (their "keys" never name a secret anyway).
            if byte == UInt8(ascii: ":"), quote == nil, keyStart > 0 {
                let before = bytes[keyStart - 1]
                guard
                    ByteClass.isSpace(before) || before == UInt8(ascii: "{") || before == UInt8(ascii: ",")
                        || before == UInt8(ascii: ";") || before == UInt8(ascii: "(") || before == UInt8(ascii: "\"")
                        || before == UInt8(ascii: "'") || before == UInt8(ascii: "=")
                else { continue }
            }
            let namesSecret = classifier.classify(key) == .secret || connectionStringSecrets.contains(lowered)
            let inQuery = keyStart > 0 && (bytes[keyStart - 1] == UInt8(ascii: "?") || bytes[keyStart - 1] == UInt8(ascii: "&"))
            guard namesSecret || (inQuery && quote == nil && queryParameterSecrets.contains(lowered)) else { continue }
            var valueStart = index + 1
            while valueStart < bytes.count && bytes[valueStart] == 0x20 { valueStart += 1 }
            // `Authorization: Bearer …` keeps its scheme, as the scheme detector does.
            for scheme: StaticString in ["bearer ", "basic ", "token ", "digest "]
            where ByteClass.hasPrefix(bytes, at: valueStart, scheme, caseInsensitive: true) {
                valueStart += scheme.utf8CodeUnitCount
                break
            }
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
            } else if valueStart < bytes.count && (bytes[valueStart] == UInt8(ascii: "\"") || bytes[valueStart] == UInt8(ascii: "'")) {
                let closing = bytes[valueStart]
                valueStart += 1
                valueEnd = valueStart
                while valueEnd < bytes.count && bytes[valueEnd] != closing {
                    valueEnd += bytes[valueEnd] == UInt8(ascii: "\\") ? 2 : 1
                }
                valueEnd = min(valueEnd, bytes.count)
            } else if byte == UInt8(ascii: ":") && (lowered == "cookie" || lowered == "set-cookie") {
                while valueEnd < bytes.count && bytes[valueEnd] != 0x0A && bytes[valueEnd] != 0x0D { valueEnd += 1 }
            } else {
                while valueEnd < bytes.count {
                    let next = bytes[valueEnd]
                    if ByteClass.isSpace(next) || next == UInt8(ascii: "&") || next == UInt8(ascii: "#") || next == UInt8(ascii: ",")
                        || next == UInt8(ascii: ";") || next == UInt8(ascii: "\"") || next == UInt8(ascii: "'")
                        || next == UInt8(ascii: ")") || next == UInt8(ascii: "}")
                    {
                        break
                    }
                    valueEnd += 1
                }
                // A number written in groups (`ssn: 123 45 6789`, `pin: 12 34`) is one value: ending it
                // at the first space left the rest of the number in the text.
                if valueEnd > valueStart, bytes[valueStart..<valueEnd].allSatisfy({ ByteClass.isDigit($0) || $0 == UInt8(ascii: "-") }) {
                    while valueEnd + 1 < bytes.count, bytes[valueEnd] == 0x20, ByteClass.isDigit(bytes[valueEnd + 1]) {
                        var groupEnd = valueEnd + 1
                        while groupEnd < bytes.count, ByteClass.isDigit(bytes[groupEnd]) || bytes[groupEnd] == UInt8(ascii: "-") {
                            groupEnd += 1
                        }
                        guard groupEnd == bytes.count || !ByteClass.isLetter(bytes[groupEnd]) else { break }
                        valueEnd = groupEnd
                    }
                }
            }
            if valueEnd > valueStart {
                matches.append(Match(valueStart..<valueEnd, replacement, .secretValue))
            }
        }
        return matches
    }

    /// Keys of connection strings (`…;AccountKey=…;`) that hold the credential under a name the key
    /// classifier would not call secret on its own.
    static let connectionStringSecrets: Set<String> = [
        "accountkey", "sharedaccesskey", "sharedaccesssignature", "sharedsecret", "clientsecret", "password", "pwd",
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
