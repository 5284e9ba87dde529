import Testing
import TelemetryCore

@Suite struct TelemetryAttributesTests {
    @Test func addMissingKeepsValuesAlreadyHereAndAppendsTheRestInOrder() {
        var attributes: TelemetryAttributes = ["os.type": "app-set", "feature": "export"]
        attributes.addMissing(["os.type": "linux", "host.arch": "x86_64", "feat": 1])
        #expect(attributes == ["os.type": "app-set", "feature": "export", "host.arch": "x86_64", "feat": 1])
        #expect(attributes.keys == ["os.type", "feature", "host.arch", "feat"])
    }

    @Test func addMissingComparesWholeKeysNotLengths() {
        var attributes: TelemetryAttributes = ["abcd": 1, "ab": 2]
        attributes.addMissing(["abce": 3, "ab": 4, "abc": 5])
        #expect(attributes == ["abcd": 1, "ab": 2, "abce": 3, "abc": 5])
    }

    @Test func addMissingMatchesKeysAsStringEqualityDoesEvenWhenTheirLengthsDiffer() {
        // Precomposed é (2 bytes) and e + combining acute (3 bytes); "K" and the Kelvin sign (3 bytes).
        for (here, added) in [("\u{E9}", "e\u{301}"), ("e\u{301}", "\u{E9}"), ("K", "\u{212A}"), ("\u{212A}", "K")] {
            var attributes: TelemetryAttributes = [here: 1, "plan": "pro"]
            attributes.addMissing([added: 2, "os.type": "linux"])
            var merged: TelemetryAttributes = [here: 1, "plan": "pro"]
            merged.merge([added: 2, "os.type": "linux"]) { current, _ in current }
            #expect(attributes == merged && attributes.count == 3, "\(here.unicodeScalars.map(\.value)) vs \(added.unicodeScalars.map(\.value))")
            #expect(attributes[here] == .int(1))
        }
    }

    @Test func addMissingIntoNothingOrFromNothing() {
        var empty = TelemetryAttributes()
        empty.addMissing(["a": 1])
        #expect(empty == ["a": 1])
        var some: TelemetryAttributes = ["a": 1]
        some.addMissing([:])
        #expect(some == ["a": 1])
    }
}
