import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
@_spi(Internals) import TelemetryCore
import TelemetryGzip
import TelemetryOTLP
import TelemetryPipeline
import TelemetryPrivacy
import TelemetrySystem

/// Accepts everything at once: isolates the SDK's own costs from any receiver.
struct NullExporter: TelemetryExporter {
    func export(_ batch: ExportBatch) async -> ExportResult { .success() }
}

struct BenchOptions {
    var events = 1_000_000
    var workload = "all"
    var endpoint: String?
    var backend = "otlp"
    var encoding: OTLPHTTPExporter.Encoding = .protobuf
    var gzip = true
    /// nil: the default.
    var batchSize: Int?
    var threads = [1, 2, 4, 8]
    var systemAttributesOnSpans = true
    /// The counting sink's `GET /count` URL, for workloads that check what the receiver decoded.
    var countURL: String?
    /// ClickHouse database for the ClickHouse workloads.
    var database: String?
}

enum Workloads {
    /// The issue's "event" workload: one event, four attributes, privacy on with the default policy.
    @inline(__always)
    static func trackBenchEvent(_ telemetry: AutomagikTelemetry, _ index: Int) {
        telemetry.trackEvent(
            "bench.feature_used",
            attributes: [
                "feature": "export_csv", "category": "api", "count": .int(index), "success": .bool(index % 2 == 0),
            ])
    }

    static func makeClient(
        enabled: Bool = true, queueCapacity: Int? = nil, batchSize: Int? = nil,
        exporter: (any TelemetryExporter)? = NullExporter(),
        configure: (inout TelemetryConfiguration) -> Void = { _ in }
    ) throws -> AutomagikTelemetry {
        var configuration = TelemetryConfiguration(projectName: "bench", version: "1.0.0")
        configuration.enabled = enabled
        configuration.logsEnabled = true  // the log workloads measure logs, which are their own opt-in
        configuration.batching = BatchingSettings(batchSize: batchSize, queueCapacity: queueCapacity)
        configure(&configuration)
        return try AutomagikTelemetry(
            configuration: configuration,
            dependencies: TelemetryDependencies(
                environment: DictionaryEnvironment(), stateStore: InMemoryStateStore(), exporter: exporter
            )
        )
    }

    // MARK: 1. Caller cost

    /// Calls are timed in rounds of this many, each followed by a flush outside the timed region, so
    /// every timed call is an accepted one (the default budget holds ~380 k queued events): the drop path
    /// is not what a caller normally pays. Drops, if any, are reported.
    static let round = 50_000

    /// Mean cost per accepted call over `n` calls, back to back on one thread, default settings.
    static func callerMean(name: String, n: Int, enabled: Bool = true, _ call: (AutomagikTelemetry, Int) -> Void) async throws -> BenchResult {
        let telemetry = try makeClient(enabled: enabled)
        for index in 0..<min(n, 10_000) { call(telemetry, index) }  // warm up
        await telemetry.flush()
        var elapsed: UInt64 = 0
        var done = 0
        while done < n {
            let count = min(round, n - done)
            let start = monotonicNanoseconds()
            for index in done..<(done + count) { call(telemetry, index) }
            elapsed += monotonicNanoseconds() - start
            done += count
            await telemetry.flush()
        }
        let stats = telemetry.stats
        await telemetry.shutdown(deadline: .seconds(30))
        return BenchResult(
            name: name, n: n,
            figures: [
                "mean_ns": Double(elapsed) / Double(n),
                "calls_per_s": Double(n) / (Double(elapsed) / 1e9),
                "dropped_queue_full": Double(stats.dropped[.queueFull] ?? 0),
            ])
    }

    /// Per-call latency distribution, timing every call.
    static func callerLatency(name: String, n: Int, enabled: Bool = true, _ call: (AutomagikTelemetry, Int) -> Void) async throws -> BenchResult {
        let telemetry = try makeClient(enabled: enabled)
        for index in 0..<min(n, 10_000) { call(telemetry, index) }
        await telemetry.flush()
        var samples = [UInt64](repeating: 0, count: n)
        var done = 0
        while done < n {
            let count = min(round, n - done)
            for index in done..<(done + count) {
                let before = monotonicNanoseconds()
                call(telemetry, index)
                samples[index] = monotonicNanoseconds() - before
            }
            done += count
            await telemetry.flush()
        }
        let dropped = telemetry.stats.dropped[.queueFull] ?? 0
        await telemetry.shutdown(deadline: .seconds(30))
        let summary = LatencySummary(samples)
        return BenchResult(
            name: name, n: n,
            figures: [
                "p50_ns": summary.p50, "p99_ns": summary.p99, "p999_ns": summary.p999, "max_ns": summary.max,
                "mean_ns_timed": summary.mean, "dropped_queue_full": Double(dropped),
            ], notes: ["timing": "clock_gettime(MONOTONIC) around each call; includes ~20 ns of timer overhead"])
    }

    // MARK: 2. Contention

    static func contention(threads: Int, n: Int) async throws -> BenchResult {
        let telemetry = try makeClient()
        let perThread = n / threads
        let latencies = LockedBox<[UInt64]>([])
        let ready = DispatchGroup()
        let done = DispatchGroup()
        let gate = DispatchSemaphore(value: 0)
        let start = LockedBox<UInt64>(0)
        for _ in 0..<threads {
            ready.enter()
            done.enter()
            let thread = Thread {
                var local = [UInt64](repeating: 0, count: perThread)
                ready.leave()
                gate.wait()
                for index in 0..<perThread {
                    let before = monotonicNanoseconds()
                    trackBenchEvent(telemetry, index)
                    local[index] = monotonicNanoseconds() - before
                }
                latencies.withLock { $0.append(contentsOf: local) }
                done.leave()
            }
            thread.start()
        }
        ready.wait()
        start.withLock { $0 = monotonicNanoseconds() }
        for _ in 0..<threads { gate.signal() }
        done.wait()
        let elapsed = monotonicNanoseconds() - start.withLock { $0 }
        let stats = telemetry.stats
        await telemetry.shutdown(deadline: .seconds(30))
        let summary = LatencySummary(latencies.withLock { $0 })
        return BenchResult(
            name: "contention.\(threads)_threads", n: perThread * threads,
            figures: [
                "enqueues_per_s": Double(perThread * threads) / (Double(elapsed) / 1e9),
                "p50_ns": summary.p50, "p99_ns": summary.p99, "p999_ns": summary.p999,
                "dropped_queue_full": Double(stats.dropped[.queueFull] ?? 0),
            ])
    }

    // MARK: 3. End to end

    static func endToEnd(options: BenchOptions, n: Int) async throws -> BenchResult {
        guard let endpoint = options.endpoint else {
            return BenchResult(name: "end_to_end", n: 0, figures: [:], notes: ["skipped": "pass --endpoint URL (make bench starts a collector)"])
        }
        let telemetry = try makeClient(batchSize: options.batchSize, exporter: nil) { configuration in
            configuration.backend = .otlp(OTLPSettings(endpoint: endpoint, encoding: options.encoding))
            configuration.exporter.compression = options.gzip
            configuration.systemAttributesOnSpans = options.systemAttributesOnSpans
        }
        let start = monotonicNanoseconds()
        for index in 0..<n { trackBenchEvent(telemetry, index) }
        let enqueued = monotonicNanoseconds()
        await telemetry.flush()
        let elapsed = monotonicNanoseconds() - start
        let stats = telemetry.stats
        await telemetry.shutdown(deadline: .seconds(30))
        let encoding = options.encoding == .protobuf ? "protobuf" : "json"
        return BenchResult(
            name:
                "end_to_end.otlp.\(encoding).\(options.gzip ? "gzip" : "plain")\(options.systemAttributesOnSpans ? "" : ".no_system_span_attributes")",
            n: n,
            figures: [
                "events_per_s": Double(n) / (Double(elapsed) / 1e9),
                "delivered": Double(stats.exported), "lost": Double(n - stats.exported),
                "enqueue_seconds": Double(enqueued - start) / 1e9, "total_seconds": Double(elapsed) / 1e9,
                "requests": Double(stats.exportedBatches), "wire_bytes_per_event": Double(stats.bytesSent) / Double(max(1, stats.exported)),
            ],
            notes: ["endpoint": endpoint, "batch_size": options.batchSize.map(String.init) ?? "default"]
        )
    }

    // MARK: 4. Memory

    /// Runs in a child process (`--workload memory-child`) so each N gets a fresh peak RSS.
    static func memoryChild(n: Int) async throws -> BenchResult {
        let baseline = residentBytes()
        let telemetry = try makeClient()
        for index in 0..<n { trackBenchEvent(telemetry, index) }
        let afterTracking = residentBytes()
        let queued = telemetry.stats.queued
        await telemetry.shutdown(deadline: .seconds(60))
        return BenchResult(
            name: "memory.\(n)", n: n,
            figures: [
                "peak_rss_mb": Double(peakResidentBytes()) / 1_048_576,
                "baseline_rss_mb": Double(baseline) / 1_048_576,
                "bytes_per_queued_event": queued > 0 ? Double(afterTracking - baseline) / Double(queued) : 0,
                "queued_at_end_of_tracking": Double(queued),
            ])
    }

    // MARK: 5. Wire size

    static func wireSize(n: Int) throws -> [BenchResult] {
        let batch = benchBatch(count: n)
        var results: [BenchResult] = []
        for (label, body) in [("protobuf", OTLPProtobufEncoder().encode(batch)), ("json", OTLPJSONEncoder().encode(batch))] {
            let compressed = try GzipCompressor().compress(body)
            results.append(
                BenchResult(
                    name: "wire_size.\(label)", n: n,
                    figures: [
                        "bytes_per_event_uncompressed": Double(body.count) / Double(n),
                        "bytes_per_event_gzip": Double(compressed.count) / Double(n),
                        "compression_percent": 100 * (1 - Double(compressed.count) / Double(body.count)),
                    ]))
        }
        return results
    }

    /// `n` spans exactly as the worker would build them from the event workload.
    static func benchBatch(count: Int) -> ExportBatch {
        let random = SeededRandomSource(seed: 1)
        let sanitizer = PrivacySanitizer(salt: Array("bench".utf8))
        let start = SystemClock().now()
        var counts = RedactionCounts()
        let spans = (0..<count).map { index in
            SpanRecord(
                traceID: TraceID.random(using: random), spanID: SpanID.random(using: random), name: "bench.feature_used",
                startTime: start.advanced(by: .microseconds(index)), endTime: start.advanced(by: .microseconds(index)),
                attributes: sanitizer.sanitize(
                    [
                        "feature": "export_csv", "category": "api", "count": .int(index), "success": .bool(index % 2 == 0),
                        "system.os": "linux", "system.os_version": "6.1.0", "system.runtime_version": "6.3",
                        "system.architecture": "amd64", "system.is_docker": false,
                    ], counts: &counts)
            )
        }
        let resource = TelemetryResource([
            ("service.name", "bench"), ("service.version", "1.0.0"), ("service.organization", "namastex"),
            ("telemetry.sdk.name", .string(SDKInfo.name)), ("telemetry.sdk.version", .string(SDKInfo.version)),
            ("user.id", "3b241101-e2bb-4255-8caf-4136c566a962"), ("session.id", "6f1a2b3c-e2bb-4255-8caf-4136c566a962"),
        ])
        return ExportBatch(resource: resource, payload: .spans(spans))
    }

    // MARK: 6. Components

    static func components(n: Int) throws -> [BenchResult] {
        var results: [BenchResult] = []
        let sanitizer = PrivacySanitizer(salt: Array("bench".utf8))
        var counts = RedactionCounts()
        // The events exist before the clock starts: building them is the caller's cost, not the sanitizer's.
        let events: [TelemetryAttributes] = (0..<1024).map { index in
            ["feature": "export_csv", "category": "api", "count": .int(Int64(index)), "success": .bool(index % 2 == 0)]
        }
        var start = monotonicNanoseconds()
        var sink = 0
        for index in 0..<n {
            let clean = sanitizer.sanitize(events[index & 1023], counts: &counts)
            sink &+= clean.count
        }
        var elapsed = monotonicNanoseconds() - start
        results.append(BenchResult(name: "component.sanitizer.event", n: n, figures: ["ns_per_event": Double(elapsed) / Double(n)]))

        let longText = String(repeating: "user jane.doe@example.com logged in from 10.1.2.3 with card 4111 1111 1111 1111; ", count: 12)
        let textPolicy = PrivacySanitizer(policy: PrivacyPolicy(maxTextBytes: 1_000_000), salt: Array("bench".utf8))
        let textRounds = max(1, n / 100)
        start = monotonicNanoseconds()
        for _ in 0..<textRounds { sink &+= textPolicy.sanitize(text: longText, counts: &counts).utf8.count }
        elapsed = monotonicNanoseconds() - start
        results.append(
            BenchResult(
                name: "component.sanitizer.long_text", n: textRounds,
                figures: [
                    "mb_per_s": Double(longText.utf8.count * textRounds) / 1_048_576 / (Double(elapsed) / 1e9)
                ]))

        let batch = benchBatch(count: 1000)
        let rounds = max(1, n / 10_000)
        for (label, encode) in [("protobuf", { OTLPProtobufEncoder().encode(batch) }), ("json", { OTLPJSONEncoder().encode(batch) })] {
            start = monotonicNanoseconds()
            var bytes = 0
            for _ in 0..<rounds { bytes += encode().count }
            elapsed = monotonicNanoseconds() - start
            results.append(
                BenchResult(
                    name: "component.encoder.\(label)", n: rounds * 1000,
                    figures: [
                        "mb_per_s": Double(bytes) / 1_048_576 / (Double(elapsed) / 1e9),
                        "ns_per_item": Double(elapsed) / Double(rounds * 1000),
                    ]))
        }
        let body = OTLPProtobufEncoder().encode(batch)
        for level: Int32 in [1, 6] {
            let compressor = GzipCompressor(level: level)
            start = monotonicNanoseconds()
            var compressedSize = 0
            for _ in 0..<rounds { compressedSize = try compressor.compress(body).count }
            elapsed = monotonicNanoseconds() - start
            results.append(
                BenchResult(
                    name: "component.gzip.level\(level)", n: rounds,
                    figures: [
                        "mb_per_s": Double(body.count * rounds) / 1_048_576 / (Double(elapsed) / 1e9),
                        "compression_percent": 100 * (1 - Double(compressedSize) / Double(body.count)),
                    ]))
        }
        if sink == 42 { print("") }
        return results
    }
}
