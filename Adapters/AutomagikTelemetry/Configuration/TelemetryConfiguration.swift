import TelemetryCore
import TelemetryPrivacy

/// Everything the client can be told in code. Only the application's name and version are required;
/// every other setting starts unset (`nil`) or at its default and is decided at start-up, **per
/// setting: code, then environment variable, then default**. The one exception is whether telemetry
/// is on: any opt-out signal wins over any opt-in, wherever it comes from (see `ConsentDecision`).
///
/// ```swift
/// var configuration = TelemetryConfiguration(projectName: "my-app", version: "1.2.0")
/// configuration.backend = .otlp(OTLPSettings(endpoint: "https://collector.example.com"))
/// configuration.batching.flushInterval = .seconds(10)
/// configuration.privacy.policy.allowedKeys = ["plan"]
/// ```
///
/// The environment belongs to the app's operator: a value there that cannot be used is reported
/// (`status.environmentProblems`, printed once) and ignored, never thrown. Values set in code are
/// checked when the client is created and throw `ConfigurationError` when invalid.
///
/// The README's configuration table lists every setting with its variables and default; it is
/// generated from the same table the resolution uses (`automagik-telemetry settings`).
public struct TelemetryConfiguration: Sendable {
    /// The application's name: `project.name`, and `service.name` unless `serviceName` says otherwise.
    /// Must not be empty.
    public var projectName: String
    /// The application's version: `service.version` and `project.version`. Must not be empty.
    public var version: String
    /// `service.name` when it should differ from `projectName` (e.g. one name per deployment).
    /// Environment: `OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES`.
    /// Default: `projectName`.
    public var serviceName: String?
    /// `true` opts in from code, `false` turns telemetry off; `nil` leaves the decision to the user's
    /// environment (`AUTOMAGIK_TELEMETRY_ENABLED`) and saved consent. Opt-out signals win over `true`.
    public var enabled: Bool?
    /// Where telemetry goes, with that destination's own settings. `nil` lets the environment choose
    /// (`AUTOMAGIK_TELEMETRY_BACKEND`, or `OTEL_*_EXPORTER=console`); default `.otlp` to the
    /// Namastex endpoint.
    public var backend: TelemetryBackend?
    /// `service.organization` and `service.namespace`. Environment: `AUTOMAGIK_TELEMETRY_ORGANIZATION`.
    /// Default: `namastex`.
    public var organization: String?
    /// `deployment.environment.name` (e.g. `production`). Environment: `ENVIRONMENT`. Default: omitted.
    public var deploymentEnvironment: String?
    /// How items are grouped and how much memory waiting telemetry may use.
    public var batching = BatchingSettings()
    /// Request behaviour shared by the network backends: timeout, compression, retries, temporality.
    public var exporter = ExporterSettings()
    /// The privacy rules applied to every signal before it leaves the process, and their salt.
    public var privacy = PrivacySettings()
    /// What is kept on disk when it cannot be delivered (by default: what a leaving program could not send).
    public var spool = SpoolSettings()
    /// Which events are kept (all by default); errors are never sampled out.
    public var sampling = SamplingSettings()
    /// The opt-in per-event-name rate limit. Environment: `AUTOMAGIK_TELEMETRY_EVENT_RATE_LIMIT`
    /// (`PER_SECOND` or `PER_SECOND/BURST`). Default: none.
    public var eventRateLimit: EventRateLimit?
    /// Send logs (`trackLog`) too. Logs carry free text, so they are their own opt-in, as the seed's
    /// privacy table says: off unless set here or by `AUTOMAGIK_TELEMETRY_LOGS_ENABLED`. Events, errors
    /// and metrics do not depend on it.
    public var logsEnabled: Bool?
    /// See exactly what would leave: the whole pipeline runs (consent, privacy rules, aggregation,
    /// batching), and each request is written as a line of OTLP/JSON to standard error or a file
    /// instead of the network. Environment: `AUTOMAGIK_TELEMETRY_DRY_RUN` (`true`/`console`, or
    /// `file:PATH`). Default: off.
    public var dryRun: DryRun?
    /// A session ends after this long without anything tracked: the next item starts a new `session.id`
    /// (batches are cut at the boundary, so each carries one session). Environment:
    /// `AUTOMAGIK_TELEMETRY_SESSION_TIMEOUT` (seconds). Default: 30 minutes. Positive.
    public var sessionTimeout: Duration?
    /// Copy the original SDKs' `system.os`, `system.os_version`, `system.runtime_version`,
    /// `system.architecture` and `system.is_docker` onto every span, for dashboards built on them
    /// (default true, for parity). The same facts are always in the resource (`os.type`, `os.version`,
    /// `host.arch`, `process.runtime.version`); turning this off saves about 130 bytes per span before
    /// compression and ~30 % of the worker's time per event (`make bench`). Code only.
    public var systemAttributesOnSpans = true
    /// At normal process exit (`exit()`, returning from `main`) send what fits the exit budget and keep
    /// the rest on disk (an `atexit` hook). Code only; default: on for command-line tools and servers,
    /// off in Apple apps, where `AppLifecycle` flushes on backgrounding instead.
    public var flushOnExit: Bool?
    /// Print SDK diagnostics (export failures, drops) to standard error. Environment:
    /// `AUTOMAGIK_TELEMETRY_VERBOSE`, then `OTEL_LOG_LEVEL` (`debug`/`info` on, `warn`/`error`/`none`
    /// off). Default false.
    public var verbose: Bool?

    /// A configuration for `projectName` at `version`; every other setting at "unset", so the
    /// environment and then the defaults decide it.
    public init(projectName: String, version: String) {
        self.projectName = projectName
        self.version = version
    }
}

extension TelemetryConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting, with header values, the privacy salt and the ClickHouse password shown as `<redacted>`.
    public var description: String { RedactedDescription.describe(self, secrets: []) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}
