import TelemetryCore

/// Applies a `PrivacyPolicy` to attributes and free text. Pure: no I/O, no global state.
///
/// The client runs every signal through one sanitizer on its background worker before anything is
/// encoded. It is public so apps can clean their own data with the same rules:
///
/// ```swift
/// let sanitizer = PrivacySanitizer(policy: .default)
/// var counts = RedactionCounts()
/// let clean = sanitizer.sanitize(["api_key": "sk_live_…", "rows": 12], counts: &counts)  // ["rows": 12]
/// ```
public struct PrivacySanitizer: Sendable {
    public let policy: PrivacyPolicy
    private let classifier: KeyClassifier

    /// Creates a sanitizer for `policy`.
    public init(policy: PrivacyPolicy = .default) {
        self.policy = policy
        self.classifier = KeyClassifier(extraSensitiveKeys: policy.extraSensitiveKeys, allowedKeys: policy.allowedKeys)
    }

    /// `attributes` with secret and content keys removed and long strings truncated; `counts` records
    /// each rule that fired.
    public func sanitize(_ attributes: TelemetryAttributes, counts: inout RedactionCounts) -> TelemetryAttributes {
        var result = TelemetryAttributes(minimumCapacity: attributes.count)
        for (key, value) in attributes {
            if policy.isEnabled {
                switch classifier.classify(key) {
                case .secret where policy.redactSecretKeys:
                    counts.record(.secretKey)
                    continue
                case .messageContent where policy.removeMessageContent:
                    counts.record(.messageContent)
                    continue
                default:
                    break
                }
            }
            result[key] = sanitize(value: value, counts: &counts)
        }
        return result
    }

    /// Free text (log bodies, error messages, stack traces) with the length limit applied.
    public func sanitize(text: String, counts: inout RedactionCounts) -> String {
        limit(text, to: policy.maxTextBytes, counts: &counts)
    }

    private func sanitize(value: AttributeValue, counts: inout RedactionCounts) -> AttributeValue {
        switch value {
        case .string(let text):
            return .string(limit(text, to: policy.maxAttributeValueBytes, counts: &counts))
        case .array(let values):
            return .array(values.map { sanitize(value: $0, counts: &counts) })
        case .int, .double, .bool:
            return value
        }
    }

    private func limit(_ text: String, to maxBytes: Int, counts: inout RedactionCounts) -> String {
        guard text.utf8.count > maxBytes else { return text }
        counts.record(.truncated)
        return Truncation.prefix(text, maxUTF8Bytes: maxBytes)
    }
}
