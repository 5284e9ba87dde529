/// Port: a persistent queue of prepared requests, so telemetry survives app restarts and long outages.
/// Adapter: `DirectorySpool` (TelemetrySystem). Opt-in through `TelemetryConfiguration.spoolDirectory`.
///
/// Contract for implementers: `store` is durable when it returns (write, flush to disk, atomic
/// rename); `claimOldest` hands out each entry to one claimant only, even across processes sharing
/// the storage; entries stay until `remove` (delivered or permanently refused), and a claimant that
/// dies leaves its claims to be recovered. Corrupt entries are discarded, never returned.
package protocol TelemetrySpool: Sendable {
    /// Persists `entry`, evicting the oldest entries if over capacity. Returns nil if it cannot be stored.
    func store(_ entry: SpoolEntry) -> SpoolHandle?

    /// Claims up to `limit` of the oldest entries for upload.
    func claimOldest(limit: Int) -> [(handle: SpoolHandle, entry: SpoolEntry)]

    /// Deletes a claimed or stored entry.
    func remove(_ handle: SpoolHandle)

    /// Returns a claimed entry to the queue (the upload failed transiently).
    func release(_ handle: SpoolHandle)

    /// Takes the counters of entries lost since the last call: evicted for space or age, or corrupt.
    func takeLosses() -> SpoolLosses
}

/// One prepared request as stored: what the exporter needs to send it again.
package struct SpoolEntry: Sendable, Hashable {
    /// Which signal the body carries (it picks the endpoint or table).
    package var signal: TelemetrySignal
    /// Items it carries (spans, metric points or log records), for counting.
    package var itemCount: Int
    /// Which exporter and encoding produced `body` (e.g. `otlp/http/protobuf`); only that exporter replays it.
    package var format: String
    /// The body's `Content-Type`.
    package var contentType: String
    /// The body's `Content-Encoding`, or nil when plain.
    package var contentEncoding: String?
    /// The request body exactly as it will be sent.
    package var body: [UInt8]
    /// When the batch was prepared (the spool's age limit counts from here).
    package var createdAt: Timestamp

    /// Creates an entry.
    package init(
        signal: TelemetrySignal, itemCount: Int, format: String, contentType: String, contentEncoding: String?,
        body: [UInt8], createdAt: Timestamp
    ) {
        self.signal = signal
        self.itemCount = itemCount
        self.format = format
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.body = body
        self.createdAt = createdAt
    }
}

/// Identifies a stored entry (a file name for `DirectorySpool`).
package struct SpoolHandle: Sendable, Hashable {
    /// The spool's name for the stored batch.
    package let id: String

    /// Wraps an implementation-defined id.
    package init(_ id: String) { self.id = id }
}

/// Items lost by the spool itself, by cause.
package struct SpoolLosses: Sendable, Hashable {
    /// Items evicted because the spool reached its byte limit.
    package var evictedForSpace = 0
    /// Items removed because their batch outlived the age limit.
    package var expired = 0
    /// Items lost with damaged or foreign files.
    package var corrupt = 0

    /// Creates zero counts.
    package init(evictedForSpace: Int = 0, expired: Int = 0, corrupt: Int = 0) {
        self.evictedForSpace = evictedForSpace
        self.expired = expired
        self.corrupt = corrupt
    }
}

/// An exporter whose requests can be prepared once, stored in a spool, and sent later — possibly by
/// another process run. `export(_:)` is `send(prepare(batch))`.
package protocol PreparingExporter: TelemetryExporter {
    /// Encodes and compresses `batch`; nil when the batch cannot be prepared ahead of sending.
    func prepare(_ batch: ExportBatch, at time: Timestamp) -> SpoolEntry?

    /// Sends a prepared entry (credentials are added now, never stored).
    func send(_ entry: SpoolEntry) async -> ExportResult
}
