import AutomagikTelemetryTestKit
import Testing
import TelemetryCore
import TelemetrySpans

@Suite struct SpanFactoryTests {
    let factory = SpanFactory(ids: SeededRandomSource(seed: 1))
    let now = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)

    @Test func eventSpanIsAnInstantRootSpan() {
        let span = factory.eventSpan(name: "app.opened", attributes: ["screen": "home"], end: now)
        #expect(span.name == "app.opened")
        #expect(span.startTime == now && span.endTime == now)
        #expect(span.parentSpanID == nil)
        #expect(span.kind == .internal)
        #expect(span.status == .unset)
        #expect(span.traceID.isValid && span.spanID.isValid)
        #expect(span.attributes == ["screen": "home"])
    }

    @Test func durationStartsTheSpanEarlier() {
        let span = factory.eventSpan(name: "import", attributes: [:], end: now, duration: .milliseconds(250))
        #expect(span.duration == .milliseconds(250))
        #expect(span.endTime == now)
        let negative = factory.eventSpan(name: "x", attributes: [:], end: now, duration: .seconds(-3))
        #expect(negative.duration == .zero)
    }

    @Test func spansGetDistinctIds() {
        let first = factory.eventSpan(name: "a", attributes: [:], end: now)
        let second = factory.eventSpan(name: "a", attributes: [:], end: now)
        #expect(first.traceID != second.traceID)
        #expect(first.spanID != second.spanID)
    }

    @Test func errorSpanFollowsExceptionConventions() throws {
        let failure = ErrorDescription(type: "ImportError", message: "bad row 7", stackTrace: "0 main\n1 start")
        let span = factory.errorSpan(failure, attributes: ["operation": "import"], at: now)
        #expect(span.name == "automagik.error")
        #expect(span.status == .error("bad row 7"))
        #expect(span.attributes["error_type"] == "ImportError")
        #expect(span.attributes["error_message"] == "bad row 7")
        #expect(span.attributes["operation"] == "import")
        let event = try #require(span.events.first)
        #expect(span.events.count == 1)
        #expect(event.name == "exception")
        #expect(event.time == now)
        #expect(event.attributes["exception.type"] == "ImportError")
        #expect(event.attributes["exception.message"] == "bad row 7")
        #expect(event.attributes["exception.stacktrace"] == "0 main\n1 start")
    }

    @Test func errorMessageAttributeIsCapped() {
        let long = String(repeating: "x", count: 2_000)
        let span = factory.errorSpan(ErrorDescription(type: "E", message: long), attributes: [:], at: now)
        #expect(span.attributes["error_message"] == .string(String(repeating: "x", count: 500)))
        #expect(span.events[0].attributes["exception.stacktrace"] == nil)
    }
}
