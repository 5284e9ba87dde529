@_spi(Internals) import TelemetryCore

/// An exporter that keeps every batch in memory and answers with scripted results.
///
/// By default every export succeeds. `script(_:)` queues results (e.g. two `.retryable` then
/// success) consumed one per export attempt, to drive retry and circuit-breaker paths.
public final class RecordingExporter: TelemetryExporter {
    private struct State {
        var accepted: [ExportBatch] = []
        var attempts: [ExportBatch] = []
        var script: [ExportResult] = []
        var isShutDown = false
    }

    private let state = LockedBox(State())

    /// Creates an exporter that accepts everything.
    public init() {}

    /// Queues results for the next export attempts, in order; afterwards exports succeed again.
    public func script(_ results: [ExportResult]) {
        state.withLock { $0.script.append(contentsOf: results) }
    }

    /// Drops the scripted results not yet used: exports succeed again from now on.
    public func clearScript() {
        state.withLock { $0.script.removeAll() }
    }

    /// Records the attempt and answers with the next scripted result (`.success()` when none is left).
    public func export(_ batch: ExportBatch) async -> ExportResult {
        state.withLock { state in
            state.attempts.append(batch)
            let result = state.script.isEmpty ? .success() : state.script.removeFirst()
            if case .success = result { state.accepted.append(batch) }
            return result
        }
    }

    /// Records that the client shut the exporter down.
    public func shutdown() async {
        state.withLock { $0.isShutDown = true }
    }

    /// Batches that were accepted (exported with a `.success` result), in order.
    public var batches: [ExportBatch] { state.withLock { $0.accepted } }
    /// Every export attempt, failed ones included.
    public var attempts: [ExportBatch] { state.withLock { $0.attempts } }
    /// Whether `shutdown()` was called.
    public var isShutDown: Bool { state.withLock { $0.isShutDown } }

    /// All accepted spans, in export order.
    public var spans: [SpanRecord] {
        batches.flatMap { batch -> [SpanRecord] in
            if case .spans(let spans) = batch.payload { return spans }
            return []
        }
    }

    /// All accepted metric records, in export order.
    public var metrics: [MetricRecord] {
        batches.flatMap { batch -> [MetricRecord] in
            if case .metrics(let metrics) = batch.payload { return metrics }
            return []
        }
    }

    /// All accepted log records, in export order.
    public var logs: [LogRecord] {
        batches.flatMap { batch -> [LogRecord] in
            if case .logs(let logs) = batch.payload { return logs }
            return []
        }
    }
}
