/// What a server's tables are, compared with this SDK's schema: the answer of `schema check`, and what
/// the exporter consults before its first insert into each table.
package struct ClickHouseSchemaCheck: Sendable, Hashable, CustomStringConvertible {
    /// One table's state.
    package enum State: Sendable, Hashable {
        /// No table of that name: `schema apply` creates it.
        case missing
        /// This SDK's table with every column of the current version.
        case current
        /// This SDK's table lacking `missingColumns` (an older version), or with its version not yet
        /// recorded (`missingColumns` empty): `schema migrate` adds the columns and records the version.
        case needsMigration(missingColumns: [String])
        /// A table of the same name that is not this SDK's (no recorded version and none of its
        /// identity columns): never written into, never altered.
        case foreign(columns: [String])
    }

    /// One table and its state.
    package struct Entry: Sendable, Hashable {
        /// Which of the three tables.
        package var table: ClickHouseSchema.Table
        /// The table's configured name.
        package var name: String
        /// What the server holds under that name.
        package var state: State
    }

    /// The database the tables live in.
    package var database: String
    /// Traces, metrics and logs, in that order.
    package var entries: [Entry]

    /// Compares `schema` with what the server reported.
    /// - Parameters:
    ///   - columns: the `TabSeparated` answer of `schema.columnsQuery` (`table<TAB>column` per line).
    ///   - versions: the `TabSeparated` answer of `schema.versionsQuery` (`table<TAB>version` per line),
    ///     empty when the version table does not exist.
    package init(schema: ClickHouseSchema, columns: String, versions: String) {
        var byTable: [String: Set<String>] = [:]
        for (table, column) in Self.pairs(columns) { byTable[table, default: []].insert(column) }
        var recorded: [String: Int] = [:]
        for (table, version) in Self.pairs(versions) { recorded[table] = Int(version) }
        database = schema.names.database
        entries = ClickHouseSchema.Table.allCases.map { table in
            let name = schema.name(of: table)
            guard let present = byTable[name] else { return Entry(table: table, name: name, state: .missing) }
            let expected = schema.reportedColumnNames(of: table)
            let ours = recorded[name] != nil || ClickHouseSchema.identityMarkers.allSatisfy(present.contains)
            guard ours else { return Entry(table: table, name: name, state: .foreign(columns: present.sorted())) }
            let missing = expected.filter { !present.contains($0) }
            if missing.isEmpty, let version = recorded[name], version >= ClickHouseSchema.version {
                return Entry(table: table, name: name, state: .current)
            }
            return Entry(table: table, name: name, state: .needsMigration(missingColumns: missing))
        }
    }

    /// The state of `table`.
    package func state(of table: ClickHouseSchema.Table) -> State {
        entries.first { $0.table == table }?.state ?? .missing
    }

    /// Whether rows can be inserted into `table` as this SDK writes them: the table is current, or only
    /// its version is unrecorded (every column present).
    package func acceptsRows(into table: ClickHouseSchema.Table) -> Bool {
        switch state(of: table) {
        case .current: true
        case .needsMigration(let missing): missing.isEmpty
        case .missing, .foreign: false
        }
    }

    /// Why rows for `table` are not inserted, for diagnostics and the exporter's failure; nil when they are.
    package func problem(for table: ClickHouseSchema.Table) -> String? {
        guard !acceptsRows(into: table), let entry = entries.first(where: { $0.table == table }) else { return nil }
        let qualified = "\(database).\(entry.name)"
        switch entry.state {
        case .missing:
            return "table \(qualified) does not exist; create it with `automagik-telemetry schema apply`"
        case .foreign(let columns):
            return "table \(qualified) belongs to another schema (columns \(columns.prefix(6).joined(separator: ", "))"
                + "\(columns.count > 6 ? ", …" : "")); this SDK never writes into it: configure another table or database"
        case .needsMigration(let missing):
            return "table \(qualified) lacks \(missing.joined(separator: ", ")); add them with `automagik-telemetry schema migrate`"
        case .current:
            return nil
        }
    }

    /// Whether every table is current.
    package var isCurrent: Bool { entries.allSatisfy { $0.state == .current } }

    /// One line per table: `telemetry.traces: current`, `…: needs migration (adds X, Y)`, and so on.
    package var description: String {
        entries.map { entry in
            let state: String =
                switch entry.state {
                case .missing: "missing (schema apply creates it)"
                case .current: "current (version \(ClickHouseSchema.version))"
                case .needsMigration(let missing) where missing.isEmpty: "needs migration (records version \(ClickHouseSchema.version))"
                case .needsMigration(let missing): "needs migration (adds \(missing.joined(separator: ", ")))"
                case .foreign: "foreign: \(problem(for: entry.table) ?? "")"
                }
            return "\(database).\(entry.name): \(state)"
        }.joined(separator: "\n")
    }

    /// `TabSeparated` escapes backslash, tab and newline inside values.
    private static func unescaped(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var result = ""
        var escaping = false
        for character in field {
            if escaping {
                switch character {
                case "t": result.append("\t")
                case "n": result.append("\n")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func pairs(_ text: String) -> [(String, String)] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2 else { return nil }
            var value = Substring(fields[1])
            while value.last == " " || value.last == "\r" { value = value.dropLast() }
            return (unescaped(fields[0]), unescaped(value))
        }
    }
}
