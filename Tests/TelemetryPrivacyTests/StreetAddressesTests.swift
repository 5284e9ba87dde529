import Testing
import TelemetryCore
@testable import TelemetryPrivacy

@Suite struct StreetAddressesTests {
    private func clean(_ text: String) -> (String, RedactionCounts) {
        var counts = RedactionCounts()
        return (PrivacySanitizer().sanitize(text: text, counts: &counts), counts)
    }

    @Test(arguments: [
        ("1600 Pennsylvania Avenue NW, Washington", "<redacted:address>, Washington"),
        ("ship to 221B Baker Street today", "ship to <redacted:address> today"),
        ("42 W 5th St. apt 3", "<redacted:address> apt 3"),
        ("350 FIFTH AVENUE", "<redacted:address>"),
        ("10 Downing Street, London SW1A 2AA", "<redacted:address>, London SW1A 2AA"),
        ("Hauptstraße 5, 10115 Berlin", "<redacted:address>, 10115 Berlin"),
        ("Lindenstr. 12a", "<redacted:address>"),
        ("Hauptstra\\u00dfe 5", "<redacted:address>"),
    ])
    func addressesLeaveNothingOfTheStreet(input: String, expected: String) {
        let (cleaned, counts) = clean(input)
        #expect(cleaned == expected)
        #expect(counts[.personalDetail] == 1)
    }

    @Test(arguments: [
        "3 best ways to grow", "Step 2 Drive Home", "Chapter 3 The Road", "Top 10 Places", "5 Best Way",
        "HTTP 404 Not Found", "Version 2 Street Fighter", "No. 5 Main Course", "#42 Main St", "Lesson 4 Road Safety",
        "Retry 3 Times", "build 42 Main", "12 main street", "Weg 5", "Straße 12",
    ])
    func numberedTitlesAndLowerCaseTextAreNotAddresses(input: String) {
        #expect(clean(input).0 == input)
    }

    @Test func theRuleIsTheTextFormOfPersonalDetails() {
        var counts = RedactionCounts()
        let keeping = PrivacySanitizer(policy: PrivacyPolicy(disabledRules: [.personalDetail]))
        #expect(keeping.sanitize(text: "221B Baker Street", counts: &counts) == "221B Baker Street")
    }
}
