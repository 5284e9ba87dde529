/// Schema versions: `schema apply` and `schema migrate` record, per table, the version of this SDK's
/// schema it holds, in a small table beside the data (`<database>.automagik_schema`). `schema check`
/// and the exporter read it back together with the columns the server reports, so a table of the same
/// name that belongs to someone else (the original Python or TypeScript SDKs', a collector's) is
/// recognised and never written into, and a table from an older version of this SDK is migrated by
/// adding the columns it lacks — additive changes only, so older SDKs keep inserting.
extension ClickHouseSchema {
    /// The version of the tables this SDK creates. Bump it with every column added, and add the column
    /// to the table's list: `migrate` adds whatever a recorded table lacks.
    public static let version = 1

    /// The table that records which version each table holds.
    package static let versionTable = "automagik_schema"

    /// The three data tables.
    package enum Table: String, Sendable, Hashable, CaseIterable {
        case traces, metrics, logs
    }

    /// The configured name of `table`.
    package func name(of table: Table) -> String {
        switch table {
        case .traces: names.traces
        case .metrics: names.metrics
        case .logs: names.logs
        }
    }

    /// `table`'s columns as `(name, definition)`, in order; the definition is what `ADD COLUMN` takes.
    package func columns(of table: Table) -> [(name: String, definition: String)] {
        let definitions =
            switch table {
            case .traces: traceColumns
            case .metrics: metricColumns
            case .logs: logColumns
            }
        return definitions.map { definition in
            (String(definition.prefix { $0 != " " }), definition)
        }
    }

    /// The column names the server reports for `table` (`system.columns`): a `Nested` column appears as
    /// its sub-columns (`Attributes.Key`, `Attributes.Value`).
    package func reportedColumnNames(of table: Table) -> [String] {
        columns(of: table).flatMap { name, definition -> [String] in
            guard definition.contains(" Nested(") else { return [name] }
            return ["\(name).Key", "\(name).Value"]
        }
    }

    /// Columns every table of this SDK has, whatever its version: their absence marks a foreign table.
    static let identityMarkers = ["ServiceName", "ProjectName", "SdkName"]

    /// Creates the version table and records `version` for the three tables. On a cluster the table is
    /// replicated to every node (one ZooKeeper path for all shards), so each node can answer a check.
    var versionStatements: [String] {
        let engine =
            cluster == nil
            ? "ReplacingMergeTree(Version)"
            : "ReplicatedReplacingMergeTree("
                + Identifier.literal("/clickhouse/tables/all/\(names.database)/\(Self.versionTable)") + ", '{replica}', Version)"
        return [
            "CREATE TABLE IF NOT EXISTS \(qualified(Self.versionTable))\(onCluster)\n(\n    TableName String,\n    Version UInt32,\n"
                + "    AppliedAt DateTime DEFAULT now()\n)\nENGINE = \(engine)\nORDER BY TableName",
            recordVersionStatement(for: Table.allCases),
        ]
    }

    /// Records that `tables` hold this SDK's current version.
    package func recordVersionStatement(for tables: [Table]) -> String {
        let rows = tables.map { "(\(Identifier.literal(name(of: $0))), \(Self.version))" }.joined(separator: ", ")
        return "INSERT INTO \(qualified(Self.versionTable)) (TableName, Version) VALUES \(rows)"
    }

    /// The query whose `TabSeparated` answer `ClickHouseSchemaCheck` reads: the columns of every table in
    /// the database.
    package var columnsQuery: String {
        "SELECT table, name FROM system.columns WHERE database = \(Identifier.literal(names.database)) FORMAT TabSeparated"
    }

    /// The query for the recorded versions (fails with code 60 while the version table does not exist).
    package var versionsQuery: String {
        "SELECT TableName, max(Version) FROM \(qualified(Self.versionTable)) GROUP BY TableName FORMAT TabSeparated"
    }
}
