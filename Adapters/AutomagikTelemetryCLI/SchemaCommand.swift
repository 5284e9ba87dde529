import AutomagikTelemetry
import TelemetryClickHouse
import TelemetryCore
import TelemetryHTTP

/// `schema print` shows the ClickHouse DDL; `schema apply` runs it against a server (idempotent).
enum SchemaCommand {
    static func run(_ arguments: [String], environment: [String: String], output: some CommandOutput) async throws -> Int32 {
        guard let action = arguments.first, ["print", "apply"].contains(action) else {
            throw UsageError("schema needs an action: print or apply")
        }
        let parsed = try Arguments(
            Array(arguments.dropFirst()), allowedOptions: ["flavor", "cluster", "database", "endpoint", "username", "password"]
        )
        guard parsed.positionals.isEmpty else { throw UsageError("schema \(action) takes no positional arguments") }
        var settings = ClickHouseSettings(
            endpoint: parsed.options["endpoint"], database: parsed.options["database"], username: parsed.options["username"],
            password: parsed.options["password"]
        )
        if let flavor = parsed.options["flavor"] {
            guard let choice = ClickHouseExporter.FlavorChoice(rawValue: flavor) else {
                throw UsageError("unknown flavor \"\(flavor)\" (automatic, modern, legacy)")
            }
            settings.flavor = choice
        }
        let configuration = try ResolvedConfiguration(
            {
                var configuration = TelemetryConfiguration(projectName: "schema", version: SDKInfo.version)
                configuration.backend = .clickhouse(settings)
                return configuration
            }(),
            environment: DictionaryEnvironment(environment)
        )
        let cluster = parsed.options["cluster"]
        if action == "print" {
            let flavor: ClickHouseSchema.Flavor = configuration.clickhouse.flavor == .legacy ? .legacy : .modern
            output.print(ClickHouseSchema(names: configuration.clickhouse.names, flavor: flavor, cluster: cluster).script)
            return 0
        }
        let exporter = ClickHouseExporter(configuration: configuration.clickhouse, client: DefaultHTTPClient())
        do {
            let flavor = try await exporter.applySchema(cluster: cluster)
            output.error("schema applied (\(flavor.rawValue) flavour) to \(configuration.clickhouse.endpoint), database \(configuration.clickhouse.names.database)")
            return 0
        } catch {
            output.error("schema apply failed: \(SecretScrubber(configuration: configuration).scrub(String(describing: error)))")
            return 1
        }
    }
}
