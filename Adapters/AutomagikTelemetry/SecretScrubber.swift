import Foundation
import TelemetryClickHouse
import TelemetryCore
import TelemetryPrivacy

/// Makes text the SDK prints about itself (diagnostics, `status`, CLI errors) safe to print: text
/// that came from a server may echo the request's headers, so the configured credentials, anything
/// shaped like a credential header, and everything the privacy rules recognise are removed; control
/// characters (terminal escapes) go too, and the text is cut short.
package struct SecretScrubber: Sendable {
    /// Longest first, so a value containing another is replaced whole.
    private let secrets: [String]
    private let sanitizer = PrivacySanitizer(policy: .default, salt: [])
    private let limit: Int

    /// Header names whose value is a credential wherever they appear in echoed text.
    static let credentialHeaders: [String] = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-clickhouse-key", "x-clickhouse-user",
        "x-api-key", "api-key", "x-auth-token", "x-access-token", "x-amz-security-token",
    ]

    /// A scrubber for `secrets`: values ignored when shorter than 3 characters (replacing every "a"
    /// would garble the message and hide nothing worth hiding).
    package init(secrets: [String], limit: Int = 300) {
        self.secrets = Array(Set(secrets.filter { $0.count >= 3 })).sorted { $0.count > $1.count }
        self.limit = limit
    }

    /// A scrubber for the credentials in `configuration`: header values, the ClickHouse password and
    /// the Basic credential built from it, and the privacy salt.
    package init(configuration: ResolvedConfiguration) {
        var secrets = Array(configuration.headers.values) + configuration.signalHeaders.values.flatMap(\.values)
        let house = configuration.clickhouse
        if !house.password.isEmpty {
            secrets.append(house.password)
            secrets.append(Data("\(house.username):\(house.password)".utf8).base64EncodedString())
        }
        if let salt = configuration.privacySalt { secrets.append(salt) }
        if let key = configuration.signingKey { secrets.append(key) }
        self.init(secrets: secrets)
    }

    /// `text` without credentials or control characters, at most `limit` characters (plus "…").
    ///
    /// Order matters: the configured secrets are looked for in the raw text, before anything else
    /// changes a byte of it (a filter that dropped `+` and `=` first turned an echoed base64 token into
    /// one no longer equal to the secret — review #22, finding 5); then credential headers, URL userinfo,
    /// the privacy rules, and last the characters that would steer a terminal or reorder the line.
    package func scrub(_ text: String) -> String {
        var clean = text
        for secret in secrets where clean.contains(secret) {
            clean = clean.replacing(secret, with: "<redacted>")
        }
        clean = Self.withoutCutSecret(clean, secrets: secrets)
        clean = clean.split(separator: "\n", omittingEmptySubsequences: false).map(Self.scrubHeaderLine).joined(separator: "\n")
        clean = HumanText.withoutUserinfo(clean)
        var counts = RedactionCounts()
        clean = sanitizer.sanitize(text: clean, counts: &counts)
        clean = HumanText.printable(clean, keepLineFeeds: false)
        return HumanText.bounded(clean, limit: limit)
    }

    /// Text cut short upstream (an error body's first bytes) can end in the first half of a secret: a
    /// tail of 4 or more characters that begins a configured secret goes too.
    private static func withoutCutSecret(_ text: String, secrets: [String]) -> String {
        for secret in secrets where secret.count > 4 {
            for length in stride(from: secret.count - 1, through: 4, by: -1) where text.hasSuffix(secret.prefix(length)) {
                return String(text.dropLast(length)) + "<redacted>"
            }
        }
        return text
    }

    /// `Authorization: Bearer x` (or `authorization=…`) keeps its name and loses the rest of the line.
    /// Every occurrence of each name is looked at: `authorization required; Authorization: Bearer x`
    /// loses its token too.
    private static func scrubHeaderLine(_ line: Substring) -> String {
        let lowered = line.lowercased()
        var cut: Int?
        for name in credentialHeaders {
            var searchStart = lowered.startIndex
            while let range = lowered.range(of: name, range: searchStart..<lowered.endIndex) {
                searchStart = range.upperBound
                let after = lowered[range.upperBound...].drop { $0 == " " || $0 == "\"" }
                guard let separator = after.first, separator == ":" || separator == "=" else { continue }
                let position = lowered.distance(from: lowered.startIndex, to: after.startIndex) + 1
                cut = min(cut ?? position, position)
                break
            }
        }
        guard let cut else { return String(line) }
        return String(line.prefix(cut)) + " <redacted>"
    }
}
