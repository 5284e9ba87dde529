import AutomagikTelemetry
import Foundation
import TelemetryCore
import TelemetryMetrics
import TelemetryOTLP

// automagik-telemetry-bench: fixed workloads, one JSON object per workload, then a table.
// Usage: automagik-telemetry-bench [--workload NAME] [--events N] [--endpoint URL] [--backend otlp]
//        [--protocol protobuf|json] [--compression gzip|none] [--batch-size N]
// Workloads: all, caller, contention, end-to-end, memory, wire-size, components, callgrind, and
// defaults-child (one burst at default settings; Benchmarks/run.sh runs it per receiver and size).

var options = BenchOptions()
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    guard !arguments.isEmpty || flag == "--help" else {
        FileHandle.standardError.write(Data("missing value for \(flag)\n".utf8))
        exit(2)
    }
    switch flag {
    case "--events": options.events = Int(arguments.removeFirst()) ?? options.events
    case "--workload": options.workload = arguments.removeFirst()
    case "--endpoint": options.endpoint = arguments.removeFirst()
    case "--backend": options.backend = arguments.removeFirst()
    case "--protocol": options.encoding = arguments.removeFirst() == "json" ? .json : .protobuf
    case "--compression": options.gzip = arguments.removeFirst() != "none"
    case "--batch-size": options.batchSize = Int(arguments.removeFirst())
    case "--system-span-attributes": options.systemAttributesOnSpans = arguments.removeFirst() != "off"
    case "--count-url": options.countURL = arguments.removeFirst()
    case "--database": options.database = arguments.removeFirst()
    default:
        print(
            "usage: automagik-telemetry-bench [--workload all|caller|contention|end-to-end|memory|wire-size|components|callgrind] [--events N] [--endpoint URL] [--protocol protobuf|json] [--compression gzip|none] [--batch-size N]"
        )
        exit(flag == "--help" ? 0 : 2)
    }
}

/// The function `valgrind --tool=callgrind --toggle-collect=...callgrindTrackEvents...` measures.
@inline(never)
func callgrindTrackEvents(_ telemetry: AutomagikTelemetry, _ n: Int) {
    for index in 0..<n { Workloads.trackBenchEvent(telemetry, index) }
}

nonisolated(unsafe) var results: [BenchResult] = []  // only touched from the main flow, sequentially
@MainActor
func emit(_ result: BenchResult) {
    results.append(result)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if let data = try? encoder.encode(result) { print(String(decoding: data, as: UTF8.self)) }
}

let n = options.events
let selected = options.workload
func wants(_ name: String) -> Bool { selected == "all" || selected == name }

if wants("caller") {
    emit(try await Workloads.callerMean(name: "caller.track_event", n: n) { Workloads.trackBenchEvent($0, $1) })
    emit(try await Workloads.callerLatency(name: "caller.track_event.latency", n: n) { Workloads.trackBenchEvent($0, $1) })
    emit(
        try await Workloads.callerMean(name: "caller.track_metric.counter", n: n) { telemetry, _ in
            telemetry.trackMetric("bench.requests", value: 1, type: .counter, attributes: ["route": "/api"])
        })
    emit(
        try await Workloads.callerMean(name: "caller.track_metric.histogram", n: n) {
            $0.trackMetric("bench.latency", value: Double($1 % 1000), type: .histogram, unit: "ms", attributes: ["route": "/api"])
        })
    emit(
        try await Workloads.callerMean(name: "caller.track_log", n: n) {
            $0.trackLog("cache warmed", severity: .info, attributes: ["entries": .int($1)])
        })
    struct BenchError: Error {}
    emit(
        try await Workloads.callerMean(name: "caller.track_error", n: max(1, n / 10)) { telemetry, _ in
            telemetry.trackError(BenchError(), attributes: ["operation": "import"])
        })
    emit(try await Workloads.callerMean(name: "caller.disabled", n: n, enabled: false) { Workloads.trackBenchEvent($0, $1) })
}
if wants("contention") {
    for threads in options.threads { emit(try await Workloads.contention(threads: threads, n: min(n, 100_000))) }
}
if wants("end-to-end") {
    emit(try await Workloads.endToEnd(options: options, n: min(n, 100_000)))
}
if wants("memory") {
    for size in [10_000, 100_000, 1_000_000] {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--workload", "memory-child", "--events", String(size)]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            if let result = try? JSONDecoder().decode(DecodedResult.self, from: Data(line.utf8)) {
                emit(BenchResult(name: result.name, n: result.n, figures: result.figures))
            }
        }
    }
}
if selected == "defaults-child" {
    emit(try await DefaultsWorkloads.burst(n: n, options: options))
}
if selected == "memory-child" {
    emit(try await Workloads.memoryChild(n: n))
}
if wants("wire-size") {
    for result in try Workloads.wireSize(n: 1000) { emit(result) }
}
if wants("components") {
    for result in try Workloads.components(n: min(n, 200_000)) { emit(result) }
}
if selected == "callgrind" {
    let telemetry = try Workloads.makeClient()
    callgrindTrackEvents(telemetry, 1000)  // warm up outside the measured region… measured too, see Benchmarks/callgrind.sh
    await telemetry.flush()
    callgrindTrackEvents(telemetry, n)
    await telemetry.shutdown(deadline: .seconds(30))
}

struct DecodedResult: Decodable {
    let name: String
    let n: Int
    let figures: [String: Double]
}

if selected != "memory-child" && selected != "defaults-child" && !results.isEmpty {
    print("")
    print("workload".padding(toLength: 40, withPad: " ", startingAt: 0) + " " + "n".padding(toLength: 9, withPad: " ", startingAt: 0) + " figures")
    for result in results {
        let figures = result.figures.sorted { $0.key < $1.key }.map { key, value in
            value.rounded() == value && abs(value) < 1e12 ? "\(key)=\(Int(value))" : "\(key)=\(String(format: "%.2f", value))"
        }.joined(separator: " ")
        let notes = result.notes.isEmpty ? "" : "  (" + result.notes.map { "\($0.key): \($0.value)" }.joined(separator: "; ") + ")"
        print(
            result.name.padding(toLength: 40, withPad: " ", startingAt: 0) + " " + String(result.n).padding(toLength: 9, withPad: " ", startingAt: 0)
                + " " + figures + notes)
    }
}
