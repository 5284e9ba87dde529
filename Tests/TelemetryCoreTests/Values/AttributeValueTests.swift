import Testing
import TelemetryCore

@Suite struct AttributeValueTests {
    @Test func literalsProduceTypedValues() {
        let attributes: TelemetryAttributes = ["s": "text", "i": 42, "d": 0.5, "b": true, "a": ["x", 1, [false]]]
        #expect(attributes["s"] == .string("text"))
        #expect(attributes["i"] == .int(42))
        #expect(attributes["d"] == .double(0.5))
        #expect(attributes["b"] == .bool(true))
        #expect(attributes["a"] == .array([.string("x"), .int(1), .array([.bool(false)])]))
    }

    @Test func platformIntConvenience() {
        let count = 7
        #expect(AttributeValue.int(count) == .int(Int64(7)))
    }

    @Test(arguments: [
        ("true", AttributeValue.bool(true)), ("false", .bool(false)), ("42", .int(42)), ("-3", .int(-3)),
        ("0.25", .double(0.25)), ("1e3", .double(1000)), ("nan", .string("nan")), ("inf", .string("inf")),
        ("1.2.3", .string("1.2.3")), ("", .string("")), ("True", .string("True")),
    ])
    func inferringTypes(text: String, expected: AttributeValue) {
        #expect(AttributeValue(inferring: text) == expected)
    }

    @Test func displayStringRendersArrays() {
        #expect(AttributeValue.array(["a", 2, true]).displayString == "[a, 2, true]")
    }
}
