import AutomagikTelemetry
import TelemetryClickHouse
import TelemetryCore
import TelemetryHTTP

/// `schema print` shows the ClickHouse DDL; `schema apply` runs it against a server (idempotent);
/// `schema check` compares a server's tables with this SDK's schema; `schema migrate` adds what an
/// older version of the tables lacks.
enum SchemaCommand {
    static func run(_ arguments: [String], environment: [String: String], output: some CommandOutput) async throws -> Int32 {
        guard let action = arguments.first, ["print", "apply", "check", "migrate"].contains(action) else {
            throw UsageError("schema needs an action: print, apply, check or migrate")
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
            switch action {
            case "check":
                let check = try await exporter.checkSchema()
                output.print(check.description)
                return check.isCurrent ? 0 : 1
            case "migrate":
                let check = try await exporter.migrateSchema(cluster: cluster)
                output.print(check.description)
                return check.entries.allSatisfy { check.acceptsRows(into: $0.table) } ? 0 : 1
            default:
                let flavor = try await exporter.applySchema(cluster: cluster)
                output.error(
                    "schema applied (\(flavor.rawValue) flavour) to \(configuration.clickhouse.endpoint), database \(configuration.clickhouse.names.database)"
                )
                return 0
            }
        } catch {
            output.error("schema \(action) failed: \(SecretScrubber(configuration: configuration).scrub(String(describing: error)))")
            return 1
        }
    }
}
