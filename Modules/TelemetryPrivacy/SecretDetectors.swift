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
}
