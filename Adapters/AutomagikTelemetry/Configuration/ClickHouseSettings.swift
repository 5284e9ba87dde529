import TelemetryClickHouse
import TelemetryCore

/// Settings of the direct ClickHouse backend. Unset (`nil`) values come from the environment, then
/// the defaults (the original SDKs').
public struct ClickHouseSettings: Sendable, Hashable {
    /// The HTTP interface's URL. Environment: `AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT`. Default:
    /// `http://localhost:8123`. Plain `http://` only to loopback unless
    /// `ExporterSettings.allowInsecureHTTP`.
    public var endpoint: String?
    /// Environment: `AUTOMAGIK_TELEMETRY_CLICKHOUSE_DATABASE`. Default: `telemetry`. 1–200 bytes.
    public var database: String?
    /// Table for events and errors. Environment: `AUTOMAGIK_TELEMETRY_CLICKHOUSE_TABLE`. Default: `traces`.
    public var tracesTable: String?
    /// Environment: `AUTOMAGIK_TELEMETRY_CLICKHOUSE_METRICS_TABLE`. Default: `metrics`.
    public var metricsTable: String?
    /// Environment: `AUTOMAGIK_TELEMETRY_CLICKHOUSE_LOGS_TABLE`. Default: `logs`.
    public var logsTable: String?
    /// Environment: `AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME`. Default: `default`.
    public var username: String?
    /// Environment: `AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD`. Default: empty. Never printed.
    public var password: String? {
        get { _password.value }
        set { _password = Secret(newValue) }
    }
    private var _password: Secret<String?>
    /// Which SQL dialect and column types to use. Environment: `AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR`
    /// (`automatic`, `modern`, `legacy`). Default: `.automatic` (asks the server its version).
    public var flavor: ClickHouseExporter.FlavorChoice?
    /// How the credentials travel. Code only. Default: `.basic`.
    public var authentication: ClickHouseExporter.Authentication
    /// Let the server buffer inserts (`async_insert=1`, waiting for the flush so nothing is
    /// acknowledged early). Environment: `AUTOMAGIK_TELEMETRY_CLICKHOUSE_ASYNC_INSERT`. Default: false.
    public var asyncInsert: Bool?

    /// Settings with every value unset, so the environment and then the defaults decide them.
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
        _password = Secret(password)
        self.flavor = flavor
        self.authentication = authentication
        self.asyncInsert = asyncInsert
    }
}

extension ClickHouseSettings: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting, with the password shown as `<redacted>` (or `""` / `nil` when not set).
    public var description: String { RedactedDescription.describe(self, secrets: ["password"]) }
    /// Same as `description`: safe to log.
    public var debugDescription: String { description }
}
