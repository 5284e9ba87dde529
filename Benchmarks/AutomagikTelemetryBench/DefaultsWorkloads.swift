import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import TelemetryCore
import TelemetryHTTP
import TelemetryPipeline

/// Workloads with default settings only: the client is configured as a new user would, with
/// `enabled: true` and an endpoint, nothing else. Each runs in its own process (`--workload
/// defaults-child`) so peak RSS is its own.
enum DefaultsWorkloads {
    /// Per-call latency without storing a sample per call (which would itself cost 8 MB per million):
    /// 10 ns buckets up to 1 ms, and the exact maximum.
    struct LatencyHistogram {
        private var buckets = [UInt32](repeating: 0, count: 100_000)
        private(set) var count = 0
        private(set) var max: UInt64 = 0
        private var overflow = 0

        mutating func record(_ nanoseconds: UInt64) {
            count += 1
            max = Swift.max(max, nanoseconds)
            let index = Int(nanoseconds / 10)
            if index < buckets.count { buckets[index] += 1 } else { overflow += 1 }
        }

        /// Calls that took longer than `nanoseconds`.
        func count(over nanoseconds: UInt64) -> Int {
            let first = Int(nanoseconds / 10)
            guard first < buckets.count else { return overflow }
            return buckets[first...].reduce(0) { $0 + Int($1) } + overflow
        }

        func percentile(_ fraction: Double) -> Double {
            let target = Int((Double(count) * fraction).rounded(.up))
            var seen = 0
            for (index, hits) in buckets.enumerated() {
                seen += Int(hits)
                if seen >= target { return Double(index * 10 + 10) }
            }
            return Double(max)
        }
    }

    /// A burst of `n` benchmark events tracked back to back, then `flush()`; counts what the receiver
    /// decoded (the counting sink's `/count`, or ClickHouse's `count()`), not only what the SDK says.
    static func burst(n: Int, options: BenchOptions) async throws -> BenchResult {
        guard let endpoint = options.endpoint else {
            return BenchResult(name: "defaults.burst", n: 0, figures: [:], notes: ["skipped": "pass --endpoint URL"])
        }
        var configuration = TelemetryConfiguration(projectName: "bench", version: "1.0.0")
        configuration.enabled = true
        let isClickHouse = options.backend == "clickhouse"
        if isClickHouse {
            configuration.backend = .clickhouse(
                ClickHouseSettings(
                    endpoint: endpoint, database: options.database, username: "telemetry", password: "s3cret-pass"
                ))
        } else {
            configuration.backend = .otlp(OTLPSettings(endpoint: endpoint))
        }
        let telemetry = try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(environment: DictionaryEnvironment(), stateStore: InMemoryStateStore())
        )
        var latency = LatencyHistogram()
        let switchesBefore = threadContextSwitches()
        let start = monotonicNanoseconds()
        for index in 0..<n {
            let before = monotonicNanoseconds()
            Workloads.trackBenchEvent(telemetry, index)
            latency.record(monotonicNanoseconds() - before)
        }
        let tracked = monotonicNanoseconds()
        let switchesAfter = threadContextSwitches()
        var stats = telemetry.stats
        // Flush until everything tracked is delivered or dropped (a flush gives up after `maxRetries`
        // failures; the receiver here is up, so one flush normally suffices).
        for _ in 0..<10 {
            await telemetry.flush()
            stats = telemetry.stats
            if stats.queued == 0 && stats.pending == 0 { break }
        }
        let elapsed = monotonicNanoseconds() - start
        await telemetry.shutdown(deadline: .seconds(30))
        stats = telemetry.stats
        let received =
            isClickHouse
            ? await clickHouseCount(endpoint: endpoint, database: options.database ?? "telemetry")
            : await sinkCount(options.countURL)
        var figures: [String: Double] = [
            "tracked": Double(n),
            "exported": Double(stats.exported),
            "delivered_percent": 100 * Double(received ?? stats.exported) / Double(n),
            "e2e_seconds": Double(elapsed) / 1e9,
            "events_per_s": Double(n) / (Double(elapsed) / 1e9),
            "track_seconds": Double(tracked - start) / 1e9,
            "peak_rss_mb": Double(peakResidentBytes()) / 1_048_576,
            "requests": Double(stats.exportedBatches),
            "caller_p50_ns": latency.percentile(0.5),
            "caller_p99_ns": latency.percentile(0.99),
            "caller_p9999_ns": latency.percentile(0.9999),
            "caller_max_ns": Double(latency.max),
            "caller_calls_over_1ms": Double(latency.count(over: 1_000_000)),
            // Waits (a lock or malloc's arena lock held by another thread) versus preemptions: tells
            // whether the worst calls are the SDK's doing or the scheduler's.
            "caller_thread_waits": Double(switchesAfter.voluntary - switchesBefore.voluntary),
            "caller_thread_preemptions": Double(switchesAfter.involuntary - switchesBefore.involuntary),
        ]
        if let received { figures["received_by_receiver"] = Double(received) }
        for (reason, count) in stats.dropped { figures["dropped_\(reason.rawValue)"] = Double(count) }
        let receiver = isClickHouse ? "clickhouse" : (options.countURL == nil ? "collector" : "counting_sink")
        return BenchResult(
            name: "defaults.burst.\(options.backend).\(receiver).\(n)", n: n, figures: figures,
            notes: ["settings": "defaults (enabled: true, endpoint)", "timing": "every call timed; 10 ns buckets"]
        )
    }

    private static func sinkCount(_ url: String?) async -> Int? {
        guard let url else { return nil }
        let client = DefaultHTTPClient()
        guard let response = try? await client.send(HTTPRequest(method: "GET", url: url, timeout: .seconds(5))),
            let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let spans = object["spans"] as? Int
        else { return nil }
        return spans
    }

    private static func clickHouseCount(endpoint: String, database: String) async -> Int? {
        let client = DefaultHTTPClient()
        let credentials = Data("telemetry:s3cret-pass".utf8).base64EncodedString()
        let query = "SELECT count() FROM `\(database)`.traces"
        let request = HTTPRequest(
            method: "POST", url: endpoint + "/", headers: [HTTPHeader("Authorization", "Basic \(credentials)")],
            body: Array(query.utf8), timeout: .seconds(10)
        )
        guard let response = try? await client.send(request), response.status == 200 else { return nil }
        return Int(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
