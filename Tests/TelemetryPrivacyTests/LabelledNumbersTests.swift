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
        ("CPF 123.456.789-09", "456.789", "<redacted:id>"), ("aadhaar 2345 6789 0123", "6789", "<redacted:id>"),
        ("Passport No. X1234567", "X1234567", "<redacted:id>"), ("SIN 046 454 286", "454", "<redacted:id>"),
        ("card ok, CVV 123", "123", "<redacted:secret>"), ("cvc: 4321", "4321", "<redacted:secret>"), ("CVV 123", "123", "<redacted:secret>"),
        ("DOB 1985-03-14", "1985-03-14", "<redacted:birthdate>"), ("born on 03/14/1985 in Lyon", "03/14/1985", "<redacted:birthdate>"),
        ("date of birth: 14.03.1985", "14.03.1985", "<redacted:birthdate>"),
        ("routing 021000021 account number 123456789", "021000021", "<redacted:id>"),
        ("routing 021000021 account number 123456789", "123456789", "<redacted:id>"), ("acct #98765432", "98765432", "<redacted:id>"),
        ("sort code 12-34-56", "12-34-56", "<redacted:id>"), ("VAT GB123456789", "GB123456789", "<redacted:id>"),
        ("NHS 943 476 5919", "476", "<redacted:id>"), ("medicare 2123 45670 1", "45670", "<redacted:id>"),
        ("driver's license D1234567", "D1234567", "<redacted:id>"), ("license plate ABC-1234", "ABC-1234", "<redacted:id>"),
        ("Patient John, MRN 12345678", "12345678", "<redacted:id>"), ("medical record number 12345678", "12345678", "<redacted:id>"),
        ("policy number: P-12345678", "P-12345678", "<redacted:id>"), ("claim #987654321", "987654321", "<redacted:id>"),
        ("student id 20231234", "20231234", "<redacted:id>"), ("employee id E-99812", "E-99812", "<redacted:id>"),
    ])
    func numbersALabelMakesPersonalGo(input: String, secret: String, replacement: String) {
        let cleaned = text(input)
        #expect(!cleaned.contains(secret), "\(cleaned)")
        #expect(cleaned.contains(replacement), "\(cleaned)")
    }

    @Test(arguments: [
        "pin the tab", "sin(x) = 0.5", "ssn_count 12", "born to run", "birthday campaign 3x", "dob unknown",
        "passport photos", "cvv missing", "tax id required", "pinned 12345 items", "descending 1234567",
        "account 20240115 report", "license Apache-2.0", "vat 20 %", "abandoned 123456 carts", "routing table 10",
        "policy enabled", "claim 2 rewards", "policyholder",
    ])
    func labelsWithoutTheirNumberStay(input: String) {
        #expect(text(input) == input)
    }
}
