import Testing
import TelemetryCore
@testable import TelemetryPrivacy

/// Each value rule with positive and negative cases; false positives matter as much as leaks.
@Suite struct ValueRulesTests {
    /// Pseudonymising emails, IPs and phones, so the tests below can check what each detector found;
    /// `removalIsTheDefault` covers the default treatment.
    let sanitizer = PrivacySanitizer(
        policy: PrivacyPolicy.pseudonymisingPersonalData, salt: Array("test-salt".utf8)
    )

    @Test func removalIsTheDefault() {
        var counts = RedactionCounts()
        let cleaned = PrivacySanitizer(salt: Array("test-salt".utf8)).sanitize(
            text: "mail jane@example.com from 10.1.2.3 or call +44 20 7946 0958", counts: &counts
        )
        #expect(cleaned == "mail <redacted:email> from <redacted:ip> or call <redacted:phone>")
        #expect(counts.counts[.email] == 1 && counts.counts[.ipAddress] == 1 && counts.counts[.phoneNumber] == 1)
    }

    private func text(_ input: String) -> String {
        var counts = RedactionCounts()
        return sanitizer.sanitize(text: input, counts: &counts)
    }

    private func value(_ input: String, key: String = "note") -> AttributeValue? {
        var counts = RedactionCounts()
        return sanitizer.sanitize([key: .string(input)], counts: &counts)[key]
    }

    // MARK: Secrets by value

    @Test func bearerAndBasicKeepTheirScheme() {
        #expect(text("Authorization: Bearer abc.def-123_456") == "Authorization: Bearer <redacted:secret>")
        #expect(text("basic dXNlcjpwYXNzd29yZA==") == "basic <redacted:secret>")
        #expect(text("a bearer of bad news") == "a bearer of bad news")
    }

    @Test func pemPrivateKeysVanishWhole() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----"
        #expect(text("key:\n\(pem)\ndone") == "key:\n<redacted:secret>\ndone")
        #expect(text("-----BEGIN PRIVATE KEY-----\nMIIEv truncated") == "<redacted:secret>")
        let certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
        #expect(text(certificate) == certificate)
    }

    @Test func urlCredentialsAndSecretParameters() {
        #expect(text("postgres://admin:s3cr3t@db.internal:5432/app") == "postgres://<redacted:credentials>@db.internal:5432/app")
        #expect(
            text("https://ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/x")
                == "https://<redacted:credentials>@github.com/x")
        #expect(text("GET /cb?code=abc123&state=ok&token=xyz789") == "GET /cb?code=<redacted:secret>&state=ok&token=<redacted:secret>")
        #expect(text("/api?api_key=AAAA&page=2") == "/api?api_key=<redacted:secret>&page=2")
        #expect(text("login password=hunter2 ok") == "login password=<redacted:secret> ok")
        #expect(text(#"{"user":"a","password":"hunter2","n":1}"#) == #"{"user":"a","password":"<redacted:secret>","n":1}"#)
        #expect(text("exit code=3 after retry") == "exit code=3 after retry", "`code` is only a secret in a query string")
        #expect(text("https://example.com/path?page=2") == "https://example.com/path?page=2")
        #expect(text("ssh://git@github.com/org/repo") == "ssh://git@github.com/org/repo")
    }

    // MARK: Credit cards

    @Test(arguments: [
        "4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005", "6011000990139424",
        "5555 5555 5555 4444", "4222222222222",
    ])
    func cardsVanishEntirely(card: String) {
        let cleaned = text("paid with \(card) today")
        #expect(cleaned == "paid with <redacted:card> today")
        #expect(!cleaned.contains("1111") && !cleaned.contains("4444") && !cleaned.contains("0005"))
    }

    @Test func cardsGroupedByDotsAreCards() {
        #expect(text("card 4111.1111.1111.1111 ok") == "card <redacted:card> ok")
        #expect(text("version 4.1.11.1111") == "version 4.1.11.1111")
    }

    @Test func nonLuhnDigitsAreNotCards() {
        #expect(text("order 4111111111111112 shipped") == "order 4111111111111112 shipped")
        #expect(text("ts 1700000000123456") == "ts 1700000000123456")
    }

    // MARK: Emails

    @Test func emailsLoseTheirLocalPart() throws {
        let cleaned = text("contact Jane.Doe+tag@Example.COM now")
        #expect(!cleaned.contains("Jane") && !cleaned.contains("Example"))
        let match = try #require(cleaned.firstMatch(of: /<email:([0-9a-f]{16})>/))
        #expect(cleaned == "contact <email:\(match.output.1)> now")
        #expect(text("bob@example.com") == text("alice@EXAMPLE.com"), "same domain, same pseudonym")
        #expect(text("bob@example.com") != text("bob@example.org"))
    }

    @Test func notEmails() {
        for input in ["@mention", "user@localhost", "a@b", "npm install pkg@1.2.3", "x@y.1"] {
            #expect(text(input) == input)
        }
    }

    // MARK: IP addresses

    @Test(arguments: [
        "192.168.1.20", "10.0.0.1", "8.8.8.8", "2001:db8::1", "::1", "fe80::1ff:fe23:4567:890a",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "::ffff:192.0.2.128",
    ])
    func ipAddressesAreHashed(address: String) throws {
        let cleaned = text("from \(address) at noon")
        #expect(cleaned.firstMatch(of: /^from <ip:[0-9a-f]{16}> at noon$/) != nil)
    }

    @Test func ipWithPortKeepsThePort() throws {
        #expect(text("peer 10.1.2.3:8080").firstMatch(of: /^peer <ip:[0-9a-f]{16}>:8080$/) != nil)
    }

    @Test(arguments: [
        "1.2.3", "v1.2.3.4", "1.2.3.4.5", "10.0.1-beta", "version 1.2.3.4", "256.1.1.1", "12:30:45",
        "std::vector", "Module::Type", "2024-01-15T10:30:00Z", "a::b::c",
    ])
    func versionsTimesAndCodeAreNotIPs(input: String) {
        #expect(text(input) == input)
    }

    /// The word before an address decides only when it is a whole version word: `server` ends in
    /// `ver`, `observer` too, and neither makes the address a version.
    @Test(arguments: ["server", "observer", "driver", "fever"])
    func wordsEndingLikeVersionWordsStillPrecedeAddresses(word: String) {
        #expect(text("\(word) 192.168.1.1 down").firstMatch(of: /^\w+ <ip:[0-9a-f]{16}> down$/) != nil, "\(word)")
    }

    @Test(arguments: ["version 1.2.3.4", "appVersion=1.2.3.4", "ver: 1.2.3.4", "release 1.2.3.4", "prerelease 1.2.3.4", "OS_VERSION 10.0.0.1"])
    func versionWordsStillMarkVersions(input: String) {
        #expect(text(input) == input)
    }

    @Test func versionKeysNeverHoldIPs() {
        #expect(value("1.2.3.4", key: "app_version") == "1.2.3.4")
        #expect(value("1.2.3.4", key: "client_ip") != "1.2.3.4")
    }

    // MARK: Phones

    @Test(arguments: [
        "+1 (555) 123-4567", "+44 20 7946 0958", "+5511987654321", "(555) 123-4567", "555-123-4567",
        "555.123.4567", "020 7946 0958", "06 12 34 56 78", "+33 6 12 34 56 78", "1-800-555-0199", "1 (555) 123-4567",
        "1.555.123.4567", "1 555 123 4567",
    ])
    func phonesKeepNoSubscriberDigits(phone: String) throws {
        let cleaned = text("call \(phone) please")
        #expect(cleaned.firstMatch(of: /^call <phone:[0-9a-f]{16}> please$/) != nil, "\(cleaned)")
    }

    /// After a colon a number starts only with `+`: `tel:+1…` is a phone, `at 12:30:45` and `:8080` are not.
    @Test func phoneLinksAreNumbersButTimesAndPortsAreNot() {
        #expect(text("tel:+14155552671").firstMatch(of: /^tel:<phone:[0-9a-f]{16}>$/) != nil)
        #expect(text("sms:+447911123456").firstMatch(of: /^sms:<phone:[0-9a-f]{16}>$/) != nil)
        #expect(text("at 12:30:45 on :8080") == "at 12:30:45 on :8080")
    }

    @Test(arguments: [
        "2024-01-15", "2024-01-15 10:30:00", "HTTP 404", "took 1500 ms", "id 1234567890", "v2.10.3",
        "3b241101-e2bb-4255-8caf-4136c566a962", "1700000000", "PT1H30M", "status 200 in 35.2 ms", "x 123-45",
        "1-800", "1-555-123-45678", "1/555-123-4567", "2-555-123-4567",
    ])
    func commonValuesAreNotPhones(input: String) {
        #expect(text(input) == input)
    }

    // MARK: Home directories

    @Test(arguments: [
        ("~jane/.bashrc", "~/.bashrc"), ("cat ~j.roe/notes", "cat ~/notes"), ("cd ~/projects", "cd ~/projects"), ("PROGRA~1/app", "PROGRA~1/app"),
        ("~ok", "~ok"),
    ])
    func homesNamedWithATildeLoseTheName(input: String, expected: String) {
        #expect(text(input) == expected)
    }

    @Test func homeDirectoriesLoseTheUserName() {
        #expect(text("at /home/jane/src/app/main.swift:42") == "at ~/src/app/main.swift:42")
        #expect(text("/Users/Jane Doe/Library") == "~ Doe/Library", "names stop at a space; the rest is kept")
        #expect(text(#"C:\Users\jane\AppData\x.dll"#) == #"~\AppData\x.dll"#)
        #expect(text("c:/users/jane/file") == "~/file")
        #expect(text("/var/lib/app /opt/home/x /homework") == "/var/lib/app /opt/home/x /homework")
    }

    // MARK: Keys

    @Test(arguments: ["user_id", "userId", "user.id", "uid", "customer_id", "email", "username", "accountId"])
    func userIdentifiersAreHashedConsistently(key: String) {
        var counts = RedactionCounts()
        let first = sanitizer.sanitize([key: "42"], counts: &counts)[key]
        let second = sanitizer.sanitize([key: .int(42)], counts: &counts)[key]
        #expect(first != "42")
        #expect(first == second)
        #expect(counts[.userIdentifier] == 2)
    }

    @Test(arguments: ["user_agent", "user_count", "users_total", "customer_type"])
    func similarKeysAreNotIdentifiers(key: String) {
        #expect(value("Mozilla/5.0", key: key) == "Mozilla/5.0")
    }

    @Test func keysAreScannedToo() {
        var counts = RedactionCounts()
        let result = sanitizer.sanitize(["jane@example.com": 1], counts: &counts)
        #expect(result.keys.allSatisfy { $0.hasPrefix("<email:") })
    }

    @Test func nestedArraysAreWalked() {
        var counts = RedactionCounts()
        let result = sanitizer.sanitize(["notes": [["a@example.com", 1], "4111111111111111"]], counts: &counts)
        guard case .array(let outer)? = result["notes"], case .array(let inner) = outer[0] else {
            Issue.record("structure changed")
            return
        }
        #expect(inner[1] == 1)
        #expect(inner[0].displayString.hasPrefix("<email:"))
        #expect(outer[1] == "<redacted:card>")
    }

    @Test func customRulesRunAfterBuiltIns() {
        let custom = PrivacySanitizer(
            policy: PrivacyPolicy(customRules: [
                CustomRule(name: "ticket") { $0.contains("TICKET-") ? "<ticket>" : nil }
            ]))
        var counts = RedactionCounts()
        #expect(custom.sanitize(text: "see TICKET-42", counts: &counts) == "<ticket>")
        #expect(counts[.custom] == 1)
    }

    @Test func everyRuleCanBeSwitchedOff() {
        let off = PrivacySanitizer(policy: .permissive)
        var counts = RedactionCounts()
        let input = "jane@example.com 4111111111111111 +1 555 123 4567 /home/jane sk_live_12345678abcdefgh"
        #expect(off.sanitize(text: input, counts: &counts) == input)
        #expect(counts.total == 0)
    }

    @Test(arguments: [
        "semantic 1.2.3", "2024-01-15T10:30:00.123Z", "3b241101-e2bb-4255-8caf-4136c566a962", "took 250ms",
        "HTTP 503", "/usr/local/bin/tool", "total_tokens=1532", "GET /api/v1/users/42", "ratio 0.93",
        "build 20240115.3", "sha 9f86d081884c7d659a2feaa0c55ad015",
    ])
    func ordinaryTextSurvivesUntouched(input: String) {
        #expect(text(input) == input)
    }

    @Test func hostileInputIsBoundedAndValid() {
        let huge = String(repeating: "4111 1111 1111 1111 jane@example.com 10.0.0.1 ", count: 200_000)
        var counts = RedactionCounts()
        let cleaned = sanitizer.sanitize(text: huge, counts: &counts)
        #expect(cleaned.utf8.count <= 1000)
        #expect(!cleaned.contains("4111"))
        #expect(counts[.truncated] == 1)
        let digits = String(repeating: "9", count: 100_000)
        #expect(sanitizer.sanitize(value: digits, counts: &counts).utf8.count == 500)
        let surrogates = String(decoding: [0xED, 0xA0, 0x80, 0x41], as: UTF8.self)
        #expect(sanitizer.sanitize(text: surrogates, counts: &counts) == surrogates)
    }
}

extension PrivacyPolicy {
    /// The default policy with emails, IP addresses and phone numbers pseudonymised instead of removed.
    static var pseudonymisingPersonalData: PrivacyPolicy {
        var policy = PrivacyPolicy.default
        policy.emailTreatment = .pseudonymise
        policy.ipAddressTreatment = .pseudonymise
        policy.phoneNumberTreatment = .pseudonymise
        return policy
    }
}
