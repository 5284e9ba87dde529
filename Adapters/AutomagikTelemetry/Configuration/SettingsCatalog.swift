import Foundation
import TelemetryHTTP

/// One environment variable and how its text is read.
package struct EnvironmentVariable: Sendable, Hashable {
    /// How the variable's text is interpreted.
    package enum Format: Sendable, Hashable {
        case text, url, integer, boolean, seconds, milliseconds, keyValueList, path
        /// One of a fixed set of words (case-insensitive).
        case choice([String])
    }

    package let name: String
    package let format: Format

    package init(_ name: String, _ format: Format) {
        self.name = name
        self.format = format
    }

    /// How the README shows the variable: its name, with the unit or choices where they matter.
    var documented: String {
        switch format {
        case .seconds: "`\(name)` (s)"
        case .milliseconds: "`\(name)` (ms)"
        case .choice(let words): "`\(name)` (" + words.map { "`\($0)`" }.joined(separator: ", ") + ")"
        default: "`\(name)`"
        }
    }
}

/// One setting: where code sets it, which variables set it (in precedence order), its default, what it
/// does. Resolution reads exactly these variables, `status` reports each setting's value and source,
/// and the README's configuration table is this catalog printed (`automagik-telemetry settings`).
package struct SettingDescriptor: Sendable, Hashable {
    /// The property path in `TelemetryConfiguration` (`batching.batchSize`), or nil for a setting only
    /// the environment has.
    package let property: String?
    /// The variables that set it, the first valid one winning.
    package let variables: [EnvironmentVariable]
    /// The default, as the README states it.
    package let defaultValue: String
    /// One line on what it does.
    package let summary: String

    /// The name `status` uses: the property path, else the first variable.
    package var name: String { property ?? variables.first?.name ?? "" }
}

/// The table of every setting, in the README's order.
package enum SettingsCatalog {
    private static func signals(_ prefix: String, _ suffix: String, _ format: EnvironmentVariable.Format) -> [EnvironmentVariable] {
        ["TRACES", "METRICS", "LOGS"].map { EnvironmentVariable("\(prefix)\($0)\(suffix)", format) }
    }

    package static let projectName = SettingDescriptor(
        property: "projectName", variables: [], defaultValue: "— (required)", summary: "`project.name`; `service.name` unless `serviceName` is set"
    )
    package static let version = SettingDescriptor(
        property: "version", variables: [], defaultValue: "— (required)", summary: "`service.version` and `project.version`"
    )
    package static let serviceName = SettingDescriptor(
        property: "serviceName",
        variables: [.init("OTEL_SERVICE_NAME", .text), .init("OTEL_RESOURCE_ATTRIBUTES", .keyValueList)],
        defaultValue: "`projectName`", summary: "`service.name` (from `OTEL_RESOURCE_ATTRIBUTES` only its `service.name` entry)"
    )
    package static let enabled = SettingDescriptor(
        property: "enabled", variables: [.init("AUTOMAGIK_TELEMETRY_ENABLED", .boolean)],
        defaultValue: "off unless opted in", summary: "opt in or out; any opt-out signal wins (see Consent)"
    )
    package static let backend = SettingDescriptor(
        property: "backend",
        variables: [.init("AUTOMAGIK_TELEMETRY_BACKEND", .choice(["otlp", "clickhouse", "console", "file:PATH"]))]
            + signals("OTEL_", "_EXPORTER", .choice(["otlp", "console", "none"])),
        defaultValue: "`.otlp`", summary: "where telemetry goes; `OTEL_*_EXPORTER=none` switches that signal off"
    )
    package static let organization = SettingDescriptor(
        property: "organization", variables: [.init("AUTOMAGIK_TELEMETRY_ORGANIZATION", .text)],
        defaultValue: "`namastex`", summary: "`service.organization` and `service.namespace`"
    )
    package static let deploymentEnvironment = SettingDescriptor(
        property: "deploymentEnvironment", variables: [.init("ENVIRONMENT", .text)],
        defaultValue: "unset", summary: "`deployment.environment.name`"
    )
    package static let resourceAttributes = SettingDescriptor(
        property: nil, variables: [.init("OTEL_RESOURCE_ATTRIBUTES", .keyValueList)],
        defaultValue: "none", summary: "extra resource attributes (`k=v,k2=v2`, percent-encoded), after the privacy rules"
    )
    package static let otlpEndpoint = SettingDescriptor(
        property: "backend.otlp.endpoint",
        variables: [.init("AUTOMAGIK_TELEMETRY_ENDPOINT", .url), .init("OTEL_EXPORTER_OTLP_ENDPOINT", .url)],
        defaultValue: "`https://telemetry.namastex.ai`", summary: "OTLP base URL; `/v1/traces`, `/v1/metrics`, `/v1/logs` appended"
    )
    package static let tracesEndpoint = SettingDescriptor(
        property: "backend.otlp.tracesEndpoint", variables: [.init("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", .url)],
        defaultValue: "endpoint + `/v1/traces`", summary: "full URL for events and errors"
    )
    package static let metricsEndpoint = SettingDescriptor(
        property: "backend.otlp.metricsEndpoint",
        variables: [.init("AUTOMAGIK_TELEMETRY_METRICS_ENDPOINT", .url), .init("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", .url)],
        defaultValue: "endpoint + `/v1/metrics`", summary: "full URL for metrics"
    )
    package static let logsEndpoint = SettingDescriptor(
        property: "backend.otlp.logsEndpoint",
        variables: [.init("AUTOMAGIK_TELEMETRY_LOGS_ENDPOINT", .url), .init("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", .url)],
        defaultValue: "endpoint + `/v1/logs`", summary: "full URL for logs"
    )
    package static let encoding = SettingDescriptor(
        property: "backend.otlp.encoding",
        variables: [.init("OTEL_EXPORTER_OTLP_PROTOCOL", .choice(["http/protobuf", "http/json"]))]
            + signals("OTEL_EXPORTER_OTLP_", "_PROTOCOL", .choice(["http/protobuf", "http/json"])),
        defaultValue: "`.protobuf`", summary: "OTLP encoding; `grpc` is answered with http/protobuf on port 4318"
    )
    package static let headers = SettingDescriptor(
        property: "backend.otlp.headers",
        variables: [.init("OTEL_EXPORTER_OTLP_HEADERS", .keyValueList)] + signals("OTEL_EXPORTER_OTLP_", "_HEADERS", .keyValueList),
        defaultValue: "none", summary: "extra headers; the environment's go only to endpoints from the environment or the default"
    )
    package static let tlsFiles = SettingDescriptor(
        property: nil,
        variables: [.init("OTEL_EXPORTER_OTLP_CERTIFICATE", .path)] + signals("OTEL_EXPORTER_OTLP_", "_CERTIFICATE", .path)
            + [.init("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", .path)] + signals("OTEL_EXPORTER_OTLP_", "_CLIENT_CERTIFICATE", .path)
            + [.init("OTEL_EXPORTER_OTLP_CLIENT_KEY", .path)] + signals("OTEL_EXPORTER_OTLP_", "_CLIENT_KEY", .path),
        defaultValue: "system trust", summary: "CA bundle and client identity (PEM) for environment endpoints (Linux transport)"
    )
    package static let proxy = SettingDescriptor(
        property: nil,
        variables: ProxyRoute.variables.map { .init($0, $0.lowercased().hasPrefix("no_") ? .text : .url) },
        defaultValue: "none",
        summary: "proxy for destinations other than this machine (Linux transport; loopback is always direct; Apple: system settings)"
    )
    package static let batchSize = SettingDescriptor(
        property: "batching.batchSize",
        variables: [
            .init("AUTOMAGIK_TELEMETRY_BATCH_SIZE", .integer), .init("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", .integer),
            .init("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", .integer),
        ],
        defaultValue: "512 (5000 for ClickHouse)", summary: "items that make a batch worth sending"
    )
    package static let flushInterval = SettingDescriptor(
        property: "batching.flushInterval",
        variables: [
            .init("AUTOMAGIK_TELEMETRY_FLUSH_INTERVAL", .seconds), .init("OTEL_BSP_SCHEDULE_DELAY", .milliseconds),
            .init("OTEL_BLRP_SCHEDULE_DELAY", .milliseconds), .init("OTEL_METRIC_EXPORT_INTERVAL", .milliseconds),
        ],
        defaultValue: "5 s", summary: "longest wait before an item is sent; metric collection interval"
    )
    package static let memoryBudget = SettingDescriptor(
        property: "batching.memoryBudget", variables: [.init("AUTOMAGIK_TELEMETRY_MEMORY_BUDGET", .integer)],
        defaultValue: "64 MiB", summary: "bytes for undelivered telemetry, in memory"
    )
    package static let queueCapacity = SettingDescriptor(
        property: "batching.queueCapacity",
        variables: [
            .init("AUTOMAGIK_TELEMETRY_QUEUE_CAPACITY", .integer), .init("OTEL_BSP_MAX_QUEUE_SIZE", .integer),
            .init("OTEL_BLRP_MAX_QUEUE_SIZE", .integer),
        ],
        defaultValue: "none (the memory budget bounds the queue)", summary: "extra cap on queued items"
    )
    package static let overflowPolicy = SettingDescriptor(
        property: "batching.overflowPolicy", variables: [], defaultValue: "`.dropOldest`", summary: "what a full queue does with a new item"
    )
    package static let timeout = SettingDescriptor(
        property: "exporter.timeout",
        variables: [.init("AUTOMAGIK_TELEMETRY_TIMEOUT", .seconds), .init("OTEL_EXPORTER_OTLP_TIMEOUT", .milliseconds)]
            + signals("OTEL_EXPORTER_OTLP_", "_TIMEOUT", .milliseconds),
        defaultValue: "5 s", summary: "limit for one request"
    )
    package static let compression = SettingDescriptor(
        property: "exporter.compression",
        variables: [
            .init("AUTOMAGIK_TELEMETRY_COMPRESSION", .boolean), .init("OTEL_EXPORTER_OTLP_COMPRESSION", .choice(["gzip", "none"])),
        ] + signals("OTEL_EXPORTER_OTLP_", "_COMPRESSION", .choice(["gzip", "none"])),
        defaultValue: "true", summary: "gzip request bodies"
    )
    package static let compressionThreshold = SettingDescriptor(
        property: "exporter.compressionThreshold", variables: [.init("AUTOMAGIK_TELEMETRY_COMPRESSION_THRESHOLD", .integer)],
        defaultValue: "1024", summary: "smaller bodies (bytes) are sent uncompressed"
    )
    package static let maxRetries = SettingDescriptor(
        property: "exporter.maxRetries", variables: [.init("AUTOMAGIK_TELEMETRY_MAX_RETRIES", .integer)],
        defaultValue: "3", summary: "failed attempts an explicit `flush()` waits through (nothing is dropped)"
    )
    package static let retryBackoffBase = SettingDescriptor(
        property: "exporter.retryBackoffBase", variables: [.init("AUTOMAGIK_TELEMETRY_RETRY_BACKOFF_BASE", .seconds)],
        defaultValue: "1 s", summary: "first cool-down after a failure; doubles up to 30 s"
    )
    package static let metricTemporality = SettingDescriptor(
        property: "exporter.metricTemporality",
        variables: [.init("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", .choice(["cumulative", "delta", "lowmemory"]))],
        defaultValue: "cumulative (delta for ClickHouse)", summary: "temporality of sums and histograms"
    )
    package static let signingKey = SettingDescriptor(
        property: "exporter.signingKey", variables: [.init("AUTOMAGIK_TELEMETRY_SIGNING_KEY", .text)],
        defaultValue: "unsigned", summary: "HMAC-SHA256 request signatures (`X-Automagik-Signature`); never printed"
    )
    package static let allowInsecureHTTP = SettingDescriptor(
        property: "exporter.allowInsecureHTTP", variables: [], defaultValue: "false",
        summary: "allow plain http to remote hosts for endpoints set in code"
    )
    package static let privacyPolicy = SettingDescriptor(
        property: "privacy.policy",
        variables: [.init("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", .integer), .init("OTEL_ATTRIBUTE_COUNT_LIMIT", .integer)],
        defaultValue: "`.default` (every rule on)", summary: "privacy rules; the variables can only tighten its limits"
    )
    package static let privacySalt = SettingDescriptor(
        property: "privacy.salt", variables: [.init("AUTOMAGIK_TELEMETRY_SALT", .text)],
        defaultValue: "random per installation", summary: "key of the salted pseudonyms (never printed)"
    )
    package static let spoolDirectory = SettingDescriptor(
        property: "spool.directory", variables: [.init("AUTOMAGIK_TELEMETRY_SPOOL_DIR", .path)],
        defaultValue: "`spool/<project>` in the state location", summary: "where undelivered batches are kept for a later run"
    )
    package static let spoolPersistence = SettingDescriptor(
        property: "spool.persistence",
        variables: [.init("AUTOMAGIK_TELEMETRY_SPOOL", .choice(SpoolSettings.Persistence.allCases.map(\.rawValue)))],
        defaultValue: "`at_exit` (`every_batch` with a directory set)",
        summary: "what goes to disk: what a leaving program could not deliver, every batch, or nothing"
    )
    package static let spoolMaxBytes = SettingDescriptor(
        property: "spool.maxBytes", variables: [.init("AUTOMAGIK_TELEMETRY_SPOOL_MAX_BYTES", .integer)],
        defaultValue: "64 MiB", summary: "spool size limit; oldest batches evicted (counted)"
    )
    package static let clickhouseEndpoint = SettingDescriptor(
        property: "backend.clickhouse.endpoint", variables: [.init("AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT", .url)],
        defaultValue: "`http://localhost:8123`", summary: "ClickHouse HTTP interface"
    )
    package static let clickhouseDatabase = SettingDescriptor(
        property: "backend.clickhouse.database", variables: [.init("AUTOMAGIK_TELEMETRY_CLICKHOUSE_DATABASE", .text)],
        defaultValue: "`telemetry`", summary: "database"
    )
    package static let clickhouseTracesTable = SettingDescriptor(
        property: "backend.clickhouse.tracesTable", variables: [.init("AUTOMAGIK_TELEMETRY_CLICKHOUSE_TABLE", .text)],
        defaultValue: "`traces`", summary: "table for events and errors"
    )
    package static let clickhouseMetricsTable = SettingDescriptor(
        property: "backend.clickhouse.metricsTable", variables: [.init("AUTOMAGIK_TELEMETRY_CLICKHOUSE_METRICS_TABLE", .text)],
        defaultValue: "`metrics`", summary: "table for metrics"
    )
    package static let clickhouseLogsTable = SettingDescriptor(
        property: "backend.clickhouse.logsTable", variables: [.init("AUTOMAGIK_TELEMETRY_CLICKHOUSE_LOGS_TABLE", .text)],
        defaultValue: "`logs`", summary: "table for logs"
    )
    package static let clickhouseUsername = SettingDescriptor(
        property: "backend.clickhouse.username", variables: [.init("AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME", .text)],
        defaultValue: "`default`", summary: "user"
    )
    package static let clickhousePassword = SettingDescriptor(
        property: "backend.clickhouse.password", variables: [.init("AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD", .text)],
        defaultValue: "empty", summary: "password (never printed)"
    )
    package static let clickhouseFlavor = SettingDescriptor(
        property: "backend.clickhouse.flavor",
        variables: [.init("AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR", .choice(["automatic", "modern", "legacy"]))],
        defaultValue: "`.automatic`", summary: "SQL dialect; automatic asks the server its version"
    )
    package static let clickhouseAuthentication = SettingDescriptor(
        property: "backend.clickhouse.authentication", variables: [], defaultValue: "`.basic`",
        summary: "`Authorization: Basic` or `X-ClickHouse-User`/`-Key` headers"
    )
    package static let clickhouseAsyncInsert = SettingDescriptor(
        property: "backend.clickhouse.asyncInsert", variables: [.init("AUTOMAGIK_TELEMETRY_CLICKHOUSE_ASYNC_INSERT", .boolean)],
        defaultValue: "false", summary: "server-side insert buffering (waits for the flush)"
    )
    package static let samplingRatio = SettingDescriptor(
        property: "sampling.ratio",
        variables: [
            .init("OTEL_TRACES_SAMPLER", .choice(["always_on", "always_off", "traceidratio", "parentbased_*"])),
            .init("OTEL_TRACES_SAMPLER_ARG", .text),
        ],
        defaultValue: "1 (every event)", summary: "fraction of events kept (by trace id); errors are never sampled out"
    )
    package static let samplingEventRatios = SettingDescriptor(
        property: "sampling.eventRatios", variables: [], defaultValue: "none", summary: "ratios per event name"
    )
    package static let eventRateLimit = SettingDescriptor(
        property: "eventRateLimit", variables: [.init("AUTOMAGIK_TELEMETRY_EVENT_RATE_LIMIT", .text)],
        defaultValue: "none", summary: "events per second per name (`10/100`: 10 per second, bursts of 100); excess counted `rate_limited`"
    )
    package static let logsEnabled = SettingDescriptor(
        property: "logsEnabled", variables: [.init("AUTOMAGIK_TELEMETRY_LOGS_ENABLED", .boolean)],
        defaultValue: "false", summary: "send logs too (their own opt-in: they carry free text)"
    )
    package static let dryRun = SettingDescriptor(
        property: "dryRun", variables: [.init("AUTOMAGIK_TELEMETRY_DRY_RUN", .choice(["true", "console", "file:PATH"]))],
        defaultValue: "off", summary: "run the whole pipeline, write each request as OTLP/JSON instead of sending it"
    )
    package static let sessionTimeout = SettingDescriptor(
        property: "sessionTimeout", variables: [.init("AUTOMAGIK_TELEMETRY_SESSION_TIMEOUT", .seconds)],
        defaultValue: "30 min", summary: "inactivity that ends a session (a new `session.id`)"
    )
    package static let systemAttributesOnSpans = SettingDescriptor(
        property: "systemAttributesOnSpans", variables: [], defaultValue: "true",
        summary: "copy the original SDKs' `system.*` attributes onto every span"
    )
    package static let flushOnExit = SettingDescriptor(
        property: "flushOnExit", variables: [], defaultValue: "true for command-line tools and servers",
        summary: "at normal exit, send what fits the exit budget and keep the rest (bounded)"
    )
    package static let verbose = SettingDescriptor(
        property: "verbose",
        variables: [
            .init("AUTOMAGIK_TELEMETRY_VERBOSE", .boolean),
            .init("OTEL_LOG_LEVEL", .choice(["debug", "info", "warn", "error", "none"])),
        ],
        defaultValue: "false", summary: "print SDK diagnostics to standard error"
    )

    /// Every setting, in the README's order.
    package static let all: [SettingDescriptor] = [
        projectName, version, serviceName, enabled, backend, organization, deploymentEnvironment, resourceAttributes,
        otlpEndpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, encoding, headers, tlsFiles, proxy,
        batchSize, flushInterval, memoryBudget, queueCapacity, overflowPolicy,
        timeout, compression, compressionThreshold, maxRetries, retryBackoffBase, metricTemporality, signingKey, allowInsecureHTTP,
        privacyPolicy, privacySalt, spoolDirectory, spoolPersistence, spoolMaxBytes, samplingRatio, samplingEventRatios, eventRateLimit, logsEnabled,
        dryRun,
        sessionTimeout,
        clickhouseEndpoint, clickhouseDatabase, clickhouseTracesTable, clickhouseMetricsTable, clickhouseLogsTable,
        clickhouseUsername, clickhousePassword, clickhouseFlavor, clickhouseAuthentication, clickhouseAsyncInsert,
        systemAttributesOnSpans, flushOnExit, verbose,
    ]

    /// The README's configuration table: one row per setting.
    package static func markdownTable() -> String {
        var lines = ["| setting (code) | environment variables, first valid wins | default | what it does |", "|---|---|---|---|"]
        for setting in all {
            let property = setting.property.map { "`\($0)`" } ?? "—"
            let variables = collapsed(setting.variables).joined(separator: ", ")
            lines.append("| \(property) | \(variables.isEmpty ? "— (code only)" : variables) | \(setting.defaultValue) | \(setting.summary) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Variables as documented, with each per-signal triple written once as `…_{TRACES,METRICS,LOGS}_…`.
    private static func collapsed(_ variables: [EnvironmentVariable]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < variables.count {
            let variable = variables[index]
            if index + 2 < variables.count, variable.name.contains("TRACES"),
                variables[index + 1].name == variable.name.replacingOccurrences(of: "TRACES", with: "METRICS"),
                variables[index + 2].name == variable.name.replacingOccurrences(of: "TRACES", with: "LOGS")
            {
                let family = EnvironmentVariable(variable.name.replacingOccurrences(of: "TRACES", with: "{TRACES,METRICS,LOGS}"), variable.format)
                result.append(family.documented)
                index += 3
            } else {
                result.append(variable.documented)
                index += 1
            }
        }
        return result
    }
}
