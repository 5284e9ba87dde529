import Testing
import TelemetryCore
import TelemetryPrivacy

@Suite struct TitledNamesTests {
    private func clean(_ text: String, _ policy: PrivacyPolicy = .default) -> (String, RedactionCounts) {
        var counts = RedactionCounts()
        return (PrivacySanitizer(policy: policy).sanitize(text: text, counts: &counts), counts)
    }

    @Test(arguments: [
        ("Dear Mr. Smith,", "Dear Mr. <redacted:personal>,"), ("call Mrs Jane Roe today", "call Mrs <redacted:personal> today"),
        ("Dr. Ana Lima signed", "Dr. <redacted:personal> signed"), ("Ms. Mary-Ann O'Neil", "Ms. <redacted:personal>"),
        ("Prof. Li", "Prof. <redacted:personal>"),
    ])
    func theNameAfterATitleGoes(input: String, expected: String) {
        let (cleaned, counts) = clean(input)
        #expect(cleaned == expected)
        #expect(counts[.personalDetail] == 1)
    }

    @Test(arguments: ["Mr. smith", "Mrs.", "Drive Home", "Dr.", "Mrx Foo", "Product Manager", "Missing Value", "MR. X", "Ms"])
    func withoutATitleAndANameNothingGoes(input: String) {
        #expect(clean(input).0 == input)
    }

    @Test func offWithPersonalDetails() {
        #expect(clean("Dear Mr. Smith", PrivacyPolicy(disabledRules: [.personalDetail])).0 == "Dear Mr. Smith")
    }
}
