import AutomagikTelemetry
import AutomagikTelemetryTestKit
import Foundation
import TelemetryClickHouse
@_spi(Internals) import TelemetryCore
import TelemetryHTTP
import TelemetryPipeline
import TelemetrySystem
import Testing

/// Schema versions against both ClickHouse engines run.sh starts (Debian's 18.16 server, legacy flavour,
/// and the modern engine behind chdb_http.py): a foreign table of the same name is recognised and never
/// written into; an older table of this SDK is migrated while a client runs.
@Suite(.enabled(if: IntegrationEnvironment.hasClickHouse, "needs the ClickHouse server started by IntegrationTests/run.sh"), .serialized)
struct ClickHouseSchemaVersionTests {
    private func exporter(_ endpoint: String, _ database: String) -> ClickHouseExporter {
        ClickHouseExporter(
            configuration: .init(
                endpoint: endpoint, names: .init(database: database), username: IntegrationEnvironment.clickhouseUser,
                password: IntegrationEnvironment.clickhousePassword),
            client: DefaultHTTPClient()
        )
    }

    private func client(_ endpoint: String, _ database: String, diagnostics: LockedBox<[String]>) throws -> AutomagikTelemetry {
        var configuration = TelemetryConfiguration(projectName: "shop", version: "2.1.0")
        configuration.enabled = true
        configuration.logsEnabled = true
        configuration.verbose = true
        configuration.backend = .clickhouse(
            ClickHouseSettings(
                endpoint: endpoint, database: database, username: IntegrationEnvironment.clickhouseUser,
                password: IntegrationEnvironment.clickhousePassword
            ))
        return try AutomagikTelemetry(
            configuration: configuration,
            dependencies: .inMemory(
                clock: SystemClock(), exporter: nil, httpClient: DefaultHTTPClient(),
                diagnosticsSink: { line in diagnostics.withLock { $0.append(line) } })
        )
    }

    private func count(_ exporter: ClickHouseExporter, _ table: String) async throws -> Int {
        let text = try await exporter.run("SELECT count() FROM \(Identifier.quote(exporter.configuration.names.database)).\(Identifier.quote(table))")
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The original SDKs' `traces` table (their column names, not this SDK's) already in the database.
    @Test(arguments: IntegrationEnvironment.clickhouseEndpoints)
    func aForeignTracesTableIsNeverWrittenInto(endpoint: String) async throws {
        let database = ClickHouseServerTests.uniqueDatabase("foreign")
        let house = exporter(endpoint, database)
        try await house.run("CREATE DATABASE \(Identifier.quote(database))")
        try await house.run(
            "CREATE TABLE \(Identifier.quote(database)).traces (timestamp DateTime, trace_id String, span_id String, "
                + "service_name String, span_name String, attributes String) ENGINE = MergeTree() ORDER BY timestamp"
        )
        let check = try await house.checkSchema()
        guard case .foreign = check.state(of: .traces) else {
            Issue.record("\(check)")
            return
        }
        #expect(check.state(of: .logs) == .missing)
        await #expect(throws: ClickHouseFailure.self) { try await house.applySchema() }
        #expect(try await house.checkSchema().state(of: .logs) == .missing, "apply created nothing beside a foreign table")

        let diagnostics = LockedBox<[String]>([])
        let telemetry = try client(endpoint, database, diagnostics: diagnostics)
        telemetry.trackEvent("checkout.completed")
        let report = await telemetry.shutdown(deadline: .seconds(20))
        #expect(report.stats.dropped[.rejectedByReceiver] == 1, "\(report.stats.dropped)")
        #expect(report.stats.retries == 0)
        #expect(try await count(house, "traces") == 0, "nothing written into the foreign table")
        let printed = diagnostics.withLock { $0 }.joined(separator: "\n")
        #expect(printed.contains("belongs to another schema"), "\(printed)")
        #expect(!printed.contains(IntegrationEnvironment.clickhousePassword))
    }

    /// A `logs` table from an older version (a column missing, no version recorded) is refused, then
    /// migrated in place while the client runs, and rows land without a restart.
    @Test(arguments: IntegrationEnvironment.clickhouseEndpoints)
    func anOlderTableIsMigratedAndThenReceivesRows(endpoint: String) async throws {
        let database = ClickHouseServerTests.uniqueDatabase("migrate")
        let house = exporter(endpoint, database)
        try await house.applySchema()
        #expect(try await house.checkSchema().isCurrent)
        try await house.run("ALTER TABLE \(Identifier.quote(database)).logs DROP COLUMN ExceptionStacktrace")
        guard case .needsMigration(let missing) = try await house.checkSchema().state(of: .logs) else {
            Issue.record("not detected")
            return
        }
        #expect(missing == ["ExceptionStacktrace"])

        let diagnostics = LockedBox<[String]>([])
        let telemetry = try client(endpoint, database, diagnostics: diagnostics)
        telemetry.trackLog("before the migration", severity: .warn)
        _ = await telemetry.flush()
        #expect(telemetry.stats.dropped[.rejectedByReceiver] == 1)

        let migrated = try await house.migrateSchema()
        #expect(migrated.isCurrent, "\(migrated)")
        telemetry.trackLog("after the migration", severity: .warn)
        let report = await telemetry.shutdown(deadline: .seconds(20))
        #expect(report.stats.exported == 1, "\(report.stats)")
        let rows = try await house.run("SELECT Body FROM \(Identifier.quote(database)).logs FORMAT TabSeparated")
        #expect(rows.trimmingCharacters(in: .whitespacesAndNewlines) == "after the migration")
        #expect(try await house.migrateSchema().isCurrent, "migrating twice is harmless")
    }
}
