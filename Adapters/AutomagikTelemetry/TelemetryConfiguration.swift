import Foundation
import TelemetryBatching
import TelemetryClickHouse
import TelemetryCore
import TelemetryOTLP
import TelemetryPrivacy

/// Everything the client can be told, in code. Unset (`nil`) settings come from the environment,
/// then from the defaults; see `ResolvedConfiguration` for the result.
///
/// Precedence, per setting: **code, then environment variable, then default**. The one exception is
/// whether telemetry is on: any opt-out signal wins over any opt-in, wherever it comes from
/// (see `ConsentDecision`).
///
/// | setting | environment variable | default |
/// |---|---|---|
/// | `projectName` | `OTEL_SERVICE_NAME` | — (required) |
/// | `version` | — | — (required) |
/// | `enabled` | `AUTOMAGIK_TELEMETRY_ENABLED` | off unless opted in |
/// | `backend` | `AUTOMAGIK_TELEMETRY_BACKEND` | `otlp` |
/// | `endpoint` | `AUTOMAGIK_TELEMETRY_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT` | `https://telemetry.namastex.ai` |
/// | `metricsEndpoint` | `AUTOMAGIK_TELEMETRY_METRICS_ENDPOINT` | endpoint + `/v1/metrics` |
/// | `logsEndpoint` | `AUTOMAGIK_TELEMETRY_LOGS_ENDPOINT` | endpoint + `/v1/logs` |
/// | `organization` | `AUTOMAGIK_TELEMETRY_ORGANIZATION` | `namastex` |
/// | `deploymentEnvironment` | `ENVIRONMENT` | unset |
/// | `otlpProtocol` | `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/protobuf`, `http/json`) | `http/protobuf` |
/// | `headers` | `OTEL_EXPORTER_OTLP_HEADERS` (`k=v,k2=v2`, merged, code wins per name) | none |
/// | `timeout` | `AUTOMAGIK_TELEMETRY_TIMEOUT` (seconds), `OTEL_EXPORTER_OTLP_TIMEOUT` (ms) | 5 s |
/// | `batchSize` | `AUTOMAGIK_TELEMETRY_BATCH_SIZE` | 512 (5000 for ClickHouse) |
/// | `flushInterval` | `AUTOMAGIK_TELEMETRY_FLUSH_INTERVAL` (seconds) | 5 s |
/// | `memoryBudget` | `AUTOMAGIK_TELEMETRY_MEMORY_BUDGET` (bytes) | 64 MiB |
/// | `queueCapacity` | `AUTOMAGIK_TELEMETRY_QUEUE_CAPACITY` | none (the memory budget bounds the queue) |
/// | `compressionEnabled` | `AUTOMAGIK_TELEMETRY_COMPRESSION` (`true`/`false`), `OTEL_EXPORTER_OTLP_COMPRESSION` (`gzip`/`none`) | true |
/// | `compressionThreshold` | `AUTOMAGIK_TELEMETRY_COMPRESSION_THRESHOLD` (bytes) | 1024 |
/// | `maxRetries` | `AUTOMAGIK_TELEMETRY_MAX_RETRIES` | 3 |
/// | `retryBackoffBase` | `AUTOMAGIK_TELEMETRY_RETRY_BACKOFF_BASE` (seconds) | 1 s |
/// | `privacySalt` | `AUTOMAGIK_TELEMETRY_SALT` | random per installation |
/// | `spoolDirectory` | `AUTOMAGIK_TELEMETRY_SPOOL_DIR` | off |
/// | `spoolMaxBytes` | `AUTOMAGIK_TELEMETRY_SPOOL_MAX_BYTES` | 64 MiB |
/// | `verbose` | `AUTOMAGIK_TELEMETRY_VERBOSE` | false |
public struct TelemetryConfiguration: Sendable {
    /// The application's name: `service.name` and `project.name`. Required, non-empty.
    public var projectName: String?
    /// The application's version: `service.version` and `project.version`. Required, non-empty.
    public var version: String?
    /// `true` opts in from code, `false` turns telemetry off; `nil` leaves the decision to the user's
    /// environment and saved consent. Opt-out signals win over `true`.
    public var enabled: Bool?
    public var backend: TelemetryBackend?
    /// OTLP base URL; `/v1/traces`, `/v1/metrics`, `/v1/logs` are appended.
    public var endpoint: String?
    /// Full URL for metrics, used as given.
    public var metricsEndpoint: String?
    /// Full URL for logs, used as given.
    public var logsEndpoint: String?
    /// `service.organization`.
    public var organization: String?
    /// `deployment.environment` (e.g. `production`); omitted when unset.
    public var deploymentEnvironment: String?
    /// OTLP encoding: binary protobuf (the OTLP default) or JSON.
    public var otlpProtocol: OTLPProtocol?
    /// Limit for one export request.
    public var timeout: Duration?
    /// Items that make a batch worth sending (the OpenTelemetry batch processor's 512 by default);
    /// while requests are busy, batches grow past it up to 4096 items. Also the queue depth that wakes
    /// the background engine.
    public var batchSize: Int?
    /// Longest time an item waits before being sent; also the metric collection interval.
    public var flushInterval: Duration?
    /// Bytes the SDK may hold for telemetry not yet delivered: 5/8 for raw items waiting to be
    /// converted, 3/8 for compressed batches waiting for the endpoint. Past either share the oldest
    /// data is dropped and counted. The default, 64 MiB, takes a burst of ~120 k events at once and
    /// ~4 minutes of a 2,000 events/s app while the endpoint is down.
    public var memoryBudget: Int?
    /// An extra cap on items in the intake queue, on top of `memoryBudget`; nil for none.
    public var queueCapacity: Int?
    public var overflowPolicy: QueueOverflowPolicy?
    public var compressionEnabled: Bool?
    /// Bodies smaller than this are sent uncompressed.
    public var compressionThreshold: Int?
    /// Failed attempts an explicit `flush()` waits through before it returns. Nothing is dropped when
    /// it gives up: the data stays buffered and is retried after each cool-down.
    public var maxRetries: Int?
    /// First cool-down ceiling after a failed request; doubles per consecutive failure up to 30 s
    /// (drawn from the upper half of the ceiling).
    public var retryBackoffBase: Duration?
    /// Temporality of sums and histograms.
    public var metricTemporality: AggregationTemporality?
    /// Privacy rules applied to every signal before export.
    public var privacy: PrivacyPolicy
    /// Secret key for the salted pseudonyms of user ids, emails, IPs and phones. Give every instance
    /// of a fleet the same value to correlate across machines; by default each installation gets a
    /// random salt saved in `~/.automagik/salt` (mode 0600) when telemetry is first enabled.
    public var privacySalt: String?
    /// Copy the original SDKs' `system.os`, `system.os_version`, `system.runtime_version`,
    /// `system.architecture` and `system.is_docker` onto every span, for dashboards built on them
    /// (default true, for parity). The same facts are always in the resource (`os.type`, `os.version`,
    /// `host.arch`, `process.runtime.version`); turning this off saves about 130 bytes per span before
    /// compression and ~30 % of the worker's time per event (`make bench`).
    public var systemAttributesOnSpans: Bool
    /// Opt-in offline spool: a directory where every batch is written (atomically, 0600) before it is
    /// sent and removed once the receiver answered, so data survives restarts, crashes and long outages.
    /// Uploaded oldest first; safe to share between processes. OTLP and ClickHouse backends.
    public var spoolDirectory: String?
    /// Spool size limit; the oldest batches are evicted (and counted) beyond it. Default 64 MiB.
    public var spoolMaxBytes: Int?
    /// Flush and shut down at normal process exit (an `atexit` hook, bounded by 2 s). Off by default.
    public var flushOnExit: Bool
    /// ClickHouse settings for `backend: .clickhouse`; unset fields come from the environment.
    public var clickhouse: ClickHouseSettings
    /// Extra HTTP headers for the OTLP exporter (API keys, bearer tokens).
    public var headers: [String: String]
    /// Allow plain `http://` to hosts other than loopback. Off by default: telemetry travels encrypted.
    public var allowInsecureHTTP: Bool
    /// Print SDK diagnostics (export failures, drops) to standard error.
    public var verbose: Bool?

    /// Creates a configuration; only `projectName` and `version` are required.
    public init(
        projectName: String? = nil,
        version: String? = nil,
        enabled: Bool? = nil,
        backend: TelemetryBackend? = nil,
        endpoint: String? = nil,
        metricsEndpoint: String? = nil,
        logsEndpoint: String? = nil,
        organization: String? = nil,
        deploymentEnvironment: String? = nil,
        otlpProtocol: OTLPProtocol? = nil,
        timeout: Duration? = nil,
        batchSize: Int? = nil,
        flushInterval: Duration? = nil,
        memoryBudget: Int? = nil,
        queueCapacity: Int? = nil,
        overflowPolicy: QueueOverflowPolicy? = nil,
        compressionEnabled: Bool? = nil,
        compressionThreshold: Int? = nil,
        maxRetries: Int? = nil,
        retryBackoffBase: Duration? = nil,
        metricTemporality: AggregationTemporality? = nil,
        privacy: PrivacyPolicy = .default,
        privacySalt: String? = nil,
        systemAttributesOnSpans: Bool = true,
        flushOnExit: Bool = false,
        spoolDirectory: String? = nil,
        spoolMaxBytes: Int? = nil,
        clickhouse: ClickHouseSettings = ClickHouseSettings(),
        headers: [String: String] = [:],
        allowInsecureHTTP: Bool = false,
        verbose: Bool? = nil
    ) {
        self.projectName = projectName
        self.version = version
        self.enabled = enabled
        self.backend = backend
        self.endpoint = endpoint
        self.metricsEndpoint = metricsEndpoint
        self.logsEndpoint = logsEndpoint
        self.organization = organization
        self.deploymentEnvironment = deploymentEnvironment
        self.otlpProtocol = otlpProtocol
        self.timeout = timeout
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        self.memoryBudget = memoryBudget
        self.queueCapacity = queueCapacity
        self.overflowPolicy = overflowPolicy
        self.compressionEnabled = compressionEnabled
        self.compressionThreshold = compressionThreshold
        self.maxRetries = maxRetries
        self.retryBackoffBase = retryBackoffBase
        self.metricTemporality = metricTemporality
        self.privacy = privacy
        self.privacySalt = privacySalt
        self.systemAttributesOnSpans = systemAttributesOnSpans
        self.flushOnExit = flushOnExit
        self.spoolDirectory = spoolDirectory
        self.spoolMaxBytes = spoolMaxBytes
        self.clickhouse = clickhouse
        self.headers = headers
        self.allowInsecureHTTP = allowInsecureHTTP
        self.verbose = verbose
    }
}

/// The OTLP/HTTP encodings: `.protobuf` (`http/protobuf`, the default) and `.json` (`http/json`).
public typealias OTLPProtocol = OTLPHTTPExporter.Encoding

/// Settings of the direct ClickHouse backend. Unset (`nil`) values come from the environment, then
/// the defaults (the original SDKs').
///
/// | setting | environment variable | default |
/// |---|---|---|
/// | `endpoint` | `AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT` | `http://localhost:8123` |
/// | `database` | `AUTOMAGIK_TELEMETRY_CLICKHOUSE_DATABASE` | `telemetry` |
/// | `tracesTable` | `AUTOMAGIK_TELEMETRY_CLICKHOUSE_TABLE` | `traces` |
/// | `metricsTable` | `AUTOMAGIK_TELEMETRY_CLICKHOUSE_METRICS_TABLE` | `metrics` |
/// | `logsTable` | `AUTOMAGIK_TELEMETRY_CLICKHOUSE_LOGS_TABLE` | `logs` |
/// | `username` | `AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME` | `default` |
/// | `password` | `AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD` | empty |
/// | `flavor` | `AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR` (`automatic`, `modern`, `legacy`) | `automatic` |
/// | `asyncInsert` | `AUTOMAGIK_TELEMETRY_CLICKHOUSE_ASYNC_INSERT` | false |
public struct ClickHouseSettings: Sendable {
    public var endpoint: String?
    public var database: String?
    public var tracesTable: String?
    public var metricsTable: String?
    public var logsTable: String?
    public var username: String?
    /// Never printed by `status`, never logged.
    public var password: String?
    public var flavor: ClickHouseExporter.FlavorChoice?
    public var authentication: ClickHouseExporter.Authentication
    public var asyncInsert: Bool?

    /// Creates settings; everything optional.
    public init(
        endpoint: String? = nil, database: String? = nil, tracesTable: String? = nil, metricsTable: String? = nil,
        logsTable: String? = nil, username: String? = nil, password: String? = nil,
        flavor: ClickHouseExporter.FlavorChoice? = nil, authentication: ClickHouseExporter.Authentication = .basic,
        asyncInsert: Bool? = nil
    ) {
        self.endpoint = endpoint
        self.database = database
        self.tracesTable = tracesTable
        self.metricsTable = metricsTable
        self.logsTable = logsTable
        self.username = username
        self.password = password
        self.flavor = flavor
        self.authentication = authentication
        self.asyncInsert = asyncInsert
    }
}

extension TelemetryConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting, with header values, the privacy salt and the ClickHouse password shown as `<redacted>`.
    public var description: String { RedactedDescription.describe(self, secrets: ["headers", "privacySalt"]) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}

extension ClickHouseSettings: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting, with the password shown as `<redacted>` (or `""` / `nil` when not set).
    public var description: String { RedactedDescription.describe(self, secrets: ["password"]) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}
