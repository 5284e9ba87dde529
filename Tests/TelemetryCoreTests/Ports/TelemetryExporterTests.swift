import Testing
import TelemetryCore

@Suite struct ExportPayloadTests {
    private func span(_ n: UInt64) -> SpanRecord {
        SpanRecord(
            traceID: TraceID(high: 1, low: n), spanID: SpanID(n), name: "s\(n)",
            startTime: .epoch, endTime: .epoch
        )
    }

    @Test func splitsIntoHalves() throws {
        let payload = ExportPayload.spans((1...5).map(span))
        let (first, second) = try #require(payload.split())
        #expect(first.itemCount == 2)
        #expect(second.itemCount == 3)
        #expect(ExportPayload.spans([span(1)]).split() == nil)
    }

    @Test func metricItemsArePoints() {
        let point = NumberDataPoint(attributes: [:], startTime: .epoch, time: .epoch, value: .double(1))
        let record = MetricRecord(name: "m", data: .gauge([point, point, point]))
        #expect(ExportPayload.metrics([record, record]).itemCount == 6)
        #expect(ExportPayload.metrics([]).signal == .metrics)
    }

    @Test func spanEndIsNeverBeforeStart() {
        let record = SpanRecord(
            traceID: TraceID(high: 1, low: 1), spanID: SpanID(1), name: "x",
            startTime: Timestamp(nanosecondsSinceEpoch: 10), endTime: Timestamp(nanosecondsSinceEpoch: 5)
        )
        #expect(record.endTime == record.startTime)
        #expect(record.duration == .zero)
    }
}

@Suite struct HTTPTypesTests {
    @Test func headerLookupIsCaseInsensitive() {
        let request = HTTPRequest(url: "https://x", headers: [HTTPHeader("Content-Type", "application/json")], timeout: .seconds(1))
        #expect(request.header("content-type") == "application/json")
        let response = HTTPResponse(status: 200, headers: ["Retry-After": "5"])
        #expect(response.header("retry-after") == "5")
    }

    @Test func dictionaryEnvironment() {
        let environment = DictionaryEnvironment(["A": "1"])
        #expect(environment.value(for: "A") == "1")
        #expect(environment.value(for: "B") == nil)
    }
}
