// Written as an app developer would, from the README, with one import per product used.
import AutomagikTelemetry
import AutomagikTelemetryTestKit

/// A custom backend written against the public port alone.
struct TallyingExporter: TelemetryExporter {
    actor Tally {
        var spans: [String] = []
        var points = 0
        func add(_ payload: ExportPayload) {
            switch payload {
            case .spans(let records): spans += records.map(\.name)
            case .metrics(let records): points += records.reduce(0) { $0 + $1.pointCount }
            case .logs: break
            }
        }
    }
    let tally = Tally()

    func export(_ batch: ExportBatch) async -> ExportResult {
        await tally.add(batch.payload)
        return .success()
    }
}

struct ImportFailed: Error {}
func importContacts() throws { throw ImportFailed() }

var configuration = TelemetryConfiguration(projectName: "consumer", version: "1.0.0")
configuration.enabled = true
configuration.logsEnabled = true
let exporter = TallyingExporter()
let telemetry = try AutomagikTelemetry(
    configuration: configuration, dependencies: .inMemory(clock: ManualClock(), exporter: exporter)
)

// The README's quick start, verbatim.
telemetry.trackEvent(StandardEvents.featureUsed, attributes: ["feature": "export_csv", "rows": 1_204])
telemetry.trackMetric("import.duration", value: 812, type: .histogram, unit: "ms")
telemetry.trackLog("cache warmed", severity: .info, attributes: ["entries": 512])
do { try importContacts() } catch { telemetry.trackError(error, attributes: ["operation": "import"]) }
telemetry.trackEvent("signup", attributes: ["note": "reach me at jane@example.com"])

await telemetry.flush()
let stats = telemetry.stats
let redacted: Int = stats.redactions[PrivacyRule.email, default: 0]
let source: SettingSource? = telemetry.status.settings.first?.source
await telemetry.shutdown()

let spans = await exporter.tally.spans
let points = await exporter.tally.points
let firstSource = source.map(String.init(describing:)) ?? "none"
print("spans \(spans.sorted().joined(separator: ",")); points \(points); email redactions \(redacted); first source \(firstSource)")
guard spans.count == 3, points == 1, redacted == 1 else {
    fatalError("the consumer saw the wrong data: \(spans), \(points) points, \(redacted) email redactions")
}
