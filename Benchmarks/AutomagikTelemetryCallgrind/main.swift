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
        telemetry.trackEvent(
            "bench.feature_used",
            attributes: [
                "feature": "export_csv", "category": "api", "count": .int(index), "success": .bool(index % 2 == 0),
            ])
    }
}

/// Equivalent calls, outside the measured region (callgrind toggles on `measuredTrackEvents` only).
/// Names and keys differ on purpose: identical attribute closures would be merged by the optimizer
/// into one function, and callgrind's call counts for it would then include the warm-up.
@inline(never)
func warmUp(_ telemetry: AutomagikTelemetry, count: Int) {
    for index in 0..<count {
        telemetry.trackEvent(
            "bench.warm_up",
            attributes: [
                "warm_feature": "export_csv", "warm_category": "api", "warm_count": .int(index), "warm_success": .bool(index % 2 == 0),
            ])
    }
}

let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000
let telemetry = try AutomagikTelemetry(
    configuration: {
        var configuration = TelemetryConfiguration(projectName: "callgrind", version: "1")
        configuration.enabled = true
        configuration.batching.queueCapacity = 100_000
        return configuration
    }(),
    dependencies: TelemetryDependencies(environment: DictionaryEnvironment(), stateStore: InMemoryStateStore(), exporter: AcceptEverything())
)
// Warm up outside the measured region: grow the intake rings to the size the measured burst needs
// (they grow lazily and never shrink), then let the worker drain them, so what is measured is the
// steady-state cost of a call, not a one-off growth.
warmUp(telemetry, count: n + 1_000)
while telemetry.stats.queued > 0 { Thread.sleep(forTimeInterval: 0.05) }
measuredTrackEvents(telemetry, from: n + 1_000, count: n)
print("tracked \(n) events; stats: enqueued \(telemetry.stats.enqueued), dropped \(telemetry.stats.totalDropped)")
exit(0)
