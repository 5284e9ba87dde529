@_spi(Internals) import TelemetryCore

extension ClickHouseExporter {
    /// Compares the server's tables with this SDK's schema (`schema check`): which tables are missing,
    /// current, in need of a migration, or someone else's.
    package func checkSchema() async throws(ClickHouseFailure) -> ClickHouseSchemaCheck {
        let schema = try await currentSchema(cluster: nil)
        let columns = try await run(schema.columnsQuery)
        let versions: String
        do {
            versions = try await run(schema.versionsQuery)
        } catch  where error.code == 60 || error.code == 81 {
            versions = ""  // no version table (or database) yet: nothing recorded
        }
        return ClickHouseSchemaCheck(schema: schema, columns: columns, versions: versions)
    }

    /// Brings this SDK's tables to the current version (`schema migrate`): adds the columns a table
    /// lacks (additive only, so older SDKs keep inserting) and records the version. Missing tables are
    /// left to `applySchema`. Throws, changing nothing, when a table of the same name is foreign.
    @discardableResult
    package func migrateSchema(cluster: String? = nil) async throws(ClickHouseFailure) -> ClickHouseSchemaCheck {
        let schema = try await currentSchema(cluster: cluster)
        let before = try await checkSchema()
        try refuseForeignTables(before)
        var migrated: [ClickHouseSchema.Table] = []
        for entry in before.entries {
            guard case .needsMigration(let missing) = entry.state else { continue }
            for statement in Self.addColumnStatements(schema: schema, table: entry.table, missing: missing) {
                try await run(statement)
            }
            migrated.append(entry.table)
        }
        if !migrated.isEmpty {
            for statement in schema.versionStatements.dropLast() { try await run(statement) }
            try await run(schema.recordVersionStatement(for: migrated))
        }
        let after = try await checkSchema()
        verifiedSchema.withLock { $0 = after }
        return after
    }

    /// Creates the schema (idempotent) after migrating what needs it. Returns the flavour used. Throws,
    /// creating nothing, when a table of the same name belongs to another schema: `CREATE TABLE IF NOT
    /// EXISTS` would pass silently and every insert would then fail.
    @discardableResult
    package func applySchema(cluster: String? = nil) async throws(ClickHouseFailure) -> ClickHouseSchema.Flavor {
        let schema = try await currentSchema(cluster: cluster)
        let before = try await checkSchema()
        try refuseForeignTables(before)
        for entry in before.entries {
            guard case .needsMigration(let missing) = entry.state else { continue }
            for statement in Self.addColumnStatements(schema: schema, table: entry.table, missing: missing) {
                try await run(statement)
            }
        }
        for statement in schema.statements { try await run(statement) }
        verifiedSchema.withLock { $0 = nil }
        return schema.flavor
    }

    /// Nil when rows for `signal` may be inserted; otherwise the failure to report instead of inserting.
    /// The first insert into each table checks the schema; a table that cannot take rows is checked
    /// again on the next batch (a `schema migrate` meanwhile makes it usable without a restart).
    func schemaRefusal(for signal: TelemetrySignal) async -> ExportResult? {
        let table: ClickHouseSchema.Table =
            switch signal {
            case .traces: .traces
            case .metrics: .metrics
            case .logs: .logs
            }
        if let known = verifiedSchema.withLock({ $0 }), known.acceptsRows(into: table) { return nil }
        let check: ClickHouseSchemaCheck
        do {
            check = try await checkSchema()
        } catch {
            // Unreachable or overloaded: retry later. A permanent failure of the check itself (e.g. a user
            // without access to system tables) must not block inserts: the insert will say what is wrong.
            return error.isPermanent ? nil : error.exportResult
        }
        verifiedSchema.withLock { $0 = check }
        return check.problem(for: table).map { .permanentFailure(reason: $0) }
    }

    private func currentSchema(cluster: String?) async throws(ClickHouseFailure) -> ClickHouseSchema {
        switch await resolveFlavor() {
        case .success(let flavor): return ClickHouseSchema(names: configuration.names, flavor: flavor, cluster: cluster)
        case .failure(let failure): throw failure
        }
    }

    private func refuseForeignTables(_ check: ClickHouseSchemaCheck) throws(ClickHouseFailure) {
        for entry in check.entries {
            guard case .foreign = entry.state, let problem = check.problem(for: entry.table) else { continue }
            throw ClickHouseFailure(code: nil, status: nil, message: problem, isPermanent: true)
        }
    }

    /// `ALTER TABLE … ADD COLUMN` for each column of `table` whose reported names include a missing one;
    /// on a cluster, for the replicated local table and the `Distributed` table in front of it.
    static func addColumnStatements(schema: ClickHouseSchema, table: ClickHouseSchema.Table, missing: [String]) -> [String] {
        let absent = Set(missing)
        let definitions = schema.columns(of: table).filter { name, definition in
            definition.contains(" Nested(") ? absent.contains("\(name).Key") || absent.contains("\(name).Value") : absent.contains(name)
        }.map(\.definition)
        let name = schema.name(of: table)
        let targets = schema.cluster == nil ? [name] : [name + "_local", name]
        return targets.flatMap { target in
            definitions.map { "ALTER TABLE \(schema.qualified(target))\(schema.onCluster) ADD COLUMN \($0)" }
        }
    }
}
