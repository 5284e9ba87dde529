import AutomagikTelemetryTestKit
import Testing
import TelemetryCore
import TelemetryHTTP
@testable import TelemetryClickHouse

@Suite struct ClickHouseExporterSchemaTests {
    private let schema = ClickHouseSchema(flavor: .legacy)
    private let batch = ExportBatch(
        resource: TelemetryResource([("service.name", "t")]),
        payload: .logs([
            LogRecord(time: Timestamp(nanosecondsSinceEpoch: 1), severity: .info, body: "x")
        ]))

    private func exporter(_ server: LoopbackHTTPServer) -> ClickHouseExporter {
        ClickHouseExporter(configuration: .init(endpoint: server.url, flavor: .legacy), client: DefaultHTTPClient())
    }

    private func sql(_ server: LoopbackHTTPServer) -> [String] {
        server.requests.map { String(decoding: $0.body, as: UTF8.self) }
    }

    @Test func aForeignTableIsNeverWrittenIntoAndSaysWhy() async throws {
        var columns = Dictionary(
            uniqueKeysWithValues: ClickHouseSchema.Table.allCases.map {
                (schema.name(of: $0), schema.reportedColumnNames(of: $0))
            })
        columns["logs"] = ["timestamp", "level", "message", "service_name"]
        let server = try LoopbackHTTPServer(handler: answeringSchemaChecks(schema, columns: columns, versions: "") { _ in .respond(status: 200) })
        defer { server.stop() }
        let result = await exporter(server).export(batch)
        guard case .permanentFailure(let reason) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(reason.contains("telemetry.logs belongs to another schema"))
        #expect(!server.requests.contains { $0.path.contains("INSERT") }, "nothing inserted into a foreign table")
    }

    @Test func theFirstInsertChecksOnceAndACurrentSchemaIsNotCheckedAgain() async throws {
        let server = try LoopbackHTTPServer(handler: answeringSchemaChecks(schema) { _ in .respond(status: 200) })
        defer { server.stop() }
        let exporter = exporter(server)
        for _ in 0..<3 {
            guard case .success = await exporter.export(batch) else {
                Issue.record("insert failed")
                return
            }
        }
        #expect(sql(server).filter { $0 == schema.columnsQuery }.count == 1)
        #expect(server.requests.filter { $0.path.contains("INSERT") }.count == 3)
    }

    @Test func aTableLackingColumnsIsRefusedUntilMigrated() async throws {
        var columns = Dictionary(
            uniqueKeysWithValues: ClickHouseSchema.Table.allCases.map {
                (schema.name(of: $0), schema.reportedColumnNames(of: $0))
            })
        columns["logs"] = schema.reportedColumnNames(of: .logs).filter { $0 != "ExceptionType" }
        let server = try LoopbackHTTPServer(handler: answeringSchemaChecks(schema, columns: columns) { _ in .respond(status: 200) })
        defer { server.stop() }
        let exporter = exporter(server)
        guard case .permanentFailure(let reason) = await exporter.export(batch) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(reason.contains("lacks ExceptionType") && reason.contains("schema migrate"))
        _ = try await exporter.migrateSchema()
        let statements = sql(server)
        #expect(statements.contains("ALTER TABLE `telemetry`.`logs` ADD COLUMN ExceptionType String"))
        #expect(statements.contains { $0.hasPrefix("INSERT INTO `telemetry`.`automagik_schema` (TableName, Version) VALUES ('logs', 1)") })
        #expect(!statements.contains { $0.contains("ALTER TABLE `telemetry`.`traces`") }, "current tables are left alone")
    }

    @Test func applyRefusesToRunOverAForeignTable() async throws {
        let server = try LoopbackHTTPServer(
            handler: answeringSchemaChecks(
                schema, columns: ["traces": ["trace_id", "span_name"]], versions: ""
            ) { _ in .respond(status: 200) })
        defer { server.stop() }
        await #expect(throws: ClickHouseFailure.self) { try await exporter(server).applySchema() }
        #expect(!sql(server).contains { $0.hasPrefix("CREATE") || $0.hasPrefix("INSERT") }, "nothing created, no version recorded")
    }

    @Test func anUnreachableServerMakesTheCheckRetryable() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 503, body: Array("Code: 202. Too many simultaneous queries".utf8)) }
        defer { server.stop() }
        guard case .retryable = await exporter(server).export(batch) else {
            Issue.record("expected retryable")
            return
        }
    }

    @Test func aClusterMigrationAltersTheLocalAndTheDistributedTable() {
        let statements = ClickHouseExporter.addColumnStatements(
            schema: ClickHouseSchema(flavor: .modern, cluster: "c"), table: .traces, missing: ["StatusMessage"]
        )
        #expect(
            statements == [
                "ALTER TABLE `telemetry`.`traces_local` ON CLUSTER `c` ADD COLUMN StatusMessage String",
                "ALTER TABLE `telemetry`.`traces` ON CLUSTER `c` ADD COLUMN StatusMessage String",
            ])
    }
}
