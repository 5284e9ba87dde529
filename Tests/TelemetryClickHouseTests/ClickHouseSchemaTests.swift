import Testing
@testable import TelemetryClickHouse

@Suite struct ClickHouseSchemaTests {
    @Test func modernSchemaHasMapsNanosecondsTTLAndDeduplication() {
        let script = ClickHouseSchema().script
        #expect(script.contains("CREATE DATABASE IF NOT EXISTS `telemetry`"))
        #expect(script.contains("CREATE TABLE IF NOT EXISTS `telemetry`.`traces`"))
        #expect(script.contains("Timestamp DateTime64(9, 'UTC')"))
        #expect(script.contains("Attributes Map(LowCardinality(String), String)"))
        #expect(script.contains("TTL toDateTime(Timestamp) + INTERVAL 90 DAY"))
        #expect(script.contains("TTL toDateTime(TimeUnix) + INTERVAL 90 DAY"))
        #expect(script.contains("TTL toDateTime(Timestamp) + INTERVAL 30 DAY"), "logs keep 30 days")
        #expect(script.contains("non_replicated_deduplication_window = 1000"))
        #expect(script.contains("PARTITION BY toYYYYMM(Timestamp)"))
        #expect(script.contains("CREATE MATERIALIZED VIEW IF NOT EXISTS `telemetry`.`traces_hourly_mv`"))
        #expect(script.contains("`telemetry`.`metrics_5m`"))
        #expect(script.contains("`telemetry`.`traces_errors_daily`"))
        #expect(!script.contains("ON CLUSTER"))
    }

    @Test func legacySchemaAvoidsWhatOldServersLack() {
        let script = ClickHouseSchema(flavor: .legacy).script
        for missing in ["DateTime64", "Map(", "LowCardinality", "CODEC", "TTL", "non_replicated"] {
            #expect(!script.contains(missing), "legacy schema uses \(missing)")
        }
        #expect(script.contains("TimestampNs UInt64"))
        #expect(script.contains("Attributes Nested(Key String, Value String)"))
    }

    @Test func everyStatementIsIdempotent() {
        for flavor in ClickHouseSchema.Flavor.allCases {
            let schema = ClickHouseSchema(flavor: flavor, cluster: flavor == .modern ? "main" : nil)
            for statement in schema.statements {
                // Recording the version again adds a row that the version table's ReplacingMergeTree folds away.
                if statement.hasPrefix("INSERT INTO `telemetry`.`automagik_schema`") { continue }
                #expect(statement.contains("IF NOT EXISTS"), "\(statement.prefix(60))")
            }
            #expect(schema.statements.contains { $0.contains("ReplacingMergeTree(Version)") || $0.contains("', Version)") })
            #expect(schema.statements.last == schema.recordVersionStatement(for: ClickHouseSchema.Table.allCases))
        }
    }

    @Test func namesAreAlwaysEscaped() {
        let names = ClickHouseSchema.Names(database: "tele`metry", traces: "tr;DROP TABLE x", metrics: "m\\x", logs: "l")
        let script = ClickHouseSchema(names: names).script
        #expect(script.contains("`tele\\`metry`.`tr;DROP TABLE x`"))
        #expect(script.contains("`m\\\\x`"))
        #expect(Identifier.literal("it's") == "'it\\'s'")
    }

    /// Review #22, finding 6: a backtick or quote followed by U+200D or a combining mark is one Swift
    /// `Character`, and escaping per `Character` left it unescaped; ClickHouse's lexer reads bytes.
    @Test(arguments: ["\u{200D}", "\u{301}", "\u{FE0F}", "\u{20E3}"])
    func escapingWorksOnBytesNotGraphemes(joiner: String) {
        let name = "x`" + joiner + " FROM system.users --"
        let quoted = Identifier.quote(name)
        #expect(quoted == "`x\\`" + joiner + " FROM system.users --`")
        #expect(Identifier.literal("x'" + joiner) == "'x\\'" + joiner + "'")
        // Every delimiter byte inside is preceded by a backslash.
        let inner = Array(quoted.utf8.dropFirst().dropLast())
        for (index, byte) in inner.enumerated() where byte == UInt8(ascii: "`") {
            #expect(index > 0 && inner[index - 1] == UInt8(ascii: "\\"))
        }
    }

    @Test func plainNamesAreLettersDigitsUnderscoresAndHyphens() {
        for name in ["telemetry", "traces_v2", "my-db", "_x", "A1", String(repeating: "a", count: 200)] {
            #expect(Identifier.isPlainName(name), "\(name)")
        }
        for name in ["", "a b", "tele`metry", "x'y", "t\u{200D}", "db.table", "é", "a\u{0}", String(repeating: "a", count: 201)] {
            #expect(!Identifier.isPlainName(name), "\(name)")
        }
    }

    @Test func clusterVariantReplicatesAndDistributes() {
        let statements = ClickHouseSchema(flavor: .modern, cluster: "analytics").statements
        let script = statements.joined(separator: "\n")
        #expect(script.contains("CREATE DATABASE IF NOT EXISTS `telemetry` ON CLUSTER `analytics`"))
        #expect(script.contains("`telemetry`.`traces_local` ON CLUSTER `analytics`"))
        #expect(script.contains("ReplicatedMergeTree('/clickhouse/tables/{shard}/telemetry/traces_local', '{replica}')"))
        // Rows are routed by their own hash, so a retried insert lands on the same shards in the same
        // blocks and is deduplicated there (rand() would scatter a retry and duplicate rows).
        #expect(script.contains("ENGINE = Distributed('analytics', 'telemetry', 'traces_local', cityHash64(SpanId))"))
        #expect(script.contains("ENGINE = Distributed('analytics', 'telemetry', 'metrics_local', cityHash64(SessionId))"))
        #expect(script.contains("ENGINE = Distributed('analytics', 'telemetry', 'logs_local', cityHash64(SessionId))"))
        #expect(script.contains("ENGINE = Distributed('analytics', 'telemetry', 'traces_hourly_local', rand())"), "rollups are only read")
        #expect(script.contains("ReplicatedAggregatingMergeTree"))
        #expect(script.contains("FROM `telemetry`.`traces_local`"), "rollups read the local tables")
    }
}
