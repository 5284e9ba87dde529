import TelemetryCore
import Testing

@Suite struct DecimalDigitsTests {
    @Test func digitsAreRead() {
        #expect(DecimalDigits.value(of: Array("0".utf8)) == 0)
        #expect(DecimalDigits.value(of: Array("120".utf8)) == 120)
        #expect(DecimalDigits.value(of: Array("18446744073709551615".utf8)) == .max)
    }

    @Test func longerNumbersSaturate() {
        #expect(DecimalDigits.value(of: Array("18446744073709551616".utf8)) == .max)
        #expect(DecimalDigits.value(of: Array(String(repeating: "9", count: 1000).utf8)) == .max)
    }

    @Test(arguments: ["", "-1", "+1", " 1", "1 ", "1.5", "١٢", "0x10"])
    func anythingButDigitsIsRefused(text: String) {
        #expect(DecimalDigits.value(of: Array(text.utf8)) == nil)
    }
}
