import Foundation
import Testing
import TelemetryClickHouse

/// The schema file docker-compose mounts must be exactly what the SDK generates.
@Suite struct ShippedSchemaTests {
    @Test func dockerSchemaFileMatchesTheGenerator() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = try String(contentsOf: root.appendingPathComponent("IntegrationTests/docker/clickhouse/schema.sql"), encoding: .utf8)
        #expect(
            shipped == ClickHouseSchema().script + "\n",
            "regenerate with: swift run automagik-telemetry schema print > IntegrationTests/docker/clickhouse/schema.sql")
    }
}
