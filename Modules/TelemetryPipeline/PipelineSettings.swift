import TelemetryBatching
import TelemetryCore
import TelemetryMetrics
import TelemetryPrivacy
import TelemetrySpans

/// Everything the delivery engine needs to know, resolved by the client from its configuration.
package struct PipelineSettings: Sendable {
    /// Items that make a batch due when a request slot is free (the configured batch size).
    package var batchSize: Int
    /// Most items in one request. Batches grow from `batchSize` toward this while requests are busy:
    /// the backlog, not a fixed size, decides. 4096 spans of the benchmark event encode to ~1.2 MB of
    /// protobuf, well inside collectors' default request limits (rotel silently drops past 8192 items).
    package var maxBatchItems: Int
    /// Largest estimated request body before compression.
    package var maxBatchBytes: Int
    /// A batch is due once its oldest item has waited this long.
    package var flushInterval: Duration
    /// Most bytes of cut batches held while waiting for the endpoint (the outbox budget).
    package var bufferBudget: Int
    /// Most requests in flight at once (further limited by the exporter's `maxConcurrentExports`).
    package var maxConcurrentRequests: Int
    /// How many failed attempts an explicit `flush()` sits through before returning (nothing is dropped).
    package var flushRetries: Int
    /// Cool-down ceilings after failures.
    package var retrySchedule: RetrySchedule
    package var temporality: AggregationTemporality
    /// Which event spans are kept (errors are never sampled).
    package var sampler: TraceSampler
    /// The opt-in per-event-name limit: events per second and burst; nil for none.
    package var eventRateLimit: (perSecond: Double, burst: Int)?
    /// Nothing tracked for longer than this ends the session (a new `session.id`); nil never does.
    package var sessionTimeout: Duration?
    package var privacy: PrivacyPolicy
    package var salt: [UInt8]
    package var resource: TelemetryResource
    /// The original SDKs' `system.*` span attributes, added to every span.
    package var spanAttributes: TelemetryAttributes
    /// Where batches are persisted; used with a `PreparingExporter`.
    package var spool: (any TelemetrySpool)?
    /// Whether every batch is written to the spool before it is sent (crash-safe, a file per batch), or
    /// only what cannot be delivered: at shutdown's deadline, at an exit, and when the memory budget
    /// evicts (the default spool, which costs nothing while the endpoint answers).
    package var spoolWritesAhead: Bool
    /// How long requests already in flight at the shutdown deadline may still finish, when the endpoint
    /// has answered in this run (see `DeliveryEngine.shutdownIsOver`).
    package var shutdownGrace: Duration
    /// Which start of the client this engine belongs to (disable/enable starts a new one).
    package var generation: Int

    package init(
        batchSize: Int, maxBatchItems: Int = 4096, maxBatchBytes: Int = 4 * 1024 * 1024, flushInterval: Duration,
        bufferBudget: Int, maxConcurrentRequests: Int = 4, flushRetries: Int, retrySchedule: RetrySchedule,
        temporality: AggregationTemporality, privacy: PrivacyPolicy, salt: [UInt8], resource: TelemetryResource,
        spanAttributes: TelemetryAttributes, spool: (any TelemetrySpool)?, spoolWritesAhead: Bool = true, shutdownGrace: Duration = .zero,
        generation: Int,
        sampler: TraceSampler = TraceSampler(), eventRateLimit: (perSecond: Double, burst: Int)? = nil,
        sessionTimeout: Duration? = nil
    ) {
        self.sessionTimeout = sessionTimeout
        self.sampler = sampler
        self.eventRateLimit = eventRateLimit
        self.batchSize = max(1, batchSize)
        self.maxBatchItems = max(self.batchSize, maxBatchItems)
        self.maxBatchBytes = max(1, maxBatchBytes)
        self.flushInterval = flushInterval
        self.bufferBudget = max(1, bufferBudget)
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
        self.flushRetries = max(0, flushRetries)
        self.retrySchedule = retrySchedule
        self.temporality = temporality
        self.privacy = privacy
        self.salt = salt
        self.resource = resource
        self.spanAttributes = spanAttributes
        self.spool = spool
        self.spoolWritesAhead = spoolWritesAhead
        self.shutdownGrace = max(.zero, shutdownGrace)
        self.generation = generation
    }
}
