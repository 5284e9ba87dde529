import TelemetryBatching
import TelemetryCore
import TelemetryPrivacy

/// How items are grouped into requests and how much memory telemetry not yet delivered may use.
/// Unset (`nil`) values come from the environment, then the defaults.
public struct BatchingSettings: Sendable, Hashable {
    /// Items that make a batch worth sending (the OpenTelemetry batch processor's 512); while requests
    /// are busy, batches grow past it up to 4096 items. Also the queue depth that wakes the engine.
    /// Environment: `AUTOMAGIK_TELEMETRY_BATCH_SIZE`, `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`,
    /// `OTEL_BLRP_MAX_EXPORT_BATCH_SIZE`. Default: 512, or 5000 for ClickHouse (which prefers few,
    /// large inserts). At least 1.
    public var batchSize: Int?
    /// Longest time an item waits before being sent; also the metric collection interval.
    /// Environment: `AUTOMAGIK_TELEMETRY_FLUSH_INTERVAL` (seconds), `OTEL_BSP_SCHEDULE_DELAY`,
    /// `OTEL_BLRP_SCHEDULE_DELAY`, `OTEL_METRIC_EXPORT_INTERVAL` (milliseconds). Default: 5 s. Positive.
    public var flushInterval: Duration?
    /// Bytes the SDK may hold for telemetry not yet delivered: 5/8 for raw items waiting to be
    /// converted, 3/8 for compressed batches waiting for the endpoint. Past either share the oldest
    /// data is dropped and counted. The default, 64 MiB, takes a burst of ~120 k events at once and
    /// ~4 minutes of a 2,000 events/s app while the endpoint is down.
    /// Environment: `AUTOMAGIK_TELEMETRY_MEMORY_BUDGET` (bytes). At least 1 MiB.
    public var memoryBudget: Int?
    /// An extra cap on items in the intake queue, on top of `memoryBudget`; `nil` for none.
    /// Environment: `AUTOMAGIK_TELEMETRY_QUEUE_CAPACITY`, `OTEL_BSP_MAX_QUEUE_SIZE`,
    /// `OTEL_BLRP_MAX_QUEUE_SIZE`. At least `batchSize`.
    public var queueCapacity: Int?
    /// What a full intake does with a new item. Code only. Default: `.dropOldest`.
    public var overflowPolicy: QueueOverflowPolicy?

    /// Settings with every value unset; pass only what code should decide.
    public init(
        batchSize: Int? = nil, flushInterval: Duration? = nil, memoryBudget: Int? = nil, queueCapacity: Int? = nil,
        overflowPolicy: QueueOverflowPolicy? = nil
    ) {
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        self.memoryBudget = memoryBudget
        self.queueCapacity = queueCapacity
        self.overflowPolicy = overflowPolicy
    }
}

/// How requests are made, for every network backend (OTLP and ClickHouse). Unset (`nil`) values come
/// from the environment, then the defaults.
public struct ExporterSettings: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Limit for one request, connection included. Environment: `AUTOMAGIK_TELEMETRY_TIMEOUT`
    /// (seconds), `OTEL_EXPORTER_OTLP_TIMEOUT` and its per-signal forms (milliseconds; the longest
    /// wins). Default: 5 s. Positive.
    public var timeout: Duration?
    /// Gzip request bodies. Environment: `AUTOMAGIK_TELEMETRY_COMPRESSION` (`true`/`false`),
    /// `OTEL_EXPORTER_OTLP_COMPRESSION` and its per-signal forms (`gzip`/`none`). Default: true.
    public var compression: Bool?
    /// Bodies smaller than this many bytes are sent uncompressed. Environment:
    /// `AUTOMAGIK_TELEMETRY_COMPRESSION_THRESHOLD`. Default: 1024. At least 0.
    public var compressionThreshold: Int?
    /// Failed attempts an explicit `flush()` waits through before it returns. Nothing is dropped when
    /// it gives up: the data stays buffered and is retried after each cool-down. Environment:
    /// `AUTOMAGIK_TELEMETRY_MAX_RETRIES`. Default: 3. At least 0.
    public var maxRetries: Int?
    /// First cool-down ceiling after a failed request; doubles per consecutive failure up to 30 s
    /// (drawn from the upper half of the ceiling). Environment: `AUTOMAGIK_TELEMETRY_RETRY_BACKOFF_BASE`
    /// (seconds). Default: 1 s. Positive.
    public var retryBackoffBase: Duration?
    /// Temporality of sums and histograms. Environment: `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`
    /// (`cumulative`, `delta`, `lowmemory`). Default: cumulative for OTLP (the OTLP default, and the
    /// only kind Prometheus accepts), delta for ClickHouse (its rows are summed by the dashboards).
    public var metricTemporality: AggregationTemporality?
    /// Key for signing every OTLP request (`X-Automagik-Signature`, an HMAC-SHA256 of the exact body with
    /// a timestamp; see `RequestSignature` for what it protects against and what not). Environment:
    /// `AUTOMAGIK_TELEMETRY_SIGNING_KEY`. Default: unsigned. Never printed.
    public var signingKey: String? {
        get { _signingKey.value }
        set { _signingKey = Secret(newValue) }
    }
    private var _signingKey: Secret<String?>
    /// Allow plain `http://` to hosts other than loopback for endpoints set in code. Off by default:
    /// telemetry travels encrypted. Endpoints from the environment are the operator's choice and are
    /// accepted either way (with a diagnostic). Code only.
    public var allowInsecureHTTP = false

    /// Settings with every value unset; pass only what code should decide.
    public init(
        timeout: Duration? = nil, compression: Bool? = nil, compressionThreshold: Int? = nil, maxRetries: Int? = nil,
        retryBackoffBase: Duration? = nil, metricTemporality: AggregationTemporality? = nil, allowInsecureHTTP: Bool = false,
        signingKey: String? = nil
    ) {
        _signingKey = Secret(signingKey)
        self.timeout = timeout
        self.compression = compression
        self.compressionThreshold = compressionThreshold
        self.maxRetries = maxRetries
        self.retryBackoffBase = retryBackoffBase
        self.metricTemporality = metricTemporality
        self.allowInsecureHTTP = allowInsecureHTTP
    }
}

extension ExporterSettings {
    /// Every setting, with the signing key shown as `<redacted>`.
    public var description: String { RedactedDescription.describe(self, secrets: ["signingKey"]) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}

/// The privacy rules and the secret that keys their pseudonyms.
public struct PrivacySettings: Sendable {
    /// Rules applied to every signal before export. Default: `PrivacyPolicy.default` (everything on).
    /// Environment: `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT` and `OTEL_ATTRIBUTE_COUNT_LIMIT` can only make
    /// its limits stricter.
    public var policy: PrivacyPolicy
    /// Secret key for the salted pseudonyms of user ids, emails, IPs and phones. Give every instance
    /// of a fleet the same value to correlate across machines. Environment: `AUTOMAGIK_TELEMETRY_SALT`.
    /// Default: a random salt per installation, saved in the state directory (mode 0600) when
    /// telemetry is first enabled. Never printed.
    public var salt: String? {
        get { _salt.value }
        set { _salt = Secret(newValue) }
    }
    private var _salt: Secret<String?>

    /// Settings with `policy` (default: everything on) and an unset salt.
    public init(policy: PrivacyPolicy = .default, salt: String? = nil) {
        self.policy = policy
        _salt = Secret(salt)
    }
}

/// What is kept on disk when it cannot be delivered, so programs that come and go lose nothing: a
/// directory of batches, uploaded oldest first by a later run (of any program using the SDK for the same
/// user and project), safe to share between processes. OTLP and ClickHouse backends.
public struct SpoolSettings: Sendable, Hashable {
    /// When batches are written to the spool.
    public enum Persistence: String, Sendable, Hashable, CaseIterable {
        /// Only what is not delivered when the program leaves (shutdown's deadline, the exit hook) or what
        /// the memory budget evicts: nothing is written while the endpoint answers. The default.
        case atExit = "at_exit"
        /// Every batch, before it is sent (a file per batch, `fsync`ed): survives crashes and SIGKILL too,
        /// at the cost of a disk write per batch. The default when a `directory` is set.
        case everyBatch = "every_batch"
        /// Nothing on disk: what is not delivered is dropped and counted.
        case off
    }

    /// The spool directory. Environment: `AUTOMAGIK_TELEMETRY_SPOOL_DIR`. Default: `spool/<project>` in the
    /// per-user state location (`~/.automagik/spool/<project>` for command-line tools and servers, the
    /// app's Application Support on Apple platforms), when the state store is the file store.
    public var directory: String?
    /// When batches are written. Environment: `AUTOMAGIK_TELEMETRY_SPOOL` (`at_exit`, `every_batch`,
    /// `off`). Default: `.everyBatch` when `directory` is set, else `.atExit`.
    public var persistence: Persistence?
    /// Spool size limit; the oldest batches are evicted (and counted) beyond it. Environment:
    /// `AUTOMAGIK_TELEMETRY_SPOOL_MAX_BYTES`. Default: 64 MiB. At least 1 KiB.
    public var maxBytes: Int?

    /// Settings with every value unset.
    public init(directory: String? = nil, persistence: Persistence? = nil, maxBytes: Int? = nil) {
        self.directory = directory
        self.persistence = persistence
        self.maxBytes = maxBytes
    }
}

extension PrivacySettings: CustomStringConvertible, CustomDebugStringConvertible {
    /// The policy and whether a salt is set; the salt itself is shown as `<redacted>`.
    public var description: String { RedactedDescription.describe(self, secrets: ["salt"]) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}

/// Which events are kept: OpenTelemetry's trace-id ratio sampler, per event name if wanted. Errors are
/// never sampled out and metrics are aggregated, not sampled; events not kept are counted in
/// `stats.sampledOut`, apart from drops.
public struct SamplingSettings: Sendable, Hashable {
    /// Fraction of events kept, 0…1. Environment: `OTEL_TRACES_SAMPLER` (`always_on`, `always_off`,
    /// `traceidratio`; the `parentbased_*` forms as their root variant: events have no parent) with
    /// `OTEL_TRACES_SAMPLER_ARG`. Default: 1 (keep every event).
    public var ratio: Double?
    /// Ratios for particular event names (after the privacy rules), overriding `ratio`. Code only.
    public var eventRatios: [String: Double]

    /// Settings with the ratio unset and no per-name ratios.
    public init(ratio: Double? = nil, eventRatios: [String: Double] = [:]) {
        self.ratio = ratio
        self.eventRatios = eventRatios
    }
}

/// The opt-in limit on events per name: a token bucket per event name (at most 1,000 names tracked;
/// more share one bucket). Excess events are dropped and counted `rate_limited`; `stats.rateLimitedNames`
/// says how many names hit it. Recommended when event names come from loops you do not control: 10
/// events per second per name with bursts of 100.
public struct EventRateLimit: Sendable, Hashable {
    /// Sustained events per second per name (positive).
    public var perSecond: Double
    /// Events a name may send at once before the rate applies (at least 1).
    public var burst: Int

    /// A limit of `perSecond` events per second per name, bursts of `burst`.
    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }
}
