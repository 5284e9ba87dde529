/// Credentials recognised by their shape alone: vendor prefixes (`sk_live_`, `ghp_`, `AKIA`, …, the
/// formats gitleaks and the vendors document), and the few formats without one — AWS secret access keys,
/// Telegram bot tokens, Discord bot tokens, Mailchimp keys. Every match becomes `<redacted:secret>`.
enum VendorKeys {
    private struct VendorPrefix {
        let prefix: StaticString
        let minimumTail: Int
        let exactTail: Int?
        let allowsUnderscore: Bool
        let allowsDash: Bool
        let upperOnly: Bool
        var allowsDot = false
    }

    private static let vendorPrefixes: [VendorPrefix] = [
        // Stripe
        .init(prefix: "sk_live_", minimumTail: 8, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "sk_test_", minimumTail: 8, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "pk_live_", minimumTail: 8, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "pk_test_", minimumTail: 8, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "rk_live_", minimumTail: 8, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "rk_test_", minimumTail: 8, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "whsec_", minimumTail: 8, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        // OpenAI, Anthropic and similar `sk-…` keys
        .init(prefix: "sk-", minimumTail: 20, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        // GitHub
        .init(prefix: "ghp_", minimumTail: 20, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "gho_", minimumTail: 20, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "ghu_", minimumTail: 20, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "ghs_", minimumTail: 20, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "ghr_", minimumTail: 20, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "github_pat_", minimumTail: 20, exactTail: nil, allowsUnderscore: true, allowsDash: false, upperOnly: false),
        // GitLab, npm
        .init(prefix: "glpat-", minimumTail: 20, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "npm_", minimumTail: 30, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        // Slack
        .init(prefix: "xoxb-", minimumTail: 10, exactTail: nil, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        .init(prefix: "xoxp-", minimumTail: 10, exactTail: nil, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        .init(prefix: "xoxa-", minimumTail: 10, exactTail: nil, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        .init(prefix: "xoxr-", minimumTail: 10, exactTail: nil, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        .init(prefix: "xoxs-", minimumTail: 10, exactTail: nil, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        .init(prefix: "xoxe-", minimumTail: 10, exactTail: nil, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        // AWS access key ids, Google API keys
        .init(prefix: "AKIA", minimumTail: 16, exactTail: 16, allowsUnderscore: false, allowsDash: false, upperOnly: true),
        .init(prefix: "ASIA", minimumTail: 16, exactTail: 16, allowsUnderscore: false, allowsDash: false, upperOnly: true),
        .init(prefix: "AIza", minimumTail: 35, exactTail: 35, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        // Shopify, PyPI, Square, Hugging Face, DigitalOcean, age
        .init(prefix: "shpat_", minimumTail: 32, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "shpss_", minimumTail: 32, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "shpca_", minimumTail: 32, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "pypi-", minimumTail: 50, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "sq0atp-", minimumTail: 22, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "sq0csp-", minimumTail: 40, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "hf_", minimumTail: 34, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "dop_v1_", minimumTail: 64, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "AGE-SECRET-KEY-1", minimumTail: 50, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: true),
        // Google OAuth access tokens and refresh tokens
        .init(prefix: "ya29.", minimumTail: 20, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        // SendGrid: SG.<22>.<43>
        .init(prefix: "SG.", minimumTail: 60, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false, allowsDot: true),
        .init(prefix: "1//0", minimumTail: 20, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        // Twilio API key secrets (SK + 32 hex) and Mailgun keys
        .init(prefix: "SK", minimumTail: 32, exactTail: 32, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "key-", minimumTail: 32, exactTail: 32, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        // GitLab runner, trigger and deploy tokens; Slack app-level and refresh-rotated tokens
        .init(prefix: "glptt-", minimumTail: 20, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "glrt-", minimumTail: 20, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "gldt-", minimumTail: 20, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "xapp-", minimumTail: 20, exactTail: nil, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        .init(prefix: "xoxe.xox", minimumTail: 20, exactTail: nil, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        // Atlassian, New Relic, Doppler, Linear, Notion, Groq, Replicate, HashiCorp Vault, HubSpot,
        // JFrog Artifactory, Facebook's Graph explorer tokens
        .init(prefix: "ATATT3", minimumTail: 30, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "NRAK-", minimumTail: 27, exactTail: 27, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "NRII-", minimumTail: 32, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "dp.st.", minimumTail: 40, exactTail: nil, allowsUnderscore: true, allowsDash: false, upperOnly: false, allowsDot: true),
        .init(prefix: "dp.pt.", minimumTail: 40, exactTail: nil, allowsUnderscore: true, allowsDash: false, upperOnly: false, allowsDot: true),
        .init(prefix: "dp.ct.", minimumTail: 40, exactTail: nil, allowsUnderscore: true, allowsDash: false, upperOnly: false, allowsDot: true),
        .init(prefix: "dp.sa.", minimumTail: 40, exactTail: nil, allowsUnderscore: true, allowsDash: false, upperOnly: false, allowsDot: true),
        .init(prefix: "lin_api_", minimumTail: 40, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "secret_", minimumTail: 43, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "ntn_", minimumTail: 40, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "gsk_", minimumTail: 40, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "r8_", minimumTail: 30, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "hvs.", minimumTail: 24, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "hvb.", minimumTail: 24, exactTail: nil, allowsUnderscore: true, allowsDash: true, upperOnly: false),
        .init(prefix: "pat-na1-", minimumTail: 36, exactTail: 36, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        .init(prefix: "pat-eu1-", minimumTail: 36, exactTail: 36, allowsUnderscore: false, allowsDash: true, upperOnly: false),
        .init(prefix: "AKCp", minimumTail: 60, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
        .init(prefix: "EAACEdEose0cBA", minimumTail: 20, exactTail: nil, allowsUnderscore: false, allowsDash: false, upperOnly: false),
    ]

    /// The prefixes by their first byte: most positions of a text start no prefix, and those that do
    /// are checked against a handful instead of all of them.
    private static let prefixesByFirstByte: [[VendorPrefix]] = {
        var table = [[VendorPrefix]](repeating: [], count: 256)
        for vendor in vendorPrefixes {
            let first = vendor.prefix.withUTF8Buffer { $0[0] }
            table[Int(first)].append(vendor)
        }
        return table
    }()

    /// Well-known vendor key formats, matched as whole words.
    static func prefixed(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard index == 0 || !ByteClass.isWord(bytes[index - 1]),
                ByteClass.isLetter(byte) || byte == UInt8(ascii: "1")
            else {
                index += 1
                continue
            }
            var matched = false
            for vendor in prefixesByFirstByte[Int(byte)] where ByteClass.hasPrefix(bytes, at: index, vendor.prefix) {
                var cursor = index + vendor.prefix.utf8CodeUnitCount
                let tailStart = cursor
                while cursor < bytes.count {
                    let next = bytes[cursor]
                    let allowed =
                        vendor.upperOnly
                        ? (ByteClass.isUpper(next) || ByteClass.isDigit(next))
                        : (ByteClass.isAlphanumeric(next) || (vendor.allowsUnderscore && next == UInt8(ascii: "_"))
                            || (vendor.allowsDash && next == UInt8(ascii: "-")) || (vendor.allowsDot && next == UInt8(ascii: ".")))
                    guard allowed else { break }
                    cursor += 1
                }
                let tail = cursor - tailStart
                let boundaryOK = cursor == bytes.count || !ByteClass.isAlphanumeric(bytes[cursor])
                let lengthOK = vendor.exactTail.map { tail == $0 } ?? (tail >= vendor.minimumTail)
                if lengthOK && boundaryOK {
                    matches.append(Match(index..<cursor, SecretDetectors.replacement, .secretValue))
                    index = cursor
                    matched = true
                    break
                }
            }
            if !matched { index += 1 }
        }
        return matches
    }

    /// An AWS secret access key without its label (`AKIA…:wJalrXUtnFEMI/K7MDENG/…`): exactly 40 base64
    /// characters between non-base64 ones, with capitals, small letters and digits mixed as random keys
    /// mix them. What the shape must not take: hex digests (one case only), paths (more than three
    /// slashes, or one at an end), and identifiers or words (a run of seven small letters; a random key
    /// has one with probability ~0.4 %, so a few keys in a thousand are missed rather than every
    /// 40-letter camel-case name being removed).
    static func awsSecretAccessKeys(_ bytes: [UInt8]) -> [Match] {
        func isBase64(_ byte: UInt8) -> Bool {
            ByteClass.isAlphanumeric(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "+")
        }
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            guard isBase64(bytes[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, isBase64(bytes[end]) { end += 1 }
            defer { index = end }
            // A `=` after it is base64 padding: a longer blob, not a key.
            guard end - index == 40, end == bytes.count || bytes[end] != UInt8(ascii: "=") else { continue }
            var upper = 0
            var lower = 0
            var digits = 0
            var slashes = 0
            var lowerRun = 0
            var longestLowerRun = 0
            for byte in bytes[index..<end] {
                if ByteClass.isUpper(byte) {
                    upper += 1
                } else if ByteClass.isDigit(byte) {
                    digits += 1
                } else if ByteClass.isLetter(byte) {
                    lower += 1
                } else if byte == UInt8(ascii: "/") {
                    slashes += 1
                }
                lowerRun = ByteClass.isLetter(byte) && !ByteClass.isUpper(byte) ? lowerRun + 1 : 0
                longestLowerRun = max(longestLowerRun, lowerRun)
            }
            guard upper >= 5, lower >= 5, digits >= 1, slashes <= 3, longestLowerRun < 7,
                bytes[index] != UInt8(ascii: "/"), bytes[end - 1] != UInt8(ascii: "/")
            else { continue }
            matches.append(Match(index..<end, SecretDetectors.replacement, .secretValue))
        }
        return matches
    }

    /// `123456789:AA…` (a Telegram bot token): the bot's 6–12 digit id, `:AA` and 31–34 more token
    /// characters (`bot` may precede it, as in the API's URLs).
    static func telegramBotTokens(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while let colon = ByteClass.find(":AA", in: bytes, from: index) {
            index = colon + 1
            var start = colon
            while start > 0, ByteClass.isDigit(bytes[start - 1]), colon - start <= 12 { start -= 1 }
            // A word boundary before the id, or the API's URL path: `…/bot123456789:AA…`.
            let boundary =
                start == 0 || !ByteClass.isAlphanumeric(bytes[start - 1])
                || (start >= 3 && bytes[(start - 3)..<start].elementsEqual("bot".utf8))
            guard (6...12).contains(colon - start), boundary else { continue }
            var end = colon + 1
            while end < bytes.count, ByteClass.isWord(bytes[end]) || bytes[end] == UInt8(ascii: "-") { end += 1 }
            guard (33...36).contains(end - colon - 1) else { continue }
            matches.append(Match(start..<end, SecretDetectors.replacement, .secretValue))
            index = end
        }
        return matches
    }

    /// `MTA4….GxYzAb.…` (a Discord bot token): base64 of the bot's id (24–28 characters, starting `M`,
    /// `N` or `O`), a dot, 6 characters, a dot, 27 or more.
    static func discordBotTokens(_ bytes: [UInt8]) -> [Match] {
        func isToken(_ byte: UInt8) -> Bool { ByteClass.isWord(byte) || byte == UInt8(ascii: "-") }
        var matches: [Match] = []
        var index = 0
        while index < bytes.count {
            let first = bytes[index]
            guard first == UInt8(ascii: "M") || first == UInt8(ascii: "N") || first == UInt8(ascii: "O"),
                index == 0 || !isToken(bytes[index - 1])
            else {
                index += 1
                continue
            }
            var parts: [Int] = []
            var cursor = index
            var partStart = index
            while cursor < bytes.count, isToken(bytes[cursor]) || bytes[cursor] == UInt8(ascii: ".") {
                if bytes[cursor] == UInt8(ascii: ".") {
                    parts.append(cursor - partStart)
                    partStart = cursor + 1
                }
                cursor += 1
            }
            parts.append(cursor - partStart)
            if parts.count == 3, (24...28).contains(parts[0]), parts[1] == 6, parts[2] >= 27 {
                matches.append(Match(index..<cursor, SecretDetectors.replacement, .secretValue))
            }
            index = max(cursor, index + 1)
        }
        return matches
    }

    /// `0123…cdef-us12` (a Mailchimp API key): 32 hex digits, `-us` and its data centre number.
    static func mailchimpKeys(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var index = 0
        while let dash = ByteClass.find("-us", in: bytes, from: index) {
            index = dash + 1
            guard dash >= 32, dash == 32 || !ByteClass.isAlphanumeric(bytes[dash - 33]),
                bytes[(dash - 32)..<dash].allSatisfy(ByteClass.isHex)
            else { continue }
            var end = dash + 3
            while end < bytes.count, ByteClass.isDigit(bytes[end]), end - dash < 6 { end += 1 }
            guard end > dash + 3, end == bytes.count || !ByteClass.isAlphanumeric(bytes[end]) else { continue }
            matches.append(Match((dash - 32)..<end, SecretDetectors.replacement, .secretValue))
            index = end
        }
        return matches
    }
}
