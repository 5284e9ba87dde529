import Testing
import TelemetryCore
import TelemetryPrivacy

/// Numbers a label in the text makes personal (`LabelledNumbers`), through the sanitizer.
@Suite struct LabelledNumbersTests {
    let sanitizer = PrivacySanitizer()

    private func text(_ input: String) -> String {
        var counts = RedactionCounts()
        return sanitizer.sanitize(text: input, counts: &counts)
    }

    @Test(arguments: [
        ("ssn 123456789", "123456789", "<redacted:id>"), ("my NINO is QQ 12 34 56 C", "QQ 12 34 56", "<redacted:id>"),
        ("CPF 123.456.789-09", "456.789", "<redacted:id>"), ("aadhaar: 2345 6789 0123", "6789", "<redacted:id>"),
        ("Passport No. X1234567", "X1234567", "<redacted:id>"), ("SIN 046 454 286", "454", "<redacted:id>"),
        ("card ok, CVV 123", "123", "<redacted:secret>"), ("cvc: 4321", "4321", "<redacted:secret>"), ("CVV 123", "123", "<redacted:secret>"),
        ("DOB 1985-03-14", "1985-03-14", "<redacted:birthdate>"), ("born on 03/14/1985 in Lyon", "03/14/1985", "<redacted:birthdate>"),
        ("date of birth: 14.03.1985", "14.03.1985", "<redacted:birthdate>"),
    ])
    func numbersALabelMakesPersonalGo(input: String, secret: String, replacement: String) {
        let cleaned = text(input)
        #expect(!cleaned.contains(secret), "\(cleaned)")
        #expect(cleaned.contains(replacement), "\(cleaned)")
    }

    @Test(arguments: [
        "pin the tab", "sin(x) = 0.5", "ssn_count 12", "born to run", "birthday campaign 3x", "dob unknown",
        "passport photos", "cvv missing", "tax id required", "pinned 12345 items", "descending 1234567",
    ])
    func labelsWithoutTheirNumberStay(input: String) {
        #expect(text(input) == input)
    }
}
