import AutomagikTelemetry
import AutomagikTelemetryTestKit
import TelemetryCore
import TelemetryMetrics
import Testing

@Suite struct RecordingExporterMetricsTests {
    /// The same measurements read back whatever the temporality the client exported them in.
    @Test(arguments: [AggregationTemporality.delta, .cumulative])
    func countersGaugesAndHistogramsReadBackByName(temporality: AggregationTemporality) async throws {
        let clock = ManualClock(), exporter = RecordingExporter()
        var configuration = TelemetryConfiguration(projectName: "t", version: "1")
        configuration.enabled = true
        configuration.exporter.metricTemporality = temporality
        let telemetry = try AutomagikTelemetry(configuration: configuration, dependencies: .inMemory(clock: clock, exporter: exporter))
        telemetry.trackMetric("orders", value: 2, type: .counter, attributes: ["region": "eu"])
        telemetry.trackMetric("orders", value: 1, type: .counter, attributes: ["region": "us"])
        telemetry.trackMetric("latency", value: 30, type: .histogram)
        telemetry.trackMetric("queue", value: 4)
        await telemetry.flush()
        clock.advance(by: .seconds(1))
        telemetry.trackMetric("orders", value: 3, type: .counter, attributes: ["region": "eu"])
        telemetry.trackMetric("latency", value: 10, type: .histogram)
        telemetry.trackMetric("queue", value: 7)
        await telemetry.flush()

        #expect(exporter.sum("orders", attributes: ["region": "eu"]) == 5)
        #expect(exporter.sum("orders") == 6)
        #expect(exporter.gauge("queue") == 7)
        #expect(exporter.histogram("latency") == .init(count: 2, sum: 40, min: 10, max: 30))
        #expect(exporter.sum("missing") == nil && exporter.gauge("orders") == nil && exporter.histogram("queue") == nil)
    }
}
