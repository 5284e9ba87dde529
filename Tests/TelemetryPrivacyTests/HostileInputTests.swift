import Testing
import TelemetryCore
import TelemetryPrivacy

/// Inputs an attacker or a bug could produce: the sanitizer must stay bounded and never crash.
@Suite struct HostileInputTests {
    let sanitizer = PrivacySanitizer()

    @Test func deepNestingIsCutAtTheDepthLimit() {
        var value: AttributeValue = "leaf"
        for _ in 0..<2_000 { value = .array([value]) }
        var counts = RedactionCounts()
        let clean = sanitizer.sanitize(["deep": value], counts: &counts)["deep"]
        var depth = 0
        var cursor = clean
        while case .array(let inner)? = cursor {
            depth += 1
            cursor = inner.first
        }
        #expect(depth == 8)
        #expect(cursor == "[…]")
        #expect(counts[.truncated] >= 1)
    }

    @Test func attributeAndArrayCountsAreBounded() {
        let many = TelemetryAttributes((0..<100_000).map { ("k\($0)", AttributeValue.int(Int64($0))) })
        var counts = RedactionCounts()
        #expect(sanitizer.sanitize(many, counts: &counts).count == 128)
        let long = AttributeValue.array((0..<50_000).map { .int(Int64($0)) })
        guard case .array(let kept)? = sanitizer.sanitize(["list": long], counts: &counts)["list"] else {
            Issue.record("array lost")
            return
        }
        #expect(kept.count == 1000)
    }

    @Test func oddScalarsSurvive() {
        var counts = RedactionCounts()
        let input: TelemetryAttributes = [
            "": "empty key", "nan": .double(.nan), "negative zero": .double(-0.0), "inf": .double(.infinity),
            "control": "a\u{0}b\u{1B}[31mc\u{7F}", "surrogate": .string(String(decoding: [0xED, 0xA0, 0x80], as: UTF8.self)),
            "huge": .string(String(repeating: "x", count: 10_000_000)),
        ]
        let clean = sanitizer.sanitize(input, counts: &counts)
        #expect(clean.count == input.count)
        #expect(clean["huge"]?.displayString.utf8.count == 500)
        #expect(clean["control"] == "a\u{0}b\u{1B}[31mc\u{7F}")
    }
}
