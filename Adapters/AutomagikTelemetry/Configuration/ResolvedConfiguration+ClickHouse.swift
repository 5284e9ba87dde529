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

        // Database and table names reach every INSERT and the DDL of `schema apply`: only plain names
        // (letters, digits, `_`, `-`) are accepted, so quoting never has to carry an odd byte. The user
        // name travels in a header or a Basic credential: any printable text, no control characters.
        let plainName = (rule: "must be 1 to 200 ASCII letters, digits, '_' or '-'", test: Identifier.isPlainName)
        let userName = (
            rule: "must be 1 to 200 bytes without control characters",
            test: { (text: String) in
                (1...200).contains(text.utf8.count) && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
            }
        )
        func name(
            _ code: String?, _ setting: SettingDescriptor, _ fallback: String, _ check: (rule: String, test: (String) -> Bool)
        ) throws(ConfigurationError) -> String {
            if let code {
                guard check.test(code) else { throw ConfigurationError(setting: setting.name, problem: check.rule) }
                env.decide(setting, code, .code)
                return code
            }
            if let (text, variable) = env.text(setting) {
                if check.test(text) {
                    env.decide(setting, text, .environment(variable))
                    return text
                }
                env.reject(variable, "\(check.rule); using \(fallback)")
            }
            env.decide(setting, fallback, .standard)
            return fallback
        }
        let names = ClickHouseSchema.Names(
            database: try name(code.database, Catalog.clickhouseDatabase, "telemetry", plainName),
            traces: try name(code.tracesTable, Catalog.clickhouseTracesTable, "traces", plainName),
            metrics: try name(code.metricsTable, Catalog.clickhouseMetricsTable, "metrics", plainName),
            logs: try name(code.logsTable, Catalog.clickhouseLogsTable, "logs", plainName)
        )
        let username = try name(code.username, Catalog.clickhouseUsername, "default", userName)

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
