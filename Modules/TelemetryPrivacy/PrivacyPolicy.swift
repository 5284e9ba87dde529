import TelemetryCore

/// What the privacy engine removes, hashes and truncates. Every rule can be switched off, but the
/// defaults are the product's promise: nothing personal leaves the process.
///
/// ```swift
/// var policy = PrivacyPolicy.default
/// policy.disabledRules = [.homeDirectory]   // keep user names in paths; every other rule applies
/// policy.emailTreatment = .pseudonymise      // count distinct e-mail domains without knowing them
/// ```
public struct PrivacyPolicy: Sendable {
    /// Master switch. Off means attributes pass through untouched (length limits still apply).
    public var isEnabled: Bool
    /// The rules switched off; none by default. `PrivacyRule` names each rule once, for this switch
    /// and for the counts in `stats.redactions`. `.truncated` is not a switch (length limits always
    /// apply) and neither is `.custom` (custom rules run when `customRules` holds any).
    public var disabledRules: Set<PrivacyRule> {
        didSet { appliedRules = Self.mask(disabling: disabledRules) }
    }
    /// Emails become `<redacted:email>` (`.remove`, the default: the seed's privacy table removes them) or
    /// `<email:PSEUDONYM>` (`.pseudonymise`: the local part dropped, the domain salted-hashed).
    public var emailTreatment: PersonalDataTreatment = .remove
    /// IP addresses become `<redacted:ip>` (`.remove`, the default: the seed's table never collects them)
    /// or `<ip:PSEUDONYM>` (`.pseudonymise`).
    public var ipAddressTreatment: PersonalDataTreatment = .remove
    /// Phone numbers become `<redacted:phone>` (`.remove`, the default: the seed's table removes them) or
    /// `<phone:PSEUDONYM>` of the digits (`.pseudonymise`).
    public var phoneNumberTreatment: PersonalDataTreatment = .remove
    /// Keys (compared case-insensitively) whose values are hashed as user identifiers, besides the built-in list.
    public var extraUserIdentifierKeys: Set<String>
    /// Keys (compared case-insensitively) treated as secrets in addition to the built-in list.
    public var extraSensitiveKeys: Set<String>
    /// Keys (compared case-insensitively) never redacted by key-name rules.
    public var allowedKeys: Set<String>
    /// App-specific rules run on every string value after the built-in ones (e.g. internal ticket ids).
    public var customRules: [CustomRule]
    /// Most attributes kept per item (OpenTelemetry's default limit, 128); the rest are dropped and counted.
    public var maxAttributeCount: Int
    /// Most elements kept per array value (1000); longer arrays are cut and counted.
    public var maxArrayLength: Int
    /// Deepest array nesting kept (8); deeper arrays become the string `"[…]"`, counted. Bounds the
    /// recursion of every encoder, so hostile nesting cannot exhaust the stack.
    public var maxArrayDepth: Int
    /// Longest attribute string value, in UTF-8 bytes (500 by default).
    public var maxAttributeValueBytes: Int
    /// Longest log body or error message, in UTF-8 bytes (1000 by default).
    public var maxTextBytes: Int

    /// `disabledRules` as one bit per applied rule: the scanner asks per value and detector, and a
    /// bit test costs a fraction of hashing a rule into a `Set`.
    private var appliedRules: UInt32

    /// The default policy: every rule on, 500-byte attribute values, 1000-byte bodies.
    public init(
        isEnabled: Bool = true,
        disabledRules: Set<PrivacyRule> = [],
        emailTreatment: PersonalDataTreatment = .remove,
        ipAddressTreatment: PersonalDataTreatment = .remove,
        phoneNumberTreatment: PersonalDataTreatment = .remove,
        extraUserIdentifierKeys: Set<String> = [],
        extraSensitiveKeys: Set<String> = [],
        allowedKeys: Set<String> = [],
        customRules: [CustomRule] = [],
        maxAttributeCount: Int = 128,
        maxArrayLength: Int = 1000,
        maxArrayDepth: Int = 8,
        maxAttributeValueBytes: Int = 500,
        maxTextBytes: Int = 1000
    ) {
        self.isEnabled = isEnabled
        self.disabledRules = disabledRules
        self.appliedRules = Self.mask(disabling: disabledRules)
        self.emailTreatment = emailTreatment
        self.ipAddressTreatment = ipAddressTreatment
        self.phoneNumberTreatment = phoneNumberTreatment
        self.extraUserIdentifierKeys = Set(extraUserIdentifierKeys.map { $0.lowercased() })
        self.extraSensitiveKeys = Set(extraSensitiveKeys.map { $0.lowercased() })
        self.allowedKeys = Set(allowedKeys.map { $0.lowercased() })
        self.customRules = customRules
        self.maxAttributeCount = max(1, maxAttributeCount)
        self.maxArrayLength = max(1, maxArrayLength)
        self.maxArrayDepth = max(1, maxArrayDepth)
        self.maxAttributeValueBytes = max(1, maxAttributeValueBytes)
        self.maxTextBytes = max(1, maxTextBytes)
    }

    /// The default policy.
    public static let `default` = PrivacyPolicy()

    /// Every rule off (length limits still apply): for data that is known to be free of personal data.
    public static let permissive = PrivacyPolicy(isEnabled: false, disabledRules: Set(PrivacyRule.allCases))

    /// Whether `rule` removes or replaces what it matches: the policy is enabled and `rule` is not in
    /// `disabledRules`.
    @inline(__always)
    public func applies(_ rule: PrivacyRule) -> Bool {
        isEnabled && appliedRules & rule.bit != 0
    }

    private static func mask(disabling disabled: Set<PrivacyRule>) -> UInt32 {
        PrivacyRule.allCases.reduce(0) { mask, rule in disabled.contains(rule) ? mask : mask | rule.bit }
    }
}

/// An app-specific value rule: `transform` returns the replacement text, or nil to leave the value alone.
///
/// ```swift
/// let tickets = CustomRule(name: "ticket") { text in
///     text.contains("TICKET-") ? text.replacingOccurrences(of: #"TICKET-\d+"#, with: "TICKET-?", options: .regularExpression) : nil
/// }
/// ```
public struct CustomRule: Sendable {
    /// A name for diagnostics.
    public let name: String
    /// The rule; it must be pure and fast: it runs on every string value.
    public let transform: @Sendable (String) -> String?

    /// Creates a rule.
    public init(name: String, transform: @escaping @Sendable (String) -> String?) {
        self.name = name
        self.transform = transform
    }
}

/// The rules the engine applies: switched off one by one in `PrivacyPolicy.disabledRules`, and the
/// keys of the redaction counts (never the values).
public enum PrivacyRule: String, Sendable, Hashable, CaseIterable {
    /// A value dropped because its key names a secret.
    case secretKey = "secret_key"
    /// A content attribute dropped.
    case messageContent = "message_content"
    /// A credential found inside a value and removed.
    case secretValue = "secret_value"
    /// A card number removed.
    case creditCard = "credit_card"
    /// An email replaced by its pseudonym.
    case email = "email"
    /// An IP address replaced by its pseudonym.
    case ipAddress = "ip_address"
    /// A phone number replaced by its pseudonym.
    case phoneNumber = "phone_number"
    /// A user identifier replaced by its pseudonym.
    case userIdentifier = "user_identifier"
    /// A home directory's user name replaced by `~`.
    case homeDirectory = "home_directory"
    /// A national identifier (US social security number) removed.
    case nationalIdentifier = "national_identifier"
    /// A bank account number (IBAN) removed.
    case bankAccount = "bank_account"
    /// A MAC address replaced by its pseudonym.
    case macAddress = "mac_address"
    /// A GPS coordinate pair removed.
    case location = "location"
    /// A custom rule from `PrivacyPolicy.customRules` fired.
    case custom = "custom"
    /// A value removed because its key names a personal detail (a name, postal address, birth date).
    case personalDetail = "personal_detail"
    /// A string cut to the length limit.
    case truncated = "truncated"

    var bit: UInt32 {
        let index: UInt32 =
            switch self {
            case .secretKey: 0
            case .messageContent: 1
            case .secretValue: 2
            case .creditCard: 3
            case .email: 4
            case .ipAddress: 5
            case .phoneNumber: 6
            case .userIdentifier: 7
            case .homeDirectory: 8
            case .nationalIdentifier: 9
            case .bankAccount: 10
            case .macAddress: 11
            case .location: 12
            case .custom: 13
            case .personalDetail: 14
            case .truncated: 15
            }
        return 1 << index
    }
}

/// How many times each rule fired; accumulated by the client into its `stats`.
public struct RedactionCounts: Sendable, Hashable {
    /// Firings per rule.
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

/// What replaces a detected personal value.
public enum PersonalDataTreatment: String, Sendable, Hashable, CaseIterable {
    /// A marker naming the class (`<redacted:email>`): nothing of the value remains.
    case remove
    /// A salted pseudonym (`<email:3f2a…>`): the same value always maps to the same pseudonym, so
    /// distinct values can be counted without being known. Without the salt it cannot be reversed.
    case pseudonymise
}
