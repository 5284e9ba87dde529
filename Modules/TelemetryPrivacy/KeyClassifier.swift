/// Decides from an attribute key alone whether its value is a secret or message content.
///
/// Matching is on word tokens, never on substrings: `access_token` is a secret, but `total_tokens`,
/// `prompt_tokens` and `token_count` (token *counts* in LLM apps) are not. A secret word followed by a
/// measurement word (`password_length`, `token_count`, `cookie_size`) describes the secret without
/// containing it, and is kept; so is one followed by a qualifier that names something *about* it
/// (`signature_algorithm`, `auth_provider`, `cookie_consent`, `password_reset_requested`, `jwt_expired`).
struct KeyClassifier: Sendable {
    enum Verdict: Equatable {
        case keep
        case secret
        case messageContent
        case userIdentifier
        /// A version number: never an IP address.
        case version
        /// A phone number, even when given as bare digits or as a number.
        case phone
        /// A personal detail: a person's name, postal address or birth date, or a national identity
        /// number's local name.
        case personalDetail
        /// A position on Earth (`latitude`, `lng`, `gps`): removed like a coordinate pair in a value.
        case location

        /// The rule under which an attribute with this key is removed whole, or nil when its value is
        /// kept, pseudonymised or only scanned.
        var removingRule: PrivacyRule? {
            switch self {
            case .secret: .secretKey
            case .messageContent: .messageContent
            case .personalDetail: .personalDetail
            case .location: .location
            case .keep, .userIdentifier, .version, .phone: nil
            }
        }
    }

    private static let secretWords: Set<String> = [
        "password", "passwd", "pwd", "passphrase", "secret", "token", "cookie", "cookies", "credential",
        "credentials", "authorization", "auth", "ssn", "apikey", "jwt", "bearer", "privatekey", "cvv", "cvc",
        "pin", "otp", "signature", "sessionid", "passport", "iban",
        // The same word in the languages apps are localised into most (`mot de passe` ends in `passe`).
        "passwort", "kennwort", "contraseña", "contrasena", "senha", "wachtwoord", "passe", "lösenord", "salasana",
        "hasło", "haslo", "şifre", "sifre", "пароль",
    ]
    private static let secretPairs: Set<String> = [
        "api key", "private key", "secret key", "access key", "credit card", "card number", "security code",
        "session key", "signing key", "encryption key", "client secret", "session id", "social security",
        "national id", "national identifier", "tax id", "tax number", "social insurance", "driver license",
        "drivers license", "license number", "bank account", "account number", "routing number", "sort code",
    ]
    private static let measurementWords: Set<String> = [
        "count", "counts", "length", "len", "size", "limit", "limits", "max", "min", "total", "usage", "used",
        "remaining", "type", "expiry", "expires", "expiration", "ttl", "present", "enabled", "provided",
        "valid", "required", "rotated", "age", "status", "method", "scheme", "kind",
        // Qualifiers: what the key describes is a property of the secret, never the secret itself.
        "algorithm", "algorithms", "alg", "provider", "providers", "consent", "requested", "expired", "invalid",
        "issuer", "format", "strength", "policy", "rule", "rules", "mode", "error", "errors", "failed", "failure",
        "failures", "attempts", "retries", "duration", "latency", "field", "fields", "location", "endpoint", "url",
        "changed", "reset", "accepted", "declined", "flow",
    ]
    private static let contentKeys: Set<String> = [
        "message", "content", "prompt", "body", "text", "input", "output", "completion", "messages",
    ]

    private static let userIdentifierKeys: Set<String> = [
        "user id", "user uuid", "uid", "customer id", "account id", "member id", "email", "email address", "username",
        "user name", "login", "user", "device id", "user email", "customer email", "customer", "owner id", "person id",
        "subscriber id", "patient id", "employee id", "user login",
        // Device and advertising identifiers follow a person across apps as well as a user id does.
        "idfa", "idfv", "gaid", "aaid", "adid", "advertising id", "advertiser id", "ad id", "android id", "imei",
        "device uuid", "hardware id",
    ]
    // Names, postal addresses, birth dates. Not `name` or `address` inside longer keys: `feature_name`,
    // `host_name`, `ip_address` and `server_address` are not about a person.
    private static let personalWords: Set<String> = [
        "surname", "firstname", "lastname", "fullname", "maidenname", "forename", "dob", "birthday", "birthdate",
        "birthplace", "nino", "cpf", "aadhaar", "cardholder",
    ]
    private static let personalPairs: Set<String> = [
        "first name", "last name", "full name", "given name", "family name", "middle name", "maiden name", "legal name",
        "real name", "contact name", "customer name", "patient name", "person name", "holder name", "recipient name",
        "of birth", "birth date", "birth place", "birth year", "street address", "home address", "postal address",
        "mailing address", "billing address", "shipping address", "residential address", "delivery address",
        "address line", "street name", "national insurance", "zip code", "postal code", "post code",
    ]
    private static let personalKeys: Set<String> = ["address", "street", "zip", "zipcode", "postcode", "postalcode"]
    // The last word of the key: `geo.lat`, `user_longitude`, `gps`; not `latency` or `lon_count`.
    private static let locationWords: Set<String> = [
        "latitude", "longitude", "lat", "lng", "lon", "latlng", "latlon", "coordinates", "coords", "geohash", "gps",
        "geolocation", "geopoint",
    ]
    private static let versionWords: Set<String> = ["version", "ver", "release", "build", "semver"]
    private static let phoneWords: Set<String> = ["phone", "mobile", "msisdn", "telephone", "tel", "fax", "cell", "cellphone"]

    let extraSensitiveKeys: Set<String>
    let allowedKeys: Set<String>
    let extraUserIdentifierKeys: Set<String>

    init(policy: PrivacyPolicy) {
        extraSensitiveKeys = policy.extraSensitiveKeys
        allowedKeys = policy.allowedKeys
        extraUserIdentifierKeys = policy.extraUserIdentifierKeys
    }

    func classify(_ key: String) -> Verdict {
        let lowered = key.lowercased()
        if allowedKeys.contains(lowered) { return .keep }
        if extraSensitiveKeys.contains(lowered) { return .secret }
        let tokens = KeyTokens.split(key)
        guard let last = tokens.last else { return .keep }
        if Self.contentKeys.contains(lowered) || (tokens.count == 1 && Self.contentKeys.contains(last)) {
            return .messageContent
        }
        if tokens.count > 1 && Self.measurementWords.contains(last) { return .keep }
        if tokens.contains(where: Self.secretWords.contains) { return .secret }
        for index in tokens.indices.dropLast() where Self.secretPairs.contains(tokens[index] + " " + tokens[index + 1]) {
            return .secret
        }
        if tokens.contains(where: Self.personalWords.contains) || Self.personalKeys.contains(tokens.joined(separator: " ")) {
            return .personalDetail
        }
        for index in tokens.indices.dropLast() where Self.personalPairs.contains(tokens[index] + " " + tokens[index + 1]) {
            return .personalDetail
        }
        if Self.locationWords.contains(last) { return .location }
        if extraUserIdentifierKeys.contains(lowered) { return .userIdentifier }
        // The identifier phrase must end the key: `user.id` and `customer_id` are identifiers,
        // `user_agent` and `user_count` are not.
        if Self.userIdentifierKeys.contains(tokens.joined(separator: " ")) { return .userIdentifier }
        if tokens.count >= 2 && Self.userIdentifierKeys.contains(tokens.suffix(2).joined(separator: " ")) { return .userIdentifier }
        if Self.versionWords.contains(last) { return .version }
        if Self.phoneWords.contains(last) || (tokens.count >= 2 && last == "number" && Self.phoneWords.contains(tokens[tokens.count - 2])) {
            return .phone
        }
        return .keep
    }
}
