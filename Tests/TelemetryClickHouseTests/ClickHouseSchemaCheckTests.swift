import Testing
import TelemetryClickHouse

@Suite struct ClickHouseSchemaCheckTests {
    private let schema = ClickHouseSchema(flavor: .legacy)

    private func columns(_ tables: [String: [String]]) -> String {
        tables.flatMap { table, names in names.map { "\(table)\t\($0)" } }.joined(separator: "\n")
    }

    private var ours: [String: [String]] {
        Dictionary(uniqueKeysWithValues: ClickHouseSchema.Table.allCases.map { (schema.name(of: $0), schema.reportedColumnNames(of: $0)) })
    }

    private let recorded = "traces\t1\nmetrics\t1\nlogs\t1\n"

    @Test func currentTablesWithTheirVersionRecorded() {
        let check = ClickHouseSchemaCheck(schema: schema, columns: columns(ours), versions: recorded)
        #expect(check.isCurrent)
        #expect(ClickHouseSchema.Table.allCases.allSatisfy { check.acceptsRows(into: $0) && check.problem(for: $0) == nil })
        #expect(check.description.contains("telemetry.traces: current (version 1)"))
    }

    @Test func missingTablesAreReportedAndTakeNoRows() {
        let check = ClickHouseSchemaCheck(schema: schema, columns: "", versions: "")
        #expect(check.entries.map(\.state) == [.missing, .missing, .missing])
        #expect(check.problem(for: .logs)?.contains("schema apply") == true)
    }

    /// The original Python and TypeScript SDKs' tables share the names `traces`, `metrics` and `logs`.
    @Test func aTableOfTheSameNameFromAnotherSchemaIsForeign() {
        var tables = ours
        tables["traces"] = ["timestamp", "trace_id", "span_id", "service_name", "span_name", "attributes"]
        let check = ClickHouseSchemaCheck(schema: schema, columns: columns(tables), versions: "")
        guard case .foreign(let found) = check.state(of: .traces) else {
            Issue.record("\(check)")
            return
        }
        #expect(found.contains("trace_id"))
        #expect(!check.acceptsRows(into: .traces))
        #expect(check.problem(for: .traces)?.contains("never writes into it") == true)
        #expect(check.acceptsRows(into: .metrics), "unrecorded but complete tables of this SDK still take rows")
    }

    @Test func anOlderTableOfThisSDKNeedsTheColumnsItLacks() {
        var tables = ours
        tables["logs"] = ours["logs"]!.filter { $0 != "ExceptionStacktrace" && !$0.hasPrefix("ResourceAttributes.") }
        let check = ClickHouseSchemaCheck(schema: schema, columns: columns(tables), versions: recorded)
        #expect(
            check.state(of: .logs) == .needsMigration(missingColumns: ["ExceptionStacktrace", "ResourceAttributes.Key", "ResourceAttributes.Value"]))
        #expect(!check.acceptsRows(into: .logs))
        #expect(check.problem(for: .logs)?.contains("schema migrate") == true)
    }

    @Test func aCompleteTableWithoutARecordedVersionOnlyNeedsItsVersionRecorded() {
        let check = ClickHouseSchemaCheck(schema: schema, columns: columns(ours), versions: "")
        #expect(check.entries.map(\.state) == Array(repeating: .needsMigration(missingColumns: []), count: 3))
        #expect(ClickHouseSchema.Table.allCases.allSatisfy(check.acceptsRows(into:)))
        #expect(!check.isCurrent)
    }

    @Test func escapedNamesInTheServersAnswerAreRead() {
        let odd = ClickHouseSchema(names: .init(logs: "my\tlogs"), flavor: .modern)
        let answer = odd.reportedColumnNames(of: .logs).map { "my\\tlogs\t\($0)" }.joined(separator: "\n")
        let check = ClickHouseSchemaCheck(schema: odd, columns: answer, versions: "my\\tlogs\t1\n")
        #expect(check.state(of: .logs) == .current)
    }

    @Test func nestedColumnsAreReportedAsTheirSubColumns() {
        let legacy = schema.reportedColumnNames(of: .traces)
        #expect(legacy.contains("Attributes.Key") && legacy.contains("Attributes.Value") && !legacy.contains("Attributes"))
        #expect(ClickHouseSchema(flavor: .modern).reportedColumnNames(of: .traces).contains("Attributes"))
    }
}
