import TelemetryClickHouse
import TelemetryCore

extension ResolvedConfiguration {
    /// The ClickHouse backend's settings, decided. The endpoint is checked (and read from the
    /// environment) only when ClickHouse is the chosen backend; the other values are always decided so
    /// `schema print` and `status` can show them.
    static func resolveClickHouse(
        _ code: ClickHouseSettings, isChosen: Bool, allowInsecureHTTP: Bool, _ env: EnvironmentValues
    ) throws(ConfigurationError) -> ClickHouseExporter.Configuration {
        typealias Catalog = SettingsCatalog
        let endpoint: String
        if let url = code.endpoint {
            try EndpointValidator.validate(url, setting: Catalog.clickhouseEndpoint.name, allowInsecureHTTP: allowInsecureHTTP)
            endpoint = url
            env.decide(Catalog.clickhouseEndpoint, url, .code)
        } else if isChosen,
            let (url, variable) = EndpointValidator.firstFromEnvironment(
                Catalog.clickhouseEndpoint.variables.map(\.name), env: env, grpc: false
            )
        {
            endpoint = url
            env.decide(Catalog.clickhouseEndpoint, url, .environment(variable))
        } else {
            endpoint = "http://localhost:8123"
            env.decide(Catalog.clickhouseEndpoint, endpoint, .standard)
        }

        var flavor = ClickHouseExporter.FlavorChoice.automatic
        var flavorSource = SettingSource.standard
        if let chosen = code.flavor {
            (flavor, flavorSource) = (chosen, .code)
        } else if let text = env.string("AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR") {
            if let parsed = ClickHouseExporter.FlavorChoice(rawValue: text.lowercased()) {
                (flavor, flavorSource) = (parsed, .environment("AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR"))
            } else {
                env.reject("AUTOMAGIK_TELEMETRY_CLICKHOUSE_FLAVOR", "expected automatic, modern or legacy, got \"\(text)\"; using automatic")
            }
        }
        env.decide(Catalog.clickhouseFlavor, flavor.rawValue, flavorSource)

        func name(_ code: String?, _ setting: SettingDescriptor, _ fallback: String) throws(ConfigurationError) -> String {
            let valid: (String) -> Bool = { !$0.isEmpty && $0.utf8.count <= 200 }
            if let code {
                guard valid(code) else { throw ConfigurationError(setting: setting.name, problem: "must be 1 to 200 bytes long") }
                env.decide(setting, code, .code)
                return code
            }
            if let (text, variable) = env.text(setting) {
                if valid(text) {
                    env.decide(setting, text, .environment(variable))
                    return text
                }
                env.reject(variable, "must be 1 to 200 bytes long; using \(fallback)")
            }
            env.decide(setting, fallback, .standard)
            return fallback
        }
        let names = ClickHouseSchema.Names(
            database: try name(code.database, Catalog.clickhouseDatabase, "telemetry"),
            traces: try name(code.tracesTable, Catalog.clickhouseTracesTable, "traces"),
            metrics: try name(code.metricsTable, Catalog.clickhouseMetricsTable, "metrics"),
            logs: try name(code.logsTable, Catalog.clickhouseLogsTable, "logs")
        )
        let username = try name(code.username, Catalog.clickhouseUsername, "default")

        let password: String
        if let value = code.password {
            password = value
            env.decide(Catalog.clickhousePassword, value.isEmpty ? "empty" : RedactedDescription.placeholder, .code)
        } else if let (value, variable) = env.text(Catalog.clickhousePassword) {
            password = value
            env.decide(Catalog.clickhousePassword, RedactedDescription.placeholder, .environment(variable))
        } else {
            password = ""
            env.decide(Catalog.clickhousePassword, "empty", .standard)
        }
        env.decide(Catalog.clickhouseAuthentication, code.authentication.rawValue, code.authentication == .basic ? .standard : .code)

        let asyncInsert = flag(code.asyncInsert, Catalog.clickhouseAsyncInsert, env, default: false)
        return ClickHouseExporter.Configuration(
            endpoint: endpoint, names: names, username: username, password: password, authentication: code.authentication,
            flavor: flavor, compressor: nil, compressionThreshold: 0, timeout: .seconds(10), asyncInsert: asyncInsert
        )
    }
}
