import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import TelemetryCore
import TelemetryMetrics
import Testing

/// A dry run runs the whole pipeline and writes each request as OTLP/JSON instead of sending it.
@Suite struct DryRunTests {
    @Test func aDryRunToAFileSendsNothingAndWritesTheRequests() async throws {
        let path = NSTemporaryDirectory() + "automagik-dry-run-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let http = RecordingHTTPClient()
        var configuration = TelemetryConfiguration.test("dry")
        configuration.backend = .otlp(OTLPSettings(endpoint: "https://collector.example.com"))
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: .inMemory(environment: ["AUTOMAGIK_TELEMETRY_DRY_RUN": "file:\(path)"], exporter: nil, httpClient: http)
        )
        #expect(telemetry.status.dryRun == .file(path: path))
        #expect(telemetry.status.description.contains("dry run: nothing is sent"))
        telemetry.trackEvent("checkout", attributes: ["email": "jane@example.com"])
        telemetry.trackLog("hello")
        telemetry.trackMetric("orders", value: 2, type: .counter)
        await telemetry.shutdown(deadline: .seconds(10))
        #expect(http.requests.isEmpty, "nothing went to the network")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let signals = try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).keys.first ?? ""
        }
        #expect(Set(signals) == ["resourceSpans", "resourceLogs", "resourceMetrics"])
        #expect(!text.contains("jane@example.com"), "the privacy rules ran")
    }

    @Test func codeChoosesTheConsoleAndAnInvalidEnvironmentValueIsReported() throws {
        var configuration = TelemetryConfiguration.test("dry")
        configuration.dryRun = .console
        let telemetry = try AutomagikTelemetry(configuration: configuration, dependencies: .inMemory(exporter: nil))
        #expect(telemetry.status.dryRun == .console)
        let invalid = try AutomagikTelemetry(
            configuration: .test("dry"), dependencies: .inMemory(environment: ["AUTOMAGIK_TELEMETRY_DRY_RUN": "maybe"], exporter: nil)
        )
        #expect(invalid.status.dryRun == nil)
        #expect(invalid.status.environmentProblems.contains { $0.contains("AUTOMAGIK_TELEMETRY_DRY_RUN") })
        #expect(DryRun(parsing: "false") == nil && DryRun(parsing: "stderr") == .console)
    }
}
