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

@Suite struct AttributeValueEquivalenceTests {
    @Test func nanEqualsItselfSoKeysCanBeFoundAgain() {
        let key: TelemetryAttributes = ["ratio": .double(.nan)]
        var series: [TelemetryAttributes: Int] = [key: 1]
        series[key, default: 0] += 1
        #expect(series[key] == 2)
        #expect(AttributeValue.double(.nan) == .double(.nan))
        #expect(AttributeValue.double(0.0) == .double(-0.0))
        #expect(AttributeValue.double(0.0).hashValue == AttributeValue.double(-0.0).hashValue)
        #expect(AttributeValue.int(1) != .double(1))
    }

    @Test func attributeSetsIgnoreOrder() {
        let a: TelemetryAttributes = ["x": 1, "y": "two"]
        let b: TelemetryAttributes = ["y": "two", "x": 1]
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(a != ["x": 1])
        let duplicated: TelemetryAttributes = ["k": 1, "k": 2]
        #expect(duplicated.count == 1 && duplicated["k"] == 2)
    }
}
