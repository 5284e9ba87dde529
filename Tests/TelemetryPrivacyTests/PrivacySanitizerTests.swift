import Testing
import TelemetryCore
import TelemetryPrivacy

@Suite struct PrivacySanitizerTests {
    let sanitizer = PrivacySanitizer()

    private func clean(_ attributes: TelemetryAttributes) -> (TelemetryAttributes, RedactionCounts) {
        var counts = RedactionCounts()
        return (sanitizer.sanitize(attributes, counts: &counts), counts)
    }

    @Test(arguments: [
        "password", "passwd", "pwd", "secret", "client_secret", "token", "access_token", "refresh_token", "id_token",
        "api_key", "apiKey", "api-key", "API_KEY", "authorization", "Authorization", "auth", "cookie", "set-cookie",
        "session_token", "private_key", "credential", "credentials", "ssn", "credit_card", "http.request.header.authorization",
        "x-api-key", "userPassword", "db.password", "stripeSecretKey",
    ])
    func secretKeysAreRemoved(key: String) {
        let (result, counts) = clean([key: "value", "kept": 1])
        #expect(result[key] == nil)
        #expect(result["kept"] == 1)
        #expect(counts[.secretKey] == 1)
    }

    @Test(arguments: [
        "total_tokens", "prompt_tokens", "completion_tokens", "token_count", "tokens", "password_length", "author",
        "keyboard", "monkey", "session_count", "authority_level", "cookie_count", "feature", "route", "primary_key",
    ])
    func harmlessKeysAreKept(key: String) {
        let (result, counts) = clean([key: 12])
        #expect(result[key] == 12)
        #expect(counts.total == 0)
    }

    @Test(arguments: [
        "first_name", "lastName", "full_name", "surname", "given_name", "customer.name", "card_holder_name", "cardholder",
        "dob", "date_of_birth", "birthDate", "birthday", "place_of_birth", "address", "billing_address", "street",
        "shipping.address.line1", "address_line_2", "nino", "cpf", "aadhaar", "national_insurance_number",
    ])
    func personalDetailsAreRemovedByKey(key: String) {
        let (result, counts) = clean([key: "Jane Q. Public, 1985-03-14, 221B Baker Street", "kept": 1])
        #expect(result[key] == nil)
        #expect(result["kept"] == 1)
        #expect(counts[.personalDetail] == 1)
    }

    @Test(arguments: [
        "name", "feature_name", "file_name", "host_name", "event.name", "service.name", "display_name", "ip_address",
        "server_address", "mac_address_count", "first_name_length", "birthday_campaign_enabled", "street_view_enabled",
        "address_family",
    ])
    func keysThatMentionNamesOrAddressesOfThingsAreKept(key: String) {
        let (result, counts) = clean([key: 12])
        #expect(result[key] == 12)
        #expect(counts[.personalDetail] == 0)
    }

    @Test(arguments: ["lat", "latitude", "user_longitude", "geo.lng", "lon", "gps", "coordinates", "geohash"])
    func positionsByKeyAreRemoved(key: String) {
        let (result, counts) = clean([key: "48.85837", "kept": 1])
        #expect(result == ["kept": 1])
        #expect(counts[.location] == 1)
    }

    @Test(arguments: ["latency", "gps_enabled", "location_count", "lon_offset_count", "geo_country", "lateral"])
    func keysNearPositionsAreKept(key: String) {
        #expect(clean([key: "12"]).0[key] == "12")
    }

    @Test(arguments: ["zip", "zip_code", "postal_code", "postcode", "shipping_post_code"])
    func postalCodesAreRemoved(key: String) {
        let (result, counts) = clean([key: "94105"])
        #expect(result.isEmpty)
        #expect(counts[.personalDetail] == 1)
    }

    @Test(arguments: ["idfa", "idfv", "advertising_id", "ad_id", "gaid", "android_id", "imei", "device_uuid"])
    func deviceAndAdvertisingIdentifiersArePseudonymised(key: String) {
        let (result, counts) = clean([key: "3F2504E0-4F89-11D3-9A0C-0305E82C3301"])
        #expect(result[key] != nil && result[key] != "3F2504E0-4F89-11D3-9A0C-0305E82C3301")
        #expect(counts[.userIdentifier] == 1)
    }

    /// `ssn: 123 45 6789` once lost only its first group to the secret-value rule: the rest of the
    /// number stayed in the text.
    @Test(arguments: ["ssn: 123 45 6789", "pin: 12 34", "passport=123 456 789", "ssn 123 45 6789", "id 123 45 6789"])
    func numbersInGroupsLeaveWhole(input: String) {
        var counts = RedactionCounts()
        let cleaned = sanitizer.sanitize(text: input, counts: &counts)
        let groups = input.split(whereSeparator: { !$0.isNumber }).filter { $0.count >= 2 }
        for group in groups { #expect(!cleaned.contains(group), "\(input) -> \(cleaned)") }
    }

    @Test(arguments: ["password: 1234 is mine", "pin: 12 apples"])
    func aGroupedNumberEndsWhereWordsBegin(input: String) {
        var counts = RedactionCounts()
        let cleaned = sanitizer.sanitize(text: input, counts: &counts)
        #expect(cleaned.hasSuffix(String(input.split(separator: " ").last!)))
        #expect(counts[.secretValue] == 1)
    }

    @Test(arguments: ["passwort", "Kennwort", "contraseña", "senha", "wachtwoord", "mot_de_passe", "lösenord", "hasło", "пароль"])
    func passwordsAreSecretsInOtherLanguagesToo(key: String) {
        let (result, counts) = clean([key: "hunter2", "kept": 1])
        #expect(result == ["kept": 1])
        #expect(counts[.secretKey] == 1)
        var textCounts = RedactionCounts()
        let cleaned = sanitizer.sanitize(text: "\(key): hunter2 ok", counts: &textCounts)
        #expect(!cleaned.contains("hunter2"), "\(cleaned)")
    }

    @Test func aJSONEscapedKeyIsReadAsItsText() {
        var counts = RedactionCounts()
        let cleaned = sanitizer.sanitize(text: #"payload "field": "contrase\u00f1a: secreta123""#, counts: &counts)
        #expect(!cleaned.contains("secreta123"), "\(cleaned)")
        #expect(sanitizer.sanitize(text: #"C:\users: 5"#, counts: &counts) == #"C:\users: 5"#)
    }

    @Test func passwordsInQueryStringsGo() {
        var counts = RedactionCounts()
        let cleaned = sanitizer.sanitize(text: "https://x.example.com/login?user=jane&pass=hunter2&pw=s3cret", counts: &counts)
        #expect(!cleaned.contains("hunter2") && !cleaned.contains("s3cret"), "\(cleaned)")
    }

    @Test func personalDetailsCanBeKept() {
        let keeping = PrivacySanitizer(policy: PrivacyPolicy(disabledRules: [.personalDetail]))
        var counts = RedactionCounts()
        #expect(keeping.sanitize(["first_name": "Jane"], counts: &counts) == ["first_name": "Jane"])
    }

    @Test(arguments: ["message", "content", "prompt", "body", "text", "input", "output", "Message"])
    func messageContentIsRemovedByDefault(key: String) {
        let (result, counts) = clean([key: "the user's words"])
        #expect(result.isEmpty)
        #expect(counts[.messageContent] == 1)
    }

    @Test func messageContentCanBeAllowed() {
        let permissive = PrivacySanitizer(policy: PrivacyPolicy(disabledRules: [.messageContent]))
        var counts = RedactionCounts()
        #expect(permissive.sanitize(["message": "hi"], counts: &counts) == ["message": "hi"])
    }

    @Test func extraAndAllowedKeys() {
        let custom = PrivacySanitizer(policy: PrivacyPolicy(extraSensitiveKeys: ["Tenant"], allowedKeys: ["auth"]))
        var counts = RedactionCounts()
        let result = custom.sanitize(["tenant": "acme", "auth": "basic", "other": 1], counts: &counts)
        #expect(result == ["auth": "basic", "other": 1])
    }

    @Test func longStringsAreTruncatedEverywhere() {
        let policy = PrivacyPolicy(maxAttributeValueBytes: 4, maxTextBytes: 6)
        let sanitizer = PrivacySanitizer(policy: policy)
        var counts = RedactionCounts()
        let result = sanitizer.sanitize(["a": "abcdefgh", "list": ["123456", "ok"]], counts: &counts)
        #expect(result["a"] == "abcd")
        #expect(result["list"] == ["1234", "ok"])
        #expect(sanitizer.sanitize(text: "0123456789", counts: &counts) == "012345")
        #expect(counts[.truncated] == 3)
    }

    @Test func disabledPolicyStillLimitsLength() {
        let sanitizer = PrivacySanitizer(policy: PrivacyPolicy(isEnabled: false, maxAttributeValueBytes: 2))
        var counts = RedactionCounts()
        #expect(sanitizer.sanitize(["password": "abc"], counts: &counts) == ["password": "ab"])
    }

    @Test func countsMerge() {
        var a = RedactionCounts()
        a.record(.secretKey)
        var b = RedactionCounts()
        b.record(.secretKey)
        b.record(.truncated)
        a.merge(b)
        #expect(a[.secretKey] == 2 && a[.truncated] == 1 && a.total == 3)
    }
}
