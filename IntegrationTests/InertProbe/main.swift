import AutomagikTelemetry
import Foundation
import TelemetryCore
import TelemetryMetrics
import TelemetryPipeline

// Also drives the integration suite's other out-of-process scenarios (spool, exit hook, steady load).
// Proves "disabled means inert" from the outside, in its own process so nothing else runs:
//   automagik-telemetry-inert-probe disabled|enabled
// with HOME pointing at an empty directory. Prints one JSON object: threads started, sockets open,
// files created under HOME. run.sh expects zeros for `disabled` — and non-zeros for `enabled`, which
// proves the probe can see what it looks for.

func threadCount() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? -1 }

func socketCount() -> Int {
    let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return descriptors.filter { ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) ?? "").hasPrefix("socket:") }
        .count
}

func files(under directory: String) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
    return enumerator.compactMap { $0 as? String }.sorted()
}

let mode = CommandLine.arguments.dropFirst().first ?? "disabled"

/// Runs an async call to completion from this synchronous program.
func blocking(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        await body()
        done.signal()
    }
    done.wait()
}

// `spool-kill DIR ENDPOINT`: the endpoint is down; track, flush (batches go to the spool), report what
// was acknowledged, then wait to be killed with SIGKILL.
// `spool-resume DIR ENDPOINT`: a later run with the endpoint up delivers what the spool holds.
if mode == "spool-kill" || mode == "spool-resume" {
    var configuration = TelemetryConfiguration(projectName: "probe", version: "1")
    configuration.enabled = true
    configuration.backend = .otlp(OTLPSettings(endpoint: CommandLine.arguments[3]))
    configuration.exporter.maxRetries = 0
    configuration.spool.directory = CommandLine.arguments[2]
    let telemetry = try AutomagikTelemetry(configuration: configuration)
    if mode == "spool-kill" {
        for index in 0..<300 { telemetry.trackEvent("spool.kill.event", attributes: ["i": .int(index)]) }
    }
    blocking { await telemetry.flush() }
    let stats = telemetry.stats
    // Unbuffered: the parent reads this line and then kills the process.
    FileHandle.standardOutput.write(Data("\(mode) exported=\(stats.exported) spooled=\(stats.spooled) dropped=\(stats.totalDropped)\n".utf8))
    if mode == "spool-kill" { while true { sleep(60) } }
    blocking { await telemetry.shutdown() }
    exit(0)
}

// `cli-life ENDPOINT RUN COUNT shutdown|return [LINGER_MS]`: a command-line tool at default settings
// (enabled and the endpoint, nothing else) that, after LINGER_MS of other work (default 0), tracks COUNT
// events tagged `run` = RUN and `seq` = 0..<COUNT, prints
// the monotonic time (CLOCK_MONOTONIC, ns) of its last tracking call, then leaves by `shutdown()` or by
// returning from `main` without calling anything. cli_life_check.py measures what the exit adds.
if mode == "cli-life" {
    let arguments = CommandLine.arguments
    var configuration = TelemetryConfiguration(projectName: "cli-life", version: "1")
    configuration.enabled = true
    configuration.backend = .otlp(OTLPSettings(endpoint: arguments[2]))
    let telemetry = try AutomagikTelemetry(configuration: configuration)
    if arguments.count > 6, let linger = UInt32(arguments[6]) { usleep(linger * 1000) }
    let run = Int64(arguments[3]) ?? 0
    for index in 0..<(Int(arguments[4]) ?? 20) {
        telemetry.trackEvent("cli.event", attributes: ["run": .int(run), "seq": .int(run * 1_000_000 + Int64(index))])
    }
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    FileHandle.standardOutput.write(Data("last-call \(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))\n".utf8))
    if arguments[5] == "shutdown" { blocking { await telemetry.shutdown() } }
    exit(0)
}

// `exit-hook FILE`: track into a file exporter, install the exit hook and exit without flushing;
// run.sh then checks that everything reached the file.
if mode == "exit-hook" {
    let path = CommandLine.arguments[2]
    var configuration = TelemetryConfiguration(projectName: "probe", version: "1")
    configuration.enabled = true
    configuration.backend = .file(path: path)
    configuration.batching.flushInterval = .seconds(3600)
    configuration.flushOnExit = true
    let telemetry = try AutomagikTelemetry(configuration: configuration)
    for index in 0..<250 { telemetry.trackEvent("exit.event", attributes: ["i": .int(index)]) }
    exit(0)
}
// `steady ENDPOINT RATE SECONDS [clickhouse DATABASE]`: default settings (enabled and the endpoint,
// nothing else); tracks RATE events per second, each with a unique `seq`, for SECONDS, then shuts down
// within 60 s and prints what the SDK counted and its peak RSS. run.sh kills and restarts the receiver
// meanwhile. With `clickhouse` the ClickHouse backend is used (user telemetry) and every event also
// adds 1 to the counter `steady.events`, and every tenth writes a log line carrying its `seq` (logs on).
if mode == "steady" {
    let arguments = CommandLine.arguments
    var configuration = TelemetryConfiguration(projectName: "steady", version: "1")
    configuration.enabled = true
    let clickhouse = arguments.count > 6 && arguments[5] == "clickhouse"
    if clickhouse {
        configuration.backend = .clickhouse(
            ClickHouseSettings(endpoint: arguments[2], database: arguments[6], username: "telemetry", password: "s3cret-pass"))
        configuration.logsEnabled = true
    } else {
        configuration.backend = .otlp(OTLPSettings(endpoint: arguments[2]))
    }
    let telemetry = try AutomagikTelemetry(configuration: configuration)
    let rate = Int(arguments[3]) ?? 2000
    let seconds = Int(arguments[4]) ?? 30
    let start = Date()
    // A fleet runs many probes against one receiver: each numbers its events from its own base.
    let seqBase = Int(ProcessInfo.processInfo.environment["PROBE_SEQ_BASE"] ?? "") ?? 0
    var seq = seqBase
    var maxBuffered = 0
    for tick in 0..<(seconds * 100) {
        // 100 slices per second, each on schedule: a steady rate, not bursts.
        for _ in 0..<(rate / 100) {
            telemetry.trackEvent("steady.event", attributes: ["seq": .int(Int64(seq)), "feature": "export_csv"])
            if clickhouse {
                telemetry.trackMetric("steady.events", value: 1, type: .counter)
                if seq % 10 == 0 { telemetry.trackLog("steady log", attributes: ["seq": .int(Int64(seq))]) }
            }
            seq += 1
        }
        maxBuffered = max(maxBuffered, telemetry.stats.bufferedBytes)
        let due = start.addingTimeInterval(Double(tick + 1) / 100)
        let wait = due.timeIntervalSinceNow
        if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
    }
    let beforeShutdown = telemetry.stats
    nonisolated(unsafe) var report: ShutdownReport?
    blocking { report = await telemetry.shutdown(deadline: .seconds(60)) }
    let stats = report?.stats ?? telemetry.stats
    var peak = 0
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    {
        peak = Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    let result: [String: Any] = [
        "tracked": seq - seqBase, "exported": stats.exported, "dropped": stats.totalDropped,
        "dropped_by_reason": Dictionary(uniqueKeysWithValues: stats.dropped.map { ($0.key.rawValue, $0.value) }),
        "failed_attempts": stats.failedAttempts, "requests": stats.exportedBatches,
        "pending_at_end_of_tracking": beforeShutdown.pending + beforeShutdown.queued,
        "max_buffered_bytes": maxBuffered, "peak_rss_kb": peak,
    ]
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    exit(0)
}

func peakRSSKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
}

// `hostile ENDPOINT`: default settings plus `verbose` and a bearer token, against an endpoint that
// misbehaves (fault_server.py); tracks 3,000 events, shuts down with a 5 s deadline and prints how long
// that took, the peak RSS and what the SDK counted. Diagnostics go to stderr, which run.sh searches
// for the token.
// `names`: 200 metrics and 200 events whose names are a megabyte each, into a local file; prints the
// peak RSS, what was dropped and the longest name exported.
if mode == "hostile" || mode == "names" {
    let arguments = CommandLine.arguments
    var configuration = TelemetryConfiguration(projectName: mode, version: "1")
    configuration.enabled = true
    configuration.backend =
        mode == "hostile"
        ? .otlp(OTLPSettings(endpoint: arguments[2], headers: ["Authorization": "Bearer probe-secret-token-0123456789"]))
        : .file(path: arguments[2])
    configuration.verbose = true
    let telemetry = try AutomagikTelemetry(configuration: configuration)
    if mode == "hostile" {
        for index in 0..<3_000 { telemetry.trackEvent("hostile.event", attributes: ["i": .int(Int64(index))]) }
        blocking { _ = await telemetry.flush() }
    } else {
        for index in 0..<200 {
            let name = String(repeating: "n", count: 1_000_000) + "\(index)"
            telemetry.trackMetric(name, value: 1, type: .counter)
            telemetry.trackEvent(name)
        }
        blocking { _ = await telemetry.flush() }
    }
    let started = Date()
    nonisolated(unsafe) var report: ShutdownReport?
    blocking { report = await telemetry.shutdown(deadline: .seconds(5)) }
    let stats = report?.stats ?? telemetry.stats
    let result: [String: Any] = [
        "shutdown_seconds": Date().timeIntervalSince(started), "peak_rss_kb": peakRSSKilobytes(),
        "exported": stats.exported, "dropped": stats.totalDropped, "failed_attempts": stats.failedAttempts, "spooled": stats.spooled,
        "dropped_by_reason": Dictionary(uniqueKeysWithValues: stats.dropped.map { ($0.key.rawValue, $0.value) }),
        "truncated": stats.redactions[.truncated, default: 0],
    ]
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    exit(0)
}

let home = ProcessInfo.processInfo.environment["HOME"] ?? "/nonexistent"
let threadsBefore = threadCount()
let socketsBefore = socketCount()
let filesBefore = files(under: home)

var configuration = TelemetryConfiguration(projectName: "probe", version: "1")
configuration.backend = .otlp(OTLPSettings(endpoint: "http://127.0.0.1:9"))
configuration.enabled = mode == "enabled" ? true : nil
configuration.logsEnabled = true  // every signal in use: a disabled client stays inert all the same
let telemetry = try AutomagikTelemetry(configuration: configuration)
for index in 0..<1_000 {
    telemetry.trackEvent("probe.event", attributes: ["i": .int(index)])
    telemetry.trackMetric("probe.metric", value: 1, type: .counter)
    telemetry.trackLog("probe log")
    telemetry.trackError(type: "ProbeError", message: "m")
}
_ = telemetry.status
_ = telemetry.stats
if mode == "enabled" { Thread.sleep(forTimeInterval: 0.3) }

let result: [String: Any] = [
    "mode": mode,
    "enabled": telemetry.isEnabled,
    "reason": telemetry.decision.reason.rawValue,
    "threads_started": threadCount() - threadsBefore,
    "sockets_open": socketCount() - socketsBefore,
    "files_created": files(under: home).filter { !filesBefore.contains($0) },
]
let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))
exit(0)
