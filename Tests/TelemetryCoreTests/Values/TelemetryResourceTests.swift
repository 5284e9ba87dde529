import Testing
import TelemetryCore

@Suite struct TelemetryResourceTests {
    @Test func keepsInsertionOrderAndReplacesDuplicates() {
        var resource = TelemetryResource([("b", "1"), ("a", "2"), ("b", "3")])
        #expect(resource.attributes.map(\.key) == ["b", "a"])
        #expect(resource["b"] == "3")
        resource["c"] = true
        resource["a"] = nil
        #expect(resource.attributes.map(\.key) == ["b", "c"])
        #expect(resource == TelemetryResource([("b", "3"), ("c", true)]))
    }
}
