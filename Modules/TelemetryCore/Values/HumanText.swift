/// The last steps before text reaches a human (diagnostics, `status`, CLI output, error messages):
/// credentials in URLs removed, characters that steer a terminal or reorder text removed, length bounded.
/// `SecretScrubber` in the façade adds the configured secrets and the privacy rules in front of these.
package enum HumanText {
    /// `text` with the userinfo of every URL in it (`https://user:password@host` → `https://<redacted>@host`)
    /// replaced. A URL is recognised by `scheme://`; its authority ends at the first `/`, `?`, `#` or
    /// whitespace, and the userinfo is everything before the authority's last `@`.
    package static func withoutUserinfo(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "@")), text.contains("://") else { return text }
        var bytes = Array(text.utf8)
        var searchFrom = 0
        while let marker = find("://", in: bytes, from: searchFrom) {
            let authorityStart = marker + 3
            var end = authorityStart
            while end < bytes.count, !isAuthorityEnd(bytes[end]) { end += 1 }
            if let at = bytes[authorityStart..<end].lastIndex(of: UInt8(ascii: "@")) {
                let placeholder = Array("<redacted>".utf8)
                bytes.replaceSubrange(authorityStart..<at, with: placeholder)
                end += placeholder.count - (at - authorityStart)
            }
            searchFrom = max(end, authorityStart)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` with control characters (C0, DEL, C1: terminal escapes), format characters (bidi overrides
    /// and isolates, zero-width joiners) and line/paragraph separators replaced by a space, tabs kept;
    /// line feeds kept only when `keepLineFeeds`.
    package static func printable(_ text: String, keepLineFeeds: Bool = true) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" && keepLineFeeds || scalar == "\t" {
                scalars.append(scalar)
                continue
            }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate:
                scalars.append(" ")
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// At most `limit` characters, with "…" when cut.
    package static func bounded(_ text: String, limit: Int) -> String {
        text.count > limit ? String(text.prefix(max(0, limit))) + "…" : text
    }

    private static func isAuthorityEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") || byte <= 0x20 || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "<")
    }

    private static func find(_ needle: String, in bytes: [UInt8], from start: Int) -> Int? {
        let pattern = Array(needle.utf8)
        guard bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        for index in start...(bytes.count - pattern.count) where bytes[index] == pattern[0] {
            if Array(bytes[index..<(index + pattern.count)]) == pattern { return index }
        }
        return nil
    }
}
