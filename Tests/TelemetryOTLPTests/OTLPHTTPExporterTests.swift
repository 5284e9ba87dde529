import AutomagikTelemetryTestKit
import Foundation
import Testing
@_spi(Internals) import TelemetryCore
import TelemetryGzip
import TelemetryHTTP
import TelemetryOTLP

@Suite struct OTLPHTTPExporterTests {
    let clock = ManualClock(start: Timestamp(nanosecondsSinceEpoch: 1_445_412_480 * 1_000_000_000))

    private func batch(_ count: Int = 1, signal: TelemetrySignal = .traces) -> ExportBatch {
        let spans = (0..<count).map { index in
            SpanRecord(
                traceID: TraceID(high: 1, low: UInt64(index + 1)), spanID: SpanID(UInt64(index + 1)),
                name: "span-\(index)", startTime: .epoch, endTime: .epoch, attributes: ["feature": "export_csv"])
        }
        switch signal {
        case .traces: return ExportBatch(resource: TelemetryResource([("service.name", "t")]), payload: .spans(spans))
        case .logs:
            return ExportBatch(resource: TelemetryResource(), payload: .logs([LogRecord(time: .epoch, severity: .info, body: "b")]))
        case .metrics:
            let point = NumberDataPoint(attributes: [:], startTime: .epoch, time: .epoch, value: .double(1))
            return ExportBatch(resource: TelemetryResource(), payload: .metrics([MetricRecord(name: "m", data: .gauge([point]))]))
        }
    }

    private func exporter(
        _ server: LoopbackHTTPServer, encoding: OTLPHTTPExporter.Encoding = .protobuf, gzip: Bool = true,
        threshold: Int = 1024, headers: [HTTPHeader] = [], timeout: Duration = .seconds(5)
    ) -> OTLPHTTPExporter {
        OTLPHTTPExporter(
            configuration: .init(
                tracesURL: server.url + "/v1/traces", metricsURL: server.url + "/v1/metrics", logsURL: server.url + "/v1/logs",
                encoding: encoding, headers: headers, compressor: gzip ? GzipCompressor() : nil,
                compressionThreshold: threshold, timeout: timeout
            ),
            client: DefaultHTTPClient(), clock: clock
        )
    }

    @Test func protobufRequestHasExactHeadersAndRoutesBySignal() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        let otlp = exporter(server, headers: [HTTPHeader("Authorization", "Bearer t0ken")])
        #expect(await otlp.export(batch()) == .success(rejectedItems: 0, bytesSent: server.requests.first?.body.count ?? -1))
        _ = await otlp.export(batch(signal: .metrics))
        _ = await otlp.export(batch(signal: .logs))
        let requests = server.requests
        #expect(requests.map(\.path) == ["/v1/traces", "/v1/metrics", "/v1/logs"])
        let first = try #require(requests.first)
        #expect(first.method == "POST")
        #expect(first.headers["content-type"] == "application/x-protobuf")
        #expect(first.headers["user-agent"] == SDKInfo.userAgent)
        #expect(first.headers["authorization"] == "Bearer t0ken")
        #expect(first.headers["content-encoding"] == nil, "small bodies stay uncompressed")
        #expect(first.body == OTLPProtobufEncoder().encode(batch()))
    }

    @Test func largeBodiesAreGzippedAndSayso() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        _ = await exporter(server, encoding: .json).export(batch(50))
        let request = try #require(server.requests.first)
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["content-encoding"] == "gzip")
        #expect(try GzipDecompressor.decompress(request.body) == OTLPJSONEncoder().encode(batch(50)))
    }

    @Test func compressionCanBeSwitchedOff() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        _ = await exporter(server, gzip: false).export(batch(50))
        #expect(server.requests.first?.headers["content-encoding"] == nil)
    }

    @Test(arguments: [200, 202, 204])
    func any2xxIsSuccess(status: Int) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: status) }
        defer { server.stop() }
        guard case .success = await exporter(server).export(batch()) else {
            Issue.record("HTTP \(status)")
            return
        }
    }

    @Test func partialSuccessIsReadFromProtobufAndJSON() async throws {
        // ExportTraceServiceResponse { partial_success (1) { rejected_spans (1) = 2, error_message (2) = "bad" } }
        let protobufBody: [UInt8] = [0x0A, 0x07, 0x08, 0x02, 0x12, 0x03] + Array("bad".utf8)
        let server = try LoopbackHTTPServer { request in
            request.headers["content-type"] == "application/json"
                ? .respond(
                    status: 200, headers: ["Content-Type": "application/json"],
                    body: Array(#"{"partialSuccess":{"rejectedSpans":"3","errorMessage":"x"}}"#.utf8))
                : .respond(status: 200, headers: ["Content-Type": "application/x-protobuf"], body: protobufBody)
        }
        defer { server.stop() }
        guard case .success(let rejected, _) = await exporter(server).export(batch(5)) else {
            Issue.record("protobuf")
            return
        }
        #expect(rejected == 2)
        guard case .success(let rejectedJSON, _) = await exporter(server, encoding: .json).export(batch(5)) else {
            Issue.record("json")
            return
        }
        #expect(rejectedJSON == 3)
    }

    @Test(arguments: [429, 502, 503, 504])
    func overloadIsRetryableWithRetryAfter(status: Int) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: status, headers: ["Retry-After": "Wed, 21 Oct 2015 07:28:09 GMT"]) }
        defer { server.stop() }
        #expect(await exporter(server).export(batch()) == .retryable(reason: "HTTP \(status)", retryAfter: .seconds(9)))
    }

    @Test func tooLargeAsksForASplit() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 413) }
        defer { server.stop() }
        #expect(await exporter(server).export(batch()) == .tooLarge(reason: "HTTP 413"))
    }

    @Test(arguments: [400, 401, 403, 404, 500, 301])
    func otherStatusesArePermanent(status: Int) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: status, body: Array("nope\n\u{1B}[31m".utf8)) }
        defer { server.stop() }
        guard case .permanentFailure(let reason) = await exporter(server).export(batch()) else {
            Issue.record("HTTP \(status) should be permanent")
            return
        }
        #expect(reason.hasPrefix("HTTP \(status)"))
        #expect(!reason.contains("\u{1B}"))
    }

    @Test func transportFailuresAreRetryable() async throws {
        let hanging = try LoopbackHTTPServer { _ in .hang }
        defer { hanging.stop() }
        guard case .retryable(let reason, _) = await exporter(hanging, timeout: .milliseconds(200)).export(batch()) else {
            Issue.record("timeout should be retryable")
            return
        }
        #expect(reason == "timed out")
        let closing = try LoopbackHTTPServer { _ in .close }
        defer { closing.stop() }
        guard case .retryable = await exporter(closing).export(batch()) else {
            Issue.record("a dropped connection should be retryable")
            return
        }
    }

    @Test func garbageResponsesDoNotCrash() async throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(status: 200, headers: ["Content-Type": "application/x-protobuf"], body: [0xFF, 0xFF, 0xFF, 0x0A, 0x99])
        }
        defer { server.stop() }
        #expect(await exporter(server).export(batch()) == .success(rejectedItems: 0, bytesSent: server.requests.first?.body.count ?? 0))
    }
}

@Suite struct OTLPHostileServerTests {
    private func exporter(url: String, timeout: Duration = .seconds(5)) -> OTLPHTTPExporter {
        OTLPHTTPExporter(
            configuration: .init(
                tracesURL: url + "/v1/traces", metricsURL: url + "/v1/metrics", logsURL: url + "/v1/logs",
                timeout: timeout),
            client: DefaultHTTPClient(), clock: ManualClock()
        )
    }

    private let batch = ExportBatch(
        resource: TelemetryResource(),
        payload: .spans([
            SpanRecord(traceID: TraceID(high: 1, low: 1), spanID: SpanID(1), name: "x", startTime: .epoch, endTime: .epoch)
        ]))

    @Test func tlsToAPlainHTTPServerIsARetryableFailureNotACrash() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        guard case .retryable = await exporter(url: "https://127.0.0.1:\(server.port)").export(batch) else {
            Issue.record("a TLS handshake failure must be retryable")
            return
        }
    }

    @Test func hugeAndOddResponsesAreTolerated() async throws {
        let huge = [UInt8](repeating: 0x41, count: 512 * 1024)
        let responses: [LoopbackHTTPServer.Behaviour] = [
            .respond(status: 200, headers: ["Content-Type": "text/html"], body: huge),
            .respond(status: 200, headers: ["Content-Type": "application/json"], body: Array("{not json".utf8)),
            .respond(status: 202, headers: ["Content-Type": "application/json"], body: Array(#"{"partialSuccess":{"rejectedSpans":"-5"}}"#.utf8)),
        ]
        let served = LockedBox(0)
        let server = try LoopbackHTTPServer { _ in
            served.withLock { count in
                defer { count += 1 }
                return responses[count % responses.count]
            }
        }
        defer { server.stop() }
        // A generous timeout: this is about tolerating the bodies, and TSan runs are slow.
        let otlp = exporter(url: server.url, timeout: .seconds(60))
        for index in responses.indices {
            let result = await otlp.export(batch)
            guard case .success(let rejected, _) = result else {
                Issue.record("response \(index): a 2xx with an odd body is still a success, got \(result)")
                continue
            }
            #expect(rejected == 0)
        }
    }
}
