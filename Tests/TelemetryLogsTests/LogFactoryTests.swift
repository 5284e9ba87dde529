import Testing
import TelemetryCore
import TelemetryLogs

@Suite struct LogFactoryTests {
    @Test func buildsRecordWithObservedTime() {
        let time = Timestamp(nanosecondsSinceEpoch: 42)
        let record = LogFactory().record(message: "hi", severity: .warn, attributes: ["k": 1], at: time)
        #expect(record.time == time && record.observedTime == time)
        #expect(record.severity == .warn)
        #expect(record.body == "hi")
        #expect(record.attributes == ["k": 1])
        #expect(record.traceID == nil && record.spanID == nil)
    }

    @Test func truncatesBodyWithoutSplittingCharacters() {
        let factory = LogFactory(maxBodyBytes: 10)
        let record = factory.record(message: "ééééééé", severity: .info, attributes: [:], at: .epoch)
        #expect(record.body == "ééééé")
        #expect(factory.wouldTruncate("ééééééé"))
        #expect(!factory.wouldTruncate("short"))
    }

    @Test func keepsTraceCorrelation() {
        let record = LogFactory().record(
            message: "m", severity: .error, attributes: [:], at: .epoch,
            traceID: TraceID(high: 1, low: 2), spanID: SpanID(3)
        )
        #expect(record.traceID == TraceID(high: 1, low: 2))
        #expect(record.spanID == SpanID(3))
    }
}
