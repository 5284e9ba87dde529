import Testing
import TelemetryCore

@Suite struct TruncationTests {
    @Test func shortTextIsUnchanged() {
        #expect(Truncation.prefix("hello", maxUTF8Bytes: 5) == "hello")
    }

    @Test func cutsOnCharacterBoundaries() {
        // "é" is 2 bytes, "👍🏽" is 8 bytes (two scalars, one character).
        #expect(Truncation.prefix("aé", maxUTF8Bytes: 2) == "a")
        #expect(Truncation.prefix("a👍🏽b", maxUTF8Bytes: 8) == "a")
        #expect(Truncation.prefix("a👍🏽b", maxUTF8Bytes: 9) == "a👍🏽")
        #expect(Truncation.prefix("abc", maxUTF8Bytes: 0) == "")
    }

    @Test func resultAlwaysFitsAndIsValid() {
        let text = String(repeating: "日本語🇧🇷x", count: 50)
        for limit in 0..<80 {
            let cut = Truncation.prefix(text, maxUTF8Bytes: limit)
            #expect(cut.utf8.count <= limit)
            #expect(text.hasPrefix(cut))
        }
    }
}
