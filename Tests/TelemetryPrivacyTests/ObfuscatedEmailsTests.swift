import Testing
import TelemetryCore
@testable import TelemetryPrivacy

@Suite struct ObfuscatedEmailsTests {
    private func clean(_ text: String, _ policy: PrivacyPolicy = .default) -> (String, RedactionCounts) {
        var counts = RedactionCounts()
        return (PrivacySanitizer(policy: policy, salt: Array("salt".utf8)).sanitize(text: text, counts: &counts), counts)
    }

    @Test(arguments: [
        "jane(at)example.com", "jane [at] example [dot] com", "jane{at}example{dot}org", "Jane.Roe (AT) Example (DOT) co (DOT) uk",
        "jane at example dot com", "write to jane.roe at mail dot example dot de today", "jane<at>example.io",
    ])
    func obfuscatedAddressesAreEmails(input: String) {
        let (cleaned, counts) = clean(input)
        #expect(!cleaned.lowercased().contains("jane"), "\(cleaned)")
        #expect(!cleaned.lowercased().contains("example"), "\(cleaned)")
        #expect(cleaned.contains("<redacted:email>"))
        #expect(counts[.email] == 1)
    }

    @Test(arguments: [
        "meet at the gate dot 5", "arrive at noon", "look at (dot) matrix", "cat(at)", "at(at)home", "jane at example",
        "priced at 5.00 dot", "x at y dot zzzzzz", "stand at ease dot com2",
    ])
    func proseWithTheWordsIsLeftAlone(input: String) {
        #expect(clean(input).0 == input)
    }

    @Test func theEmailTreatmentAppliesToThem() {
        var policy = PrivacyPolicy.default
        policy.emailTreatment = .pseudonymise
        let (first, _) = clean("jane(at)example.com", policy)
        let (second, _) = clean("bob [at] EXAMPLE [dot] com", policy)
        #expect(first.hasPrefix("<email:") && first == second, "the domain's pseudonym: \(first) \(second)")
        policy.disabledRules = [.email]
        #expect(clean("jane(at)example.com", policy).0 == "jane(at)example.com")
    }
}
