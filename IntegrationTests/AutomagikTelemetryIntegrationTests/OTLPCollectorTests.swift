import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import TelemetryCore
import TelemetryGzip
import TelemetryHTTP
import TelemetryMetrics
import TelemetryOTLP
import Testing

/// The whole client against a real OTLP collector, for every signal × protobuf/JSON × gzip on/off.
/// Asserts on what the collector reports it received, and saves the exact request bodies for the
/// official-definition checks in run.sh.
@Suite(.enabled(if: IntegrationEnvironment.hasCollector, "needs the collector started by IntegrationTests/run.sh"))
struct OTLPCollectorTests {
    static let combinations: [(OTLPHTTPExporter.Encoding, Bool)] = [(.protobuf, true), (.protobuf, false), (.json, true), (.json, false)]

    @Test(arguments: combinations)
    func everySignalArrivesIntact(encoding: OTLPHTTPExporter.Encoding, gzip: Bool) async throws {
        let endpoint = try #require(IntegrationEnvironment.otlpEndpoint)
        let log = CollectorLog(path: try #require(IntegrationEnvironment.collectorLog))
        let tag = "\(encoding == .protobuf ? "pb" : "json")-\(gzip ? "gz" : "plain")-\(UUID().uuidString.prefix(8))"
        let http = RecordingHTTPClient(wrapping: DefaultHTTPClient())
        let telemetry = try AutomagikTelemetry(
            configuration: {
                var configuration = TelemetryConfiguration(projectName: "integration-\(tag)", version: "9.9.9")
                configuration.enabled = true
                configuration.logsEnabled = true
                configuration.backend = .otlp(OTLPSettings(endpoint: endpoint, encoding: encoding))
                configuration.exporter.compression = gzip
                configuration.exporter.compressionThreshold = 1
                return configuration
            }(),
            dependencies: TelemetryDependencies(
                environment: DictionaryEnvironment(), stateStore: InMemoryStateStore(), httpClient: http
            )
        )

        telemetry.trackEvent(
            "it.event.\(tag)",
            attributes: [
                "tag": .string(tag), "count": 42, "ratio": 0.25, "ok": true, "list": ["a", "b"], "api_key": "sk_live_x",
            ], duration: .milliseconds(12))
        telemetry.trackError(type: "ImportError", message: "bad row \(tag)", attributes: ["tag": .string(tag)])
        telemetry.trackMetric("it.counter.\(tag)", value: 3, type: .counter, unit: "{row}", attributes: ["tag": .string(tag)])
        telemetry.trackMetric("it.counter.\(tag)", value: 3, type: .counter, unit: "{row}", attributes: ["tag": .string(tag)])
        for value in [3.0, 30, 3000] {
            telemetry.trackMetric("it.histogram.\(tag)", value: value, type: .histogram, unit: "ms")
        }
        telemetry.trackMetric("it.gauge.\(tag)", value: 7.5, type: .gauge)
        telemetry.trackLog("log line \(tag)", severity: .warn, attributes: ["tag": .string(tag)])
        let report = await telemetry.shutdown(deadline: .seconds(20))

        #expect(!report.deadlineExceeded)
        #expect(report.stats.totalDropped == 0, "\(report.stats.dropped)")
        #expect(report.stats.exported == 2 + 3 + 1, "2 spans, 3 metric points, 1 log record")
        #expect(report.stats.bytesSent > 0)

        let requests = http.requests
        #expect(requests.count == 3)
        for request in requests {
            #expect(request.header("Content-Type") == encoding.contentType)
            #expect(request.header("Content-Encoding") == (gzip ? "gzip" : nil))
        }
        let bodies = try requests.map { request in
            request.header("Content-Encoding") == "gzip" ? try GzipDecompressor.decompress(request.body) : request.body
        }
        try saveArtifacts(bodies: bodies, requests: requests, encoding: encoding, tag: tag)
        #expect(!bodies.contains { String(decoding: $0, as: UTF8.self).contains("sk_live_x") })

        // What the collector saw.
        let text = try #require(await log.waitFor("log line \(tag)"), "the collector never printed the log record")
        let span = try #require(CollectorLog.block(in: text, containing: "Name           : it.event.\(tag)", header: "Span #"))
        #expect(span.contains("-> count: Int(42)"))
        #expect(span.contains("-> ratio: Double(0.25)"))
        #expect(span.contains("-> ok: Bool(true)"))
        #expect(span.contains("-> tag: Str(\(tag))"))
        #expect(span.contains("Kind           : SPAN_KIND_INTERNAL"))
        #expect(!span.contains("api_key"))
        // Signals go out concurrently (several requests in flight): find the traces request by its URL.
        let tracesIndex = try #require(requests.firstIndex { $0.url.hasSuffix("/v1/traces") })
        let traceIDs = try traceIDs(in: bodies[tracesIndex], encoding: encoding)
        #expect(traceIDs.count == 2)
        for traceID in traceIDs { #expect(text.contains("Trace ID       : \(traceID)")) }
        let startLine = span.components(separatedBy: "\n").first { $0.hasPrefix("Start time: ") }
        let endLine = span.components(separatedBy: "\n").first { $0.hasPrefix("End time: ") }
        let start = try #require(startLine.flatMap { UInt64($0.dropFirst("Start time: ".count)) })
        let end = try #require(endLine.flatMap { UInt64($0.dropFirst("End time: ".count)) })
        #expect(end - start == 12_000_000, "the duration survives to the nanosecond")

        let error = try #require(CollectorLog.block(in: text, containing: "Status message : bad row \(tag)", header: "Span #"))
        #expect(error.contains("Name           : automagik.error"))
        #expect(error.contains("Status code    : STATUS_CODE_ERROR"))
        #expect(error.contains("-> error_type: Str(ImportError)"))
        #expect(error.contains("-> Name: exception"))

        let logRecord = try #require(CollectorLog.block(in: text, containing: "Body: Str(log line \(tag))", header: "LogRecord #"))
        #expect(logRecord.contains("SeverityNumber: SEVERITY_NUMBER_WARN(13)"))
        #expect(logRecord.contains("SeverityText: WARN"))
        #expect(logRecord.contains("-> tag: Str(\(tag))"))

        // rotel silently drops spec-valid OTLP/JSON metrics (string-encoded 64-bit counts), so metric
        // content is asserted through protobuf; JSON metrics are checked against the official definitions.
        guard encoding == .protobuf else { return }
        let counter = try #require(CollectorLog.block(in: text, containing: "-> Name: it.counter.\(tag)", header: "Metric #"))
        #expect(counter.contains("-> DataType: Sum"))
        #expect(counter.contains("-> IsMonotonic: true"))
        #expect(counter.contains("-> Unit: {row}"))
        #expect(counter.contains("AGGREGATION_TEMPORALITY_CUMULATIVE"))
        #expect(counter.contains("Value: 6"))
        let histogram = try #require(CollectorLog.block(in: text, containing: "-> Name: it.histogram.\(tag)", header: "Metric #"))
        #expect(histogram.contains("-> DataType: Histogram"))
        #expect(histogram.contains("Count: 3\n"))
        #expect(histogram.contains("Sum: 3033"))
        #expect(histogram.contains("Min: 3\n"))
        #expect(histogram.contains("Max: 3000"))
        for bucket in [1, 4, 12] { #expect(histogram.contains("Buckets #\(bucket), Count: 1")) }
        #expect(histogram.contains("Buckets #0, Count: 0"))
        let gauge = try #require(CollectorLog.block(in: text, containing: "-> Name: it.gauge.\(tag)", header: "Metric #"))
        #expect(gauge.contains("-> DataType: Gauge"))
        #expect(gauge.contains("Value: 7.5"))
    }

    private func traceIDs(in body: [UInt8], encoding: OTLPHTTPExporter.Encoding) throws -> [String] {
        if encoding == .json {
            let text = String(decoding: body, as: UTF8.self)
            let regex = try Regex(#""traceId":"([0-9a-f]{32})""#)
            return text.matches(of: regex).compactMap { $0.output[1].substring.map(String.init) }
        }
        // request(1) → resource_spans(1)… → scope_spans(2) → spans(2) → trace_id(1)
        var ids: [String] = []
        for (field, value) in ProtobufReader.fields(of: body) ?? [] where field == 1 {
            guard case .lengthDelimited(let resourceSpans) = value else { continue }
            for (field, value) in ProtobufReader.fields(of: resourceSpans) ?? [] where field == 2 {
                guard case .lengthDelimited(let scopeSpans) = value else { continue }
                for (field, value) in ProtobufReader.fields(of: scopeSpans) ?? [] where field == 2 {
                    guard case .lengthDelimited(let span) = value,
                        case .lengthDelimited(let id)? = ProtobufReader.fields(of: span)?.first(where: { $0.field == 1 })?.value
                    else { continue }
                    ids.append(HexEncoding.hex(id))
                }
            }
        }
        return ids
    }

    private func saveArtifacts(bodies: [[UInt8]], requests: [HTTPRequest], encoding: OTLPHTTPExporter.Encoding, tag: String) throws {
        guard let directory = IntegrationEnvironment.artifacts else { return }
        for (index, body) in bodies.enumerated() {
            let signal = requests[index].url.components(separatedBy: "/v1/").last ?? "unknown"
            let name = encoding == .json ? "otlp-\(tag)-\(index)-\(signal).json" : "otlp-\(tag)-\(index)-\(signal).pb"
            try Data(body).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
    }
}
