import Testing
@testable import TelemetryPrivacy

@Suite struct NameWordsTests {
    private func words(_ text: String, from start: Int = 0) -> [String] {
        let bytes = Array(text.utf8)
        return NameWords.ranges(in: bytes, from: start).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func capitalisedWordsOneSpaceApart() {
        #expect(words("Jane Roe signed") == ["Jane", "Roe"])
        #expect(words("Mary-Ann O'Neil") == ["Mary-Ann", "O'Neil"])
        #expect(words("José García López Vega") == ["José", "García", "López"], "at most three")
    }

    @Test func stopsBeforeTheFirstWordThatIsNotOne() {
        #expect(words("Jane Roe3 x") == ["Jane"])
        #expect(words("Jane  Roe") == ["Jane"], "two spaces end the name")
        #expect(words("J Roe").isEmpty, "one letter is an initial, not a word")
        #expect(words("jane Roe").isEmpty)
        #expect(words("MR Smith").isEmpty)
        #expect(words("Dear Jane", from: 5) == ["Jane"])
    }
}
