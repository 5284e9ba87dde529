import TelemetryCore

/// Applies a `PrivacyPolicy` to attributes and free text. Pure: no I/O, no global state.
///
/// The client runs every signal through one sanitizer on its background worker before anything is
/// encoded. It is public so apps can clean their own data with the same rules:
///
/// ```swift
/// let sanitizer = PrivacySanitizer(policy: .default, salt: mySecretSalt)
/// var counts = RedactionCounts()
/// sanitizer.sanitize(["api_key": "sk_live_…", "rows": 12], counts: &counts)   // ["rows": 12]
/// sanitizer.sanitize(text: "mail jane@example.com", counts: &counts)         // "mail <email:9f2c…>"
/// ```
///
/// Per attribute: the key is classified by its word tokens (secret → dropped, message content →
/// dropped, user identifier → value replaced by its pseudonym); the key itself is scanned like text
/// (a key may contain an email); every string value — nested arrays included — is scanned for
/// secrets, card numbers, emails, IP addresses, phone numbers and home directories, then custom
/// rules run, then the length limit applies (cutting on a character boundary).
public struct PrivacySanitizer: Sendable {
    /// The rules this sanitizer applies.
    public let policy: PrivacyPolicy
    private let classifier: KeyClassifier
    private let hasher: SaltedHasher
    private let scanner: TextScanner

    private let keyCache = KeyDecisionCache()

    /// Creates a sanitizer. `salt` keys the pseudonyms (see `SaltedHasher`).
    public init(policy: PrivacyPolicy = .default, salt: [UInt8] = []) {
        self.policy = policy
        self.classifier = KeyClassifier(policy: policy)
        self.hasher = SaltedHasher(salt: salt)
        self.scanner = TextScanner(policy: policy, hasher: hasher)
    }

    /// `attributes` with every rule applied; `counts` records each rule that fired. When nothing needs
    /// changing, the input is returned as is (no copy).
    public func sanitize(_ attributes: TelemetryAttributes, counts: inout RedactionCounts) -> TelemetryAttributes {
        var input = attributes
        if input.count > policy.maxAttributeCount {
            counts.record(.truncated)
            input = TelemetryAttributes(Array(input.prefix(policy.maxAttributeCount)))
        }
        var result = input
        for (key, value) in input {
            let decision = keyDecision(key)
            for rule in decision.keyRules { counts.record(rule) }
            if let rule = decision.verdict.removingRule, policy.applies(rule) {
                counts.record(rule)
                result[key] = nil
                continue
            }
            var context = TextScanner.Context.none
            switch decision.verdict {
            case .userIdentifier where policy.applies(.userIdentifier):
                if decision.cleanKey != key { result[key] = nil }
                result[decision.cleanKey] = pseudonymize(value, counts: &counts)
                continue
            case .version:
                context.isVersion = true
            case .phone:
                context.isPhone = true
            default:
                break
            }
            // `changed` is tracked rather than comparing values: comparing hostile, deeply nested
            // arrays would recurse without bound.
            let (cleanValue, changed) = sanitize(value: value, context: context, counts: &counts)
            if decision.cleanKey != key {
                result[key] = nil
                result[decision.cleanKey] = cleanValue
            } else if changed {
                result[key] = cleanValue
            }
        }
        return result
    }

    private func keyDecision(_ key: String) -> KeyDecisionCache.Decision {
        keyCache.decision(for: key) {
            guard policy.isEnabled else { return .init(verdict: .keep, cleanKey: key, keyRules: []) }
            var keyCounts = RedactionCounts()
            let cleanKey = limit(scanner.scan(key, counts: &keyCounts), to: 256, counts: &keyCounts)
            let rules = keyCounts.counts.flatMap { rule, count in Array(repeating: rule, count: count) }
            return .init(verdict: classifier.classify(key), cleanKey: cleanKey, keyRules: rules)
        }
    }

    /// Free text (log bodies, error messages, stack traces, names) with every value rule and the text
    /// length limit applied.
    public func sanitize(text: String, counts: inout RedactionCounts) -> String {
        clean(text, limit: policy.maxTextBytes, context: .none, counts: &counts)
    }

    /// One attribute-style string value with every value rule and the attribute length limit applied.
    public func sanitize(value text: String, counts: inout RedactionCounts) -> String {
        clean(text, limit: policy.maxAttributeValueBytes, context: .none, counts: &counts)
    }

    private func sanitize(
        value: AttributeValue, context: TextScanner.Context, counts: inout RedactionCounts, depth: Int = 1
    ) -> (AttributeValue, changed: Bool) {
        switch value {
        case .string(let text):
            if context.isPhone, policy.applies(.phoneNumber), let digits = Self.bareDigits(text), (7...15).contains(digits.count) {
                counts.record(.phoneNumber)
                return (.string(phoneReplacement(digits)), true)
            }
            let clean = clean(text, limit: policy.maxAttributeValueBytes, context: context, counts: &counts)
            return (.string(clean), clean != text)
        case .array(let values):
            guard let bounded = bound(values, depth: depth, counts: &counts) else { return (.string("[…]"), true) }
            var changed = bounded.count != values.count
            let elements = bounded.map { element -> AttributeValue in
                let (clean, elementChanged) = sanitize(value: element, context: context, counts: &counts, depth: depth + 1)
                changed = changed || elementChanged
                return clean
            }
            return (.array(elements), changed)
        case .int(let number):
            return numeric(number.magnitude, original: value, context: context, counts: &counts)
        case .double(let number):
            // Only whole numbers can be card or phone numbers (a JSON decoder may hand them over as doubles).
            guard number.isFinite, number == number.rounded(), number.magnitude < 1e19 else { return (value, false) }
            return numeric(UInt64(number.magnitude), original: value, context: context, counts: &counts)
        case .bool:
            return (value, false)
        }
    }

    /// A number treated like its digits as text: a Luhn-valid 13–19 digit card number is removed, and
    /// under a phone key a 7–15 digit number becomes a phone pseudonym.
    private func numeric(
        _ magnitude: UInt64, original: AttributeValue, context: TextScanner.Context, counts: inout RedactionCounts
    ) -> (AttributeValue, changed: Bool) {
        // Only a 13+ digit number can be a card, and below 7 digits nothing is a phone: ordinary counts,
        // durations and ids never reach the string conversion below.
        guard policy.isEnabled, magnitude >= 1_000_000_000_000 || (context.isPhone && magnitude >= 1_000_000) else {
            return (original, false)
        }
        let digits = Array(String(magnitude).utf8)
        if policy.applies(.creditCard), (13...19).contains(digits.count), (0x32...0x36).contains(digits[0]),
            PersonalDataDetectors.passesLuhn(digits.map { $0 &- 0x30 })
        {
            counts.record(.creditCard)
            return (.string("<redacted:card>"), true)
        }
        if policy.applies(.phoneNumber), context.isPhone, (7...15).contains(digits.count) {
            counts.record(.phoneNumber)
            return (.string(phoneReplacement(digits)), true)
        }
        return (original, false)
    }

    /// What replaces the phone number made of `digits`, per `phoneNumberTreatment`.
    private func phoneReplacement(_ digits: [UInt8]) -> String {
        policy.phoneNumberTreatment == .pseudonymise ? "<phone:\(hasher.pseudonym(bytes: digits))>" : "<redacted:phone>"
    }

    /// The array cut to `maxArrayLength`, or nil when it sits deeper than `maxArrayDepth`.
    private func bound(_ values: [AttributeValue], depth: Int, counts: inout RedactionCounts) -> ArraySlice<AttributeValue>? {
        guard depth <= policy.maxArrayDepth else {
            counts.record(.truncated)
            return nil
        }
        if values.count > policy.maxArrayLength {
            counts.record(.truncated)
            return values.prefix(policy.maxArrayLength)
        }
        return values[...]
    }

    private func pseudonymize(_ value: AttributeValue, counts: inout RedactionCounts, depth: Int = 1) -> AttributeValue {
        switch value {
        case .array(let values):
            guard let bounded = bound(values, depth: depth, counts: &counts) else { return .string("[…]") }
            return .array(bounded.map { pseudonymize($0, counts: &counts, depth: depth + 1) })
        default:
            counts.record(.userIdentifier)
            return .string(hasher.pseudonym(value.displayString))
        }
    }

    /// The digits of `text` when it is only digits (after an optional `+`), else nil.
    private static func bareDigits(_ text: String) -> [UInt8]? {
        var utf8 = Substring(text).utf8
        if utf8.first == UInt8(ascii: "+") { utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty, utf8.count <= 16, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Array(utf8)
    }

    private func clean(_ text: String, limit maxBytes: Int, context: TextScanner.Context, counts: inout RedactionCounts) -> String {
        guard policy.isEnabled else { return limit(text, to: maxBytes, counts: &counts) }
        // Redact first, then cut: the scan covers four times the limit (at least 1 KiB more), so what
        // redactions shrink pulls only scanned text under the limit. The window itself ends on a
        // separator, so no token (an e-mail, a key) is ever scanned in halves; the rest is dropped
        // unscanned, never sent. Megabyte values cost no more than a few KiB.
        let window = max(maxBytes * 4, maxBytes + 1024)
        var scanned = text
        var droppedUnscanned = false
        if text.utf8.count > window {
            scanned = Truncation.prefix(text, maxUTF8Bytes: window)
            let utf8 = scanned.utf8
            if let cut = utf8.lastIndex(where: {
                $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";")
            }),
                utf8.distance(from: cut, to: utf8.endIndex) <= 1024
            {
                scanned = String(scanned[..<cut])
            }
            droppedUnscanned = true
        }
        scanned = scanner.scan(scanned, context: context, counts: &counts)
        for rule in policy.customRules {
            if let replaced = rule.transform(scanned), replaced != scanned {
                scanned = replaced
                counts.record(.custom)
            }
        }
        if scanned.utf8.count <= maxBytes && !droppedUnscanned { return scanned }
        counts.record(.truncated)
        return Truncation.prefix(scanned, maxUTF8Bytes: maxBytes)
    }

    private func limit(_ text: String, to maxBytes: Int, counts: inout RedactionCounts) -> String {
        guard text.utf8.count > maxBytes else { return text }
        counts.record(.truncated)
        return Truncation.prefix(text, maxUTF8Bytes: maxBytes)
    }
}
