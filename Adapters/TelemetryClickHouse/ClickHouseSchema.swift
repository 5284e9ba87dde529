/// The SDK's ClickHouse schema: tables for traces (events and errors), metrics and logs, plus rollups,
/// as DDL that `schema print` shows and `schema apply` runs. Every statement is idempotent
/// (`IF NOT EXISTS`), and every database and table name is escaped.
///
/// Two flavours, because ClickHouse before 21.8 has no usable `Map` and Debian still ships 18.16:
/// - `.modern`: `DateTime64(9)` timestamps, `Map(LowCardinality(String), String)` attributes,
///   `LowCardinality` strings, ZSTD codecs, TTL (events and metrics 90 days, logs 30 days), insert
///   deduplication (`non_replicated_deduplication_window`).
/// - `.legacy`: `DateTime` plus a `UInt64` nanosecond column, `Nested(Key, Value)` attributes, plain
///   `String`, no TTL (18.16 has none: drop old monthly partitions with `ALTER TABLE … DROP PARTITION`).
///
/// Layout choices: monthly partitions (`toYYYYMM`), ordering keys that serve the dashboards' filters
/// (service, then name, then time), and readable enums (`SpanKind = 'INTERNAL'`, `StatusCode = 'ERROR'`).
public struct ClickHouseSchema: Sendable, Hashable {
    /// Which SQL dialect to emit.
    public enum Flavor: String, Sendable, Hashable, CaseIterable {
        case modern
        case legacy
    }

    /// Names of everything the schema creates.
    public struct Names: Sendable, Hashable {
        /// The database (created if missing).
        public var database: String
        /// The table for events and errors.
        public var traces: String
        /// The table for metric points.
        public var metrics: String
        /// The table for log records.
        public var logs: String

        /// Creates names; defaults are the original SDKs' (`telemetry`, `traces`, `metrics`, `logs`).
        public init(database: String = "telemetry", traces: String = "traces", metrics: String = "metrics", logs: String = "logs") {
            self.database = database
            self.traces = traces
            self.metrics = metrics
            self.logs = logs
        }
    }

    /// Every name the schema creates.
    public var names: Names
    /// The SQL dialect emitted.
    public var flavor: Flavor
    /// With a cluster name, statements run `ON CLUSTER`, tables use `Replicated*MergeTree` engines, and
    /// every table becomes a `Distributed` table (keeping the configured name) over a replicated local
    /// table named `<name>_local`, so inserts and queries keep using the configured names.
    public var cluster: String?

    /// Creates a schema description.
    public init(names: Names = Names(), flavor: Flavor = .modern, cluster: String? = nil) {
        self.names = names
        self.flavor = flavor
        self.cluster = cluster
    }

    /// Retention from the privacy guarantees.
    package static let eventRetentionDays = 90
    /// Metric points are kept this many days (modern flavour's TTL).
    package static let metricRetentionDays = 90
    /// Log records are kept this many days (modern flavour's TTL).
    package static let logRetentionDays = 30

    /// How the `Distributed` tables of a cluster spread rows over shards: by a hash of the row itself,
    /// never `rand()`. A retried insert (the SDK retries whenever it did not see a success, including
    /// when a shard took its part and another failed) then sends every row to the shard it went to the
    /// first time, in the same blocks, and the replicated tables drop those blocks as duplicates: rows
    /// land exactly once. Spans spread evenly by their random span id.
    package static let tracesShardingKey = "cityHash64(SpanId)"
    /// Metrics and logs: one installation's session stays on one shard (its series are summed there);
    /// a fleet's sessions spread evenly.
    package static let sessionShardingKey = "cityHash64(SessionId)"

    /// Every statement, in the order they must run.
    public var statements: [String] {
        var result = ["CREATE DATABASE IF NOT EXISTS \(Identifier.quote(names.database))\(onCluster)"]
        result += table(
            names.traces, columns: traceColumns, orderBy: "(ServiceName, SpanName, Timestamp)",
            time: "Timestamp", retention: Self.eventRetentionDays, shardingKey: Self.tracesShardingKey)
        result += table(
            names.metrics, columns: metricColumns, orderBy: "(ServiceName, MetricName, TimeUnix)",
            time: "TimeUnix", retention: Self.metricRetentionDays, shardingKey: Self.sessionShardingKey)
        result += table(
            names.logs, columns: logColumns, orderBy: "(ServiceName, SeverityNumber, Timestamp)",
            time: "Timestamp", retention: Self.logRetentionDays, shardingKey: Self.sessionShardingKey)
        result += rollups
        result += versionStatements
        return result
    }

    /// The whole schema as one script (statements separated by `;` and blank lines).
    public var script: String { statements.map { $0 + ";" }.joined(separator: "\n\n") + "\n" }

    // MARK: Columns

    private var time64: String { flavor == .modern ? "DateTime64(9, 'UTC')" : "DateTime('UTC')" }
    private var label: String { flavor == .modern ? "LowCardinality(String)" : "String" }
    private var attributeMap: String {
        flavor == .modern ? "Map(LowCardinality(String), String)" : "Nested(Key String, Value String)"
    }

    private func timeColumns(_ name: String) -> [String] {
        flavor == .modern ? ["\(name) \(time64) CODEC(Delta, ZSTD(1))"] : ["\(name) \(time64)", "\(name)Ns UInt64"]
    }

    /// Identity and resource columns shared by all three tables.
    private var identityColumns: [String] {
        [
            "ServiceName \(label)", "ServiceVersion \(label)", "ProjectName \(label)", "ProjectVersion \(label)",
            "Organization \(label)", "Environment \(label)", "UserId String", "SessionId String", "OsType \(label)",
            "OsVersion \(label)", "HostArch \(label)", "RuntimeName \(label)", "RuntimeVersion \(label)",
            "SdkName \(label)", "SdkVersion \(label)", "ResourceAttributes \(attributeMap)",
        ]
    }

    var traceColumns: [String] {
        timeColumns("Timestamp") + [
            "TraceId String", "SpanId String", "ParentSpanId String", "SpanName \(label)", "SpanKind \(label)",
            "DurationNs UInt64", "StatusCode \(label)", "StatusMessage String", "ExceptionType String",
            "ExceptionMessage String", "ExceptionStacktrace String", "Attributes \(attributeMap)",
        ] + identityColumns
    }

    var metricColumns: [String] {
        timeColumns("TimeUnix") + timeColumns("StartTimeUnix") + [
            "MetricName \(label)", "MetricDescription String", "MetricUnit \(label)", "MetricType \(label)",
            "Temporality \(label)", "IsMonotonic UInt8", "Value Float64", "Count UInt64", "Sum Float64", "Min Float64",
            "Max Float64", "BucketCounts Array(UInt64)", "ExplicitBounds Array(Float64)", "Attributes \(attributeMap)",
        ] + identityColumns
    }

    var logColumns: [String] {
        timeColumns("Timestamp") + timeColumns("ObservedTimestamp") + [
            "SeverityNumber UInt8", "SeverityText \(label)", "Body String", "TraceId String", "SpanId String",
            "ExceptionType String", "ExceptionMessage String", "ExceptionStacktrace String", "Attributes \(attributeMap)",
        ] + identityColumns
    }

    // MARK: Tables

    var onCluster: String { cluster.map { " ON CLUSTER \(Identifier.quote($0))" } ?? "" }

    func qualified(_ table: String) -> String {
        "\(Identifier.quote(names.database)).\(Identifier.quote(table))"
    }

    private func engine(_ kind: String, table: String) -> String {
        guard cluster != nil else { return "\(kind)MergeTree" }
        let path = Identifier.literal("/clickhouse/tables/{shard}/\(names.database)/\(table)")
        return "Replicated\(kind)MergeTree(\(path), '{replica}')"
    }

    private func table(_ name: String, columns: [String], orderBy: String, time: String, retention: Int, shardingKey: String) -> [String] {
        var settings = ""
        if flavor == .modern {
            settings =
                "\nTTL toDateTime(\(time)) + INTERVAL \(retention) DAY"
                + "\nSETTINGS index_granularity = 8192" + (cluster == nil ? ", non_replicated_deduplication_window = 1000" : "")
        }
        return create(
            name, body: columns, engineKind: "", partition: "toYYYYMM(\(time))", orderBy: orderBy, tail: settings, shardingKey: shardingKey)
    }

    /// `CREATE TABLE` for `name`, or, on a cluster, a replicated `<name>_local` plus a `Distributed` `name`.
    /// Rollups keep `rand()`: their views write to the local tables, the `Distributed` ones only read.
    private func create(
        _ name: String, body: [String], engineKind: String, partition: String, orderBy: String, tail: String,
        shardingKey: String = "rand()"
    ) -> [String] {
        let local = localName(name)
        var result = [
            "CREATE TABLE IF NOT EXISTS \(qualified(local))\(onCluster)\n(\n    " + body.joined(separator: ",\n    ")
                + "\n)\nENGINE = \(engine(engineKind, table: local))\nPARTITION BY \(partition)\nORDER BY \(orderBy)" + tail
        ]
        if let cluster {
            result.append(
                "CREATE TABLE IF NOT EXISTS \(qualified(name))\(onCluster) AS \(qualified(local))\n"
                    + "ENGINE = Distributed(\(Identifier.literal(cluster)), \(Identifier.literal(names.database)), "
                    + "\(Identifier.literal(local)), \(shardingKey))"
            )
        }
        return result
    }

    private func localName(_ name: String) -> String { cluster == nil ? name : name + "_local" }

    // MARK: Rollups (the seed's dashboards: hourly events, 5-minute metrics, error summary)

    /// Names of the rollup tables, derived from the base tables.
    package var hourlyEventsTable: String { names.traces + "_hourly" }
    /// The 5-minute metric rollup (`<metrics>_5m`).
    package var fiveMinuteMetricsTable: String { names.metrics + "_5m" }
    /// The daily error summary (`<traces>_errors_daily`).
    package var errorSummaryTable: String { names.traces + "_errors_daily" }

    private var rollups: [String] {
        // Views read the local tables, so on a cluster each shard rolls up what it stores.
        let source = qualified(localName(names.traces))
        let metricsSource = qualified(localName(names.metrics))
        let dayTTL = { (column: String, days: Int) in self.flavor == .modern ? "\nTTL \(column) + INTERVAL \(days) DAY" : "" }
        var result: [String] = []
        result += create(
            hourlyEventsTable,
            body: ["Hour DateTime('UTC')", "ServiceName \(label)", "SpanName \(label)", "Events UInt64", "Errors UInt64"],
            engineKind: "Summing", partition: "toYYYYMM(Hour)", orderBy: "(ServiceName, SpanName, Hour)",
            tail: dayTTL("Hour", Self.eventRetentionDays)
        )
        result.append(
            "CREATE MATERIALIZED VIEW IF NOT EXISTS \(qualified(hourlyEventsTable + "_mv"))\(onCluster) "
                + "TO \(qualified(localName(hourlyEventsTable)))\nAS SELECT toStartOfHour(\(timeExpression("Timestamp"))) AS Hour, "
                + "ServiceName, SpanName, count() AS Events, countIf(StatusCode = 'ERROR') AS Errors\nFROM \(source)\n"
                + "GROUP BY Hour, ServiceName, SpanName"
        )
        result += create(
            fiveMinuteMetricsTable,
            body: [
                "Bucket DateTime('UTC')", "ServiceName \(label)", "MetricName \(label)", "MetricType \(label)",
                "Points AggregateFunction(count)", "ValueSum AggregateFunction(sum, Float64)",
                "ValueMin AggregateFunction(min, Float64)", "ValueMax AggregateFunction(max, Float64)",
            ],
            engineKind: "Aggregating", partition: "toYYYYMM(Bucket)", orderBy: "(ServiceName, MetricName, MetricType, Bucket)",
            tail: dayTTL("Bucket", Self.metricRetentionDays)
        )
        result.append(
            "CREATE MATERIALIZED VIEW IF NOT EXISTS \(qualified(fiveMinuteMetricsTable + "_mv"))\(onCluster) "
                + "TO \(qualified(localName(fiveMinuteMetricsTable)))\nAS SELECT toStartOfFiveMinute(\(timeExpression("TimeUnix"))) AS Bucket, "
                + "ServiceName, MetricName, MetricType, countState() AS Points, sumState(Value) AS ValueSum, "
                + "minState(Value) AS ValueMin, maxState(Value) AS ValueMax\nFROM \(metricsSource)\n"
                + "GROUP BY Bucket, ServiceName, MetricName, MetricType"
        )
        result += create(
            errorSummaryTable,
            body: [
                "Day Date", "ServiceName \(label)", "ExceptionType String", "Errors AggregateFunction(count)",
                "LastSeen AggregateFunction(max, DateTime('UTC'))", "SampleMessage AggregateFunction(any, String)",
            ],
            engineKind: "Aggregating", partition: "toYYYYMM(Day)", orderBy: "(ServiceName, ExceptionType, Day)",
            tail: dayTTL("Day", Self.eventRetentionDays)
        )
        result.append(
            "CREATE MATERIALIZED VIEW IF NOT EXISTS \(qualified(errorSummaryTable + "_mv"))\(onCluster) "
                + "TO \(qualified(localName(errorSummaryTable)))\nAS SELECT toDate(\(timeExpression("Timestamp"))) AS Day, ServiceName, "
                + "ExceptionType, countState() AS Errors, maxState(toDateTime(\(timeExpression("Timestamp")), 'UTC')) AS LastSeen, "
                + "anyState(ExceptionMessage) AS SampleMessage\nFROM \(source)\nWHERE StatusCode = 'ERROR'\n"
                + "GROUP BY Day, ServiceName, ExceptionType"
        )
        return result
    }

    /// A `DateTime` expression for a time column (the legacy flavour's column is already `DateTime`).
    private func timeExpression(_ column: String) -> String {
        flavor == .modern ? "toDateTime(\(column), 'UTC')" : column
    }
}

/// Quoting for ClickHouse identifiers and string literals. Names come from configuration, so they are
/// always quoted and escaped, never spliced raw.
///
/// Escaping works on bytes, as ClickHouse's lexer does: a backtick or quote followed by a combining mark
/// or U+200D is one `Character` in Swift, and an escape applied per `Character` let it through unescaped
/// (security review, issue #22). The configuration also admits only plain names (`isPlainName`).
package enum Identifier {
    /// `` `name` `` with backslashes and backticks escaped.
    package static func quote(_ name: String) -> String { escaped(name, delimiter: UInt8(ascii: "`")) }

    /// `'text'` with backslashes and quotes escaped.
    package static func literal(_ text: String) -> String { escaped(text, delimiter: UInt8(ascii: "'")) }

    /// Whether `name` is 1–200 ASCII letters, digits, `_` or `-`: what the configuration accepts for a
    /// database, table or user name, so no name needs escaping in the first place.
    package static func isPlainName(_ name: String) -> Bool {
        let bytes = name.utf8
        return (1...200).contains(bytes.count)
            && bytes.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }

    private static func escaped(_ text: String, delimiter: UInt8) -> String {
        var bytes: [UInt8] = [delimiter]
        bytes.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\\") || byte == delimiter { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        bytes.append(delimiter)
        return String(decoding: bytes, as: UTF8.self)
    }
}
