import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import TelemetryCore

// A synchronous driver for instruction counting with callgrind (valgrind 3.19 cannot follow the
// signal handling of Swift's async `main`). See Benchmarks/callgrind.sh, which runs:
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measuredTrackEvents*' \
//       automagik-telemetry-callgrind N
// and divides the instructions and malloc calls inside `measuredTrackEvents` by N.

struct AcceptEverything: TelemetryExporter {
    func export(_ batch: ExportBatch) async -> ExportResult { .success() }
}

/// The measured region: `n` calls of the benchmark's event workload, on this (the caller's) thread.
@inline(never)
func measuredTrackEvents(_ telemetry: AutomagikTelemetry, from start: Int, count: Int) {
    for index in start..<(start + count) {
        telemetry.trackEvent("bench.feature_used", attributes: [
            "feature": "export_csv", "category": "api", "count": .int(index), "success": .bool(index % 2 == 0),
        ])
    }
}

let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000
let telemetry = try AutomagikTelemetry(
    configuration: TelemetryConfiguration(projectName: "callgrind", version: "1", enabled: true, queueCapacity: 100_000),
    dependencies: TelemetryDependencies(environment: DictionaryEnvironment(), stateStore: InMemoryStateStore(), exporter: AcceptEverything())
)
// Warm up (first-touch allocations of the queue and caches) outside the measured region.
for index in 0..<1_000 {
    telemetry.trackEvent("bench.feature_used", attributes: ["feature": "export_csv", "category": "api", "count": .int(index), "success": true])
}
Thread.sleep(forTimeInterval: 0.2)
measuredTrackEvents(telemetry, from: 1_000, count: n)
print("tracked \(n) events; stats: enqueued \(telemetry.stats.enqueued), dropped \(telemetry.stats.totalDropped)")
exit(0)
