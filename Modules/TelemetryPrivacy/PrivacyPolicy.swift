import TelemetryCore

/// What the privacy engine removes, hashes and truncates. Every rule can be switched off, but the
/// defaults are the product's promise: nothing personal leaves the process.
public struct PrivacyPolicy: Sendable, Hashable {
    /// Master switch. Off means attributes pass through untouched (length limits still apply).
    public var isEnabled: Bool
    /// Drop values whose key names a secret (`password`, `api_key`, `access_token`, `cookie`, …).
    public var redactSecretKeys: Bool
    /// Drop free-text content attributes (`message`, `content`, `prompt`, `body`, `text`, `input`, `output`).
    public var removeMessageContent: Bool
    /// Keys (compared case-insensitively) treated as secrets in addition to the built-in list.
    public var extraSensitiveKeys: Set<String>
    /// Keys (compared case-insensitively) never redacted by key-name rules.
    public var allowedKeys: Set<String>
    /// Longest attribute string value, in UTF-8 bytes (500 by default).
    public var maxAttributeValueBytes: Int
    /// Longest log body or error message, in UTF-8 bytes (1000 by default).
    public var maxTextBytes: Int

    /// The default policy: everything on, 500-byte attribute values, 1000-byte bodies.
    public init(
        isEnabled: Bool = true,
        redactSecretKeys: Bool = true,
        removeMessageContent: Bool = true,
        extraSensitiveKeys: Set<String> = [],
        allowedKeys: Set<String> = [],
        maxAttributeValueBytes: Int = 500,
        maxTextBytes: Int = 1000
    ) {
        self.isEnabled = isEnabled
        self.redactSecretKeys = redactSecretKeys
        self.removeMessageContent = removeMessageContent
        self.extraSensitiveKeys = Set(extraSensitiveKeys.map { $0.lowercased() })
        self.allowedKeys = Set(allowedKeys.map { $0.lowercased() })
        self.maxAttributeValueBytes = max(1, maxAttributeValueBytes)
        self.maxTextBytes = max(1, maxTextBytes)
    }

    /// The default policy.
    public static let `default` = PrivacyPolicy()
}

/// The rules the engine applies, used to count redactions (never the values).
public enum PrivacyRule: String, Sendable, Hashable, CaseIterable {
    case secretKey = "secret_key"
    case messageContent = "message_content"
    case truncated = "truncated"
}

/// How many times each rule fired; accumulated by the client into its `stats`.
public struct RedactionCounts: Sendable, Hashable {
    public private(set) var counts: [PrivacyRule: Int] = [:]

    /// Creates empty counts.
    public init() {}

    /// Adds one firing of `rule`.
    public mutating func record(_ rule: PrivacyRule) { counts[rule, default: 0] += 1 }

    /// Adds all of `other`.
    public mutating func merge(_ other: RedactionCounts) {
        for (rule, count) in other.counts { counts[rule, default: 0] += count }
    }

    /// Firings of `rule`.
    public subscript(rule: PrivacyRule) -> Int { counts[rule] ?? 0 }

    /// Firings of all rules.
    public var total: Int { counts.values.reduce(0, +) }
}
