import Testing
import TelemetryCore
@testable import TelemetryPrivacy

/// Values in text that their key makes sensitive: each kind of key, its near misses, its switch.
@Suite struct KeyedValuesTests {
    private func clean(_ text: String, _ policy: PrivacyPolicy = .default) -> (String, RedactionCounts) {
        var counts = RedactionCounts()
        return (PrivacySanitizer(policy: policy, salt: Array("salt".utf8)).sanitize(text: text, counts: &counts), counts)
    }

    @Test(arguments: [
        ("first_name=Jane Roe last_name=Doe", "first_name=<redacted:personal> last_name=<redacted:personal>"),
        ("address: 1 Main St, Springfield", "address: <redacted:personal>, Springfield"),
        ("https://x.example.com/signup?first_name=Jane&plan=pro", "https://x.example.com/signup?first_name=<redacted:personal>&plan=pro"),
        (#"{"surname": "Roe", "plan": "pro"}"#, #"{"surname": "<redacted:personal>", "plan": "pro"}"#),
        ("zip=94105 ok", "zip=<redacted:personal> ok"),
        ("Name: John Smith, age 42", "Name: <redacted:personal>, age 42"),
        (#"{"name": "Mary-Ann O'Neil"}"#, #"{"name": "<redacted:personal>"}"#),
    ])
    func personalDetailsGoWithTheirWholeValue(input: String, expected: String) {
        let (cleaned, counts) = clean(input)
        #expect(cleaned == expected)
        #expect(counts[.personalDetail] >= 1)
    }

    @Test(arguments: [
        "name: Settings Page", "name=export_csv", "name: Jane", #"{"name": "Checkout Flow"}"#, "name: jane roe",
        "service.name=api", "status: ok", "login: ok", "user: unknown", "customer: returning", "gps: on",
        "at 12:30:45", "ratio 3:2",
    ])
    func keysWithoutSuchAValueLeaveTheTextAlone(input: String) {
        #expect(clean(input).0 == input)
    }

    @Test func positionsGo() {
        let (cleaned, counts) = clean("fix lat=48.85837&lng=2.29448 acc=12")
        #expect(cleaned == "fix lat=<redacted:location>&lng=<redacted:location> acc=12")
        #expect(counts[.location] == 2)
    }

    @Test func userIdentifiersBecomeTheirPseudonymAsInAttributes() {
        let (cleaned, counts) = clean("user_id=42 action=export")
        #expect(cleaned.firstMatch(of: /^user_id=[0-9a-f]{16} action=export$/) != nil, "\(cleaned)")
        #expect(counts[.userIdentifier] == 1)
        var attributeCounts = RedactionCounts()
        let attribute = PrivacySanitizer(policy: .default, salt: Array("salt".utf8)).sanitize(["user_id": "42"], counts: &attributeCounts)
        #expect(cleaned.contains(attribute["user_id"]?.displayString ?? "-"), "the same pseudonym in text as in an attribute")
        #expect(clean("email: jane@example.com").0 == "email: <redacted:email>", "an address is the e-mail rule's")
    }

    @Test func secretsInGroupsGoWhole() {
        #expect(clean("IBAN: DE89 3704 0044 0532 0130 00").0 == "IBAN: <redacted:secret>")
        #expect(clean("password: Tr0ub4dor is mine").0 == "password: <redacted:secret> is mine")
    }

    @Test func sessionCookiesGoWhenTheyAreTokens() {
        #expect(clean("session=8f14e45fceea167a5a36dedd4bea2543; Path=/").0 == "session=<redacted:secret>; Path=/")
        #expect(clean("JSESSIONID=abc123; sid=s%3Axyz").0 == "JSESSIONID=<redacted:secret>; sid=<redacted:secret>")
        #expect(clean("session: new").0 == "session: new")
    }

    @Test func secretsStillGo() {
        #expect(clean("password=hunter2 user=jane").0 == "password=<redacted:secret> user=jane")
        #expect(clean("Authorization: Bearer abc.def").0 == "Authorization: Bearer <redacted:secret>")
        #expect(clean("Cookie: a=1; b=2").0 == "Cookie: <redacted:secret>")
    }

    @Test func eachKindHasItsOwnSwitch() {
        #expect(clean("first_name=Jane", PrivacyPolicy(disabledRules: [.personalDetail])).0 == "first_name=Jane")
        #expect(clean("lat=48.85837", PrivacyPolicy(disabledRules: [.location])).0 == "lat=48.85837")
        #expect(clean("user_id=42", PrivacyPolicy(disabledRules: [.userIdentifier])).0 == "user_id=42")
        #expect(clean("password=x1", PrivacyPolicy(disabledRules: [.secretValue])).0 == "password=x1")
    }
}
