import AutomagikTelemetry
import AutomagikTelemetryTestKit
import TelemetryCore
import TelemetryMetrics
import TelemetryPipeline
import Testing

/// Every caller-supplied name is bounded: cut or refused, counted, never held or exported whole.
@Suite struct NameBoundsTests {
    @Test func overLongEventNamesAndErrorTypesAreCutAndCounted() async throws {
        let harness = Harness()
        let telemetry = try harness.client()
        let huge = String(repeating: "é", count: 500_000)
        telemetry.trackEvent(huge)
        telemetry.trackError(type: huge, message: "m")
        await telemetry.flush()
        let spans = harness.exporter.spans
        #expect(spans.count == 2)
        #expect(spans.first { $0.name != "automagik.error" }.map { $0.name.utf8.count <= 255 && $0.name.hasPrefix("éé") } == true)
        #expect(telemetry.stats.redactions[.truncated, default: 0] >= 2)
        for span in spans {
            for (_, value) in span.attributes {
                if case .string(let text) = value { #expect(text.utf8.count <= 1024) }
            }
        }
        await telemetry.shutdown()
    }

    @Test(arguments: [
        (String(repeating: "a", count: 256), ""),
        (String(repeating: "a", count: 1_000_000), ""),
        ("requests", String(repeating: "s", count: 64)),
        ("requests", "ms\u{7}"),
        ("requests", "µs"),
        ("login.failed.maria.k@example.org", ""),
        ("card.5105105105105100", ""),
        ("requests", "maria.k@example.org"),
    ])
    func invalidOrPrivateMetricNamesAndUnitsAreRefusedAndCounted(name: String, unit: String) async throws {
        let harness = Harness()
        let telemetry = try harness.client()
        telemetry.trackMetric(name, value: 1, type: .counter, unit: unit)
        telemetry.trackMetric("requests", value: 1, type: .counter, unit: "{request}")
        await telemetry.flush()
        #expect(telemetry.stats.dropped[.invalidMetric] == 1)
        #expect(harness.exporter.metrics.map(\.name) == ["requests"])
        #expect(harness.exporter.metrics.first?.unit == "{request}")
        await telemetry.shutdown()
    }
}
