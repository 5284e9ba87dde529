/// Port: a destination for finished telemetry (OTLP/HTTP, ClickHouse, a file, the console, memory).
///
/// Contract for implementers:
/// - `export` is called from the SDK's delivery engine, never from the app's threads. At most
///   `maxConcurrentExports` calls are in progress at once (one, unless the exporter says otherwise).
/// - It must not throw or trap; every outcome is a value of `ExportResult`, which decides whether the
///   worker retries (`.retryable`), splits (`.tooLarge`) or drops and counts (`.permanentFailure`).
/// - It should bound its own time (request timeouts); the worker also enforces shutdown deadlines
///   by cancelling the task, so honour cancellation where you can.
public protocol TelemetryExporter: Sendable {
    /// Sends one batch of one signal.
    func export(_ batch: ExportBatch) async -> ExportResult

    /// Releases resources (closes files, sessions). Called once, after the last `export`.
    func shutdown() async

    /// How many `export` (or `send`) calls may be in progress at once. Network exporters allow a few,
    /// so one slow round trip does not idle the pipeline; files and the console keep one, in order.
    var maxConcurrentExports: Int { get }
}

extension TelemetryExporter {
    /// Default: nothing to release.
    public func shutdown() async {}

    /// Default: one call at a time, in the order batches were cut.
    public var maxConcurrentExports: Int { 1 }
}

/// One export request's content: a resource, a scope, and items of a single signal.
public struct ExportBatch: Sendable, Hashable {
    /// Who sent it: service, version, host facts, anonymous ids.
    public var resource: TelemetryResource
    /// The instrumentation scope (this SDK, its version).
    public var scope: InstrumentationScope
    /// The records, all of one signal.
    public var payload: ExportPayload

    /// Creates a batch.
    public init(resource: TelemetryResource, scope: InstrumentationScope = SDKInfo.scope, payload: ExportPayload) {
        self.resource = resource
        self.scope = scope
        self.payload = payload
    }

    /// Items in the batch (spans, metric data points, or log records).
    public var itemCount: Int { payload.itemCount }
}

/// The items of one signal.
public enum ExportPayload: Sendable, Hashable {
    case spans([SpanRecord])
    case metrics([MetricRecord])
    case logs([LogRecord])

    /// Spans, metric data points, or log records: the unit in which the SDK counts items.
    public var itemCount: Int {
        switch self {
        case .spans(let spans): spans.count
        case .metrics(let metrics): metrics.reduce(0) { $0 + $1.pointCount }
        case .logs(let logs): logs.count
        }
    }

    /// The signal, for counting and routing.
    public var signal: TelemetrySignal {
        switch self {
        case .spans: .traces
        case .metrics: .metrics
        case .logs: .logs
        }
    }

    /// The payload cut in two halves of (nearly) equal item counts, or nil for fewer than two items.
    public func split() -> (ExportPayload, ExportPayload)? {
        func halves<T>(_ items: [T]) -> ([T], [T])? {
            guard items.count >= 2 else { return nil }
            let middle = items.count / 2
            return (Array(items[..<middle]), Array(items[middle...]))
        }
        switch self {
        case .spans(let items): return halves(items).map { (.spans($0.0), .spans($0.1)) }
        case .metrics(let items): return halves(items).map { (.metrics($0.0), .metrics($0.1)) }
        case .logs(let items): return halves(items).map { (.logs($0.0), .logs($0.1)) }
        }
    }
}

/// The three OpenTelemetry signals this SDK emits.
public enum TelemetrySignal: String, Sendable, Hashable, CaseIterable {
    case traces
    case metrics
    case logs
}

/// What happened to an export, from the exporter's point of view.
public enum ExportResult: Sendable, Hashable {
    /// Accepted. `rejectedItems` counts items the receiver refused inside a 2xx (OTLP `partialSuccess`);
    /// `bytesSent` is the request body size on the wire (after compression), 0 when not applicable.
    case success(rejectedItems: Int = 0, bytesSent: Int = 0)
    /// A transient failure (network error, timeout, 429, 5xx overload): try again later,
    /// not before `retryAfter` when the server said so.
    case retryable(reason: String, retryAfter: Duration? = nil)
    /// The receiver refused the request as too large (HTTP 413): split it and resend the halves.
    case tooLarge(reason: String)
    /// The receiver will never accept this batch (bad request, auth, schema): drop and count it.
    case permanentFailure(reason: String)
}
