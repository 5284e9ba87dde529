import Testing
import TelemetryCore
@testable import TelemetryPrivacy

/// The classes the second privacy evaluation found leaking or over-redacted, each with several members.
@Suite struct SecondWaveTests {
    let sanitizer = PrivacySanitizer(policy: .pseudonymisingPersonalData, salt: Array("test-salt".utf8))

    private func text(_ input: String) -> String {
        var counts = RedactionCounts()
        return sanitizer.sanitize(text: input, counts: &counts)
    }

    private func attribute(_ key: String, _ value: AttributeValue) -> AttributeValue? {
        var counts = RedactionCounts()
        return sanitizer.sanitize([key: value], counts: &counts)[key]
    }

    // MARK: Numbers

    @Test(arguments: [Int64(371_449_635_398_431), 5_105_105_105_105_100, 4_111_111_111_111_111, 6_011_000_990_139_424])
    func cardNumbersGivenAsNumbersVanish(number: Int64) {
        for key in ["amount_ref", "card", "value", "n"] {
            #expect(attribute(key, .int(number)) == .string("<redacted:card>"))
            #expect(attribute(key, .double(Double(number))).map { $0 != .double(Double(number)) } ?? true)
        }
    }

    @Test func phoneNumbersUnderPhoneKeysArePseudonymisedWhateverTheirType() throws {
        for (key, value) in [
            ("phone", AttributeValue.int(5_551_234_567)), ("mobile_number", .string("+447911123456")),
            ("customer.phone", .string("5551234567")), ("fax", .double(4_930_123_456)),
        ] {
            let cleaned = try #require(attribute(key, value))
            guard case .string(let text) = cleaned else {
                Issue.record("\(key) kept \(cleaned)")
                continue
            }
            #expect(text.hasPrefix("<phone:"), "\(key): \(text)")
        }
    }

    @Test(arguments: [Int64(1_712_345_678_901), 42, 1_234_567_890, 9_007_199_254_740_993, 4_111_111_111_111_112])
    func ordinaryNumbersStay(number: Int64) {
        #expect(attribute("duration_ms", .int(number)) == .int(number))
        #expect(attribute("request.id", .int(number)) == .int(number))
    }

    // MARK: Escaped and encoded forms

    @Test(arguments: [
        #"failed(detail: "C:\\Users\\maria\\AppData\\Local\\app.db")"#,
        #"{"path":"C:\\Users\\maria\\Documents"}"#,
        #"{"path":"\/home\/maria\/project"}"#,
        #"C:\Users\maria\file.txt"#,
    ])
    func escapedPathsLoseTheUserName(input: String) {
        #expect(!text(input).contains("maria"), "\(text(input))")
    }

    @Test func windowsUserNamesWithSpacesGoWhole() {
        let cleaned = text(#"open C:\Users\John Smith\Desktop\report.pdf failed"#)
        #expect(!cleaned.contains("John") && !cleaned.contains("Smith"), "\(cleaned)")
        #expect(cleaned.contains("Desktop"))
    }

    @Test(arguments: [
        "https://app.example.com/invite?email=jane.roe%40example.com&x=1",
        "josé.garcía@correo.es", "contact: müller@beispiel.de", "mailto:jane.roe%40example.com",
    ])
    func encodedAndNonASCIIEmailsVanish(input: String) {
        let cleaned = text(input)
        for fragment in ["jane", "roe", "josé", "garcí", "müller"] { #expect(!cleaned.contains(fragment), "\(cleaned)") }
        #expect(cleaned.contains("<email:"))
    }

    // MARK: Secret formats

    @Test(arguments: [
        ("Cookie: session=abc123def456; theme=dark; csrftoken=zz9988", ["abc123def456", "zz9988", "dark"]),
        ("Set-Cookie: sid=s3cr3tvalue; Path=/; HttpOnly", ["s3cr3tvalue"]),
        (
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;EndpointSuffix=core.windows.net",
            ["Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA=="]
        ),
        (
            "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=a1b2c3d4e5f6g7h8i9j0k=",
            ["a1b2c3d4e5f6g7h8i9j0k="]
        ),
        ("Server=db;Database=app;User Id=sa;Password=Tr0ub4dor&3;", ["Tr0ub4dor"]),
        ("password = hunter2hunter2", ["hunter2hunter2"]),
        ("config:\n  password: correct-horse-battery\n  user: app", ["correct-horse-battery"]),
        ("{'api_key': 'abcd1234efgh5678', 'region': 'eu'}", ["abcd1234efgh5678"]),
        ("token: ya29.a0AfH6SMBx3kLq9Zr7vW2nQpT8uYcR5eDfGhJkLmNoPqRs", ["ya29.a0AfH6SMBx3kLq9Zr7vW2nQpT8uYcR5eDfGhJkLmNoPqRs"]),
        ("refresh 1//0gLmNoPqRsTuVwXyZaBcDeFgHiJkLmNoPq", ["1//0gLmNoPqRsTuVwXyZaBcDeFgHiJkLmNoPq"]),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", ["b3BlbnNzaC1rZXktdjEAAAAA"]),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF0a1b2c3d4\n-----END PGP PRIVATE KEY BLOCK-----", ["lQOYBF0a1b2c3d4"]),
    ])
    func secretFormatsVanish(input: String, secrets: [String]) {
        let cleaned = text(input)
        for secret in secrets { #expect(!cleaned.contains(secret), "\(secret) survived in \(cleaned)") }
    }

    @Test func internationalNumbersWithTheDoubleZeroPrefix() {
        let cleaned = text("call 0044 20 7946 0958 today")
        #expect(!cleaned.contains("7946"), "\(cleaned)")
        #expect(text("call +44 20 7946 0958 today") == cleaned, "the same number hashes the same way whichever prefix dialled it")
    }

    // MARK: Redact first, then cut

    @Test func anEmailStraddlingTheCutIsNeverSentInPart() {
        let policy = PrivacyPolicy(maxTextBytes: 100)
        let sanitizer = PrivacySanitizer(policy: policy, salt: [])
        var counts = RedactionCounts()
        // Many e-mails before the cut shrink the text, pulling later content under the limit.
        let prefix = (0..<8).map { "someone.with.a.long.name\($0)@example.com" }.joined(separator: " ")
        let body = prefix + " " + "victim.person@example.org " + String(repeating: "z", count: 500)
        let cleaned = sanitizer.sanitize(text: body, counts: &counts)
        #expect(!cleaned.contains("victim"), "\(cleaned)")
        #expect(!cleaned.contains("someone"), "\(cleaned)")
        #expect(cleaned.utf8.count <= 100)
    }

    // MARK: Over-redaction

    @Test(arguments: [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
    ])
    func browserVersionsAreNotAddresses(agent: String) {
        #expect(text(agent) == agent)
        #expect(attribute("user_agent", .string(agent)) == .string(agent))
    }

    @Test(arguments: [
        "signature_algorithm", "auth_provider", "cookie_consent", "password_reset_requested", "jwt_expired",
        "credentials_provider", "token_type", "secret_rotation_policy",
    ])
    func keysThatQualifyASecretWordAreKept(key: String) {
        #expect(attribute(key, .string("RS256")) == .string("RS256"))
    }

    @Test(arguments: [
        "password", "auth_token", "session_cookie", "client_secret", "jwt", "signature", "aws_secret_access_key",
        "national_id", "tax_id", "passport_number", "bank_account", "iban", "drivers_license",
    ])
    func keysThatNameASecretStillGo(key: String) {
        #expect(attribute(key, .string("whatever")) == nil)
    }

    @Test(arguments: ["10:30", "at 12:45:01", "ratio 3:2", "see https://example.com/a:b", "level: info", "status: ok, code: 200"])
    func colonsAloneAreNotSecrets(input: String) {
        #expect(text(input) == input)
    }

    // MARK: New classes

    @Test(arguments: ["123-45-6789", "SSN 078-05-1120 on file", "ssn=219-09-9999"])
    func socialSecurityNumbersAreRemovedAsSuch(input: String) {
        var counts = RedactionCounts()
        let cleaned = sanitizer.sanitize(text: input, counts: &counts)
        #expect(cleaned.contains("<redacted:ssn>") || cleaned.contains("<redacted:secret>"), "\(cleaned)")
        #expect(counts.counts[.phoneNumber] == nil, "not hashed as a phone number")
    }

    @Test(arguments: ["000-12-3456", "666-12-3456", "123-00-4567", "2024-01-15", "v123-45-6789", "ticket 123-45-67890"])
    func notSocialSecurityNumbers(input: String) {
        #expect(!text(input).contains("<redacted:ssn>"))
    }

    @Test(arguments: ["DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32", "FR1420041010050500013M02606"])
    func ibansPassingMod97AreRemoved(iban: String) {
        let cleaned = text("pay to \(iban) today")
        #expect(cleaned == "pay to <redacted:iban> today", "\(cleaned)")
    }

    @Test(arguments: ["DE89370400440532013001", "AB12 CDEF", "ISO8601 2024"])
    func notIBANs(input: String) {
        #expect(!text(input).contains("<redacted:iban>"))
    }

    @Test func macAddressesArePseudonymisedConsistently() {
        let colon = text("device 00:1A:2B:3C:4D:5E joined")
        let dash = text("device 00-1a-2b-3c-4d-5e joined")
        #expect(colon.hasPrefix("device <mac:") && colon == dash, "\(colon) / \(dash)")
        #expect(text("time 12:30:45:10") == "time 12:30:45:10")
    }

    @Test func preciseCoordinatePairsAreRemovedCoarseOnesKept() {
        #expect(text("at 48.858370, 2.294481 now") == "at <redacted:location> now")
        #expect(text("lat/lon -33.8688,151.2093") == "lat/lon <redacted:location>")
        #expect(text("ratio 1.5, 2.25") == "ratio 1.5, 2.25")
        #expect(text("versions 1.2.3, 4.5.6") == "versions 1.2.3, 4.5.6")
    }

    // MARK: Encoded forms

    @Test(arguments: [
        ("https://app.example.com/cb?x=1&v=Bearer%208f14e45fceea167a5a36dedd4bea2543", "8f14e45fceea167a5a36dedd4bea2543"),
        ("https://app.example.com/cb?v=passwd%3A%20correct-horse-battery", "correct-horse-battery"),
        ("next=%2Fhome%2Fmaria%2Fproject", "maria"),
        ("q=%27client_secret%27%3A%20%27cs_abcdef123456%27", "cs_abcdef123456"),
        ("to=4111%201111%201111%201111", "1111"),
        (#"{"contact":"jane.roe\u0040example.com"}"#, "jane.roe"),
    ])
    func percentEncodedSecretsAreSeenForWhatTheyEncode(input: String, secret: String) {
        let cleaned = text(input)
        #expect(!cleaned.contains(secret), "\(cleaned)")
        #expect(cleaned.hasPrefix(String(input.prefix(2))), "the structure around the piece stays: \(cleaned)")
    }

    @Test func valuesInEscapedQuotesGoWhole() {
        let cleaned = text(#"payload "field": "apiKey: \"9f86d081884c7d659a2f\"""#)
        #expect(!cleaned.contains("9f86d081884c7d659a2f"), "\(cleaned)")
    }

    @Test(arguments: ["100%25 done", "https://example.com/search?q=swift%20concurrency&page=2", "50% off", "%E2%9C%93 ok"])
    func harmlessPercentEncodingIsLeftAlone(input: String) {
        #expect(text(input) == input)
    }

    // MARK: Webhook URLs and more vendor keys

    @Test(arguments: [
        ("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "T00000000/B00000000"),
        ("posting to https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz now", "abcdefghijklm"),
        ("{\"url\":\"https:\\/\\/hooks.slack.com\\/services\\/T1\\/B2\\/secretpart\"}", "secretpart"),
        ("https://contoso.webhook.office.com/webhookb2/7b2e1c9a-1111/IncomingWebhook/abc123/def456", "IncomingWebhook"),
        ("twilio SK0123456789abcdef0123456789abcdef", "SK0123456789abcdef"),
        ("mailgun key-3ax6xnjp29jd6fds4gc373sgvjxteol0", "3ax6xnjp29jd6fds"),
    ])
    func webhookURLsAndVendorKeysLoseTheirSecretPart(input: String, secret: String) {
        let cleaned = text(input)
        #expect(!cleaned.contains(secret), "\(cleaned)")
        #expect(cleaned.contains("<redacted:secret>"), "\(cleaned)")
    }

    @Test(arguments: [
        "https://hooks.slack.com/", "see discord.com/api for docs", "SKU-12345", "key-value store", "monkey-business",
        "SKIPPED_BECAUSE_THE_PRECONDITION_FAILED_0",
    ])
    func textNearThoseFormatsStays(input: String) {
        #expect(text(input) == input)
    }
}
