CREATE DATABASE IF NOT EXISTS `telemetry`;

CREATE TABLE IF NOT EXISTS `telemetry`.`traces`
(
    Timestamp DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    TraceId String,
    SpanId String,
    ParentSpanId String,
    SpanName LowCardinality(String),
    SpanKind LowCardinality(String),
    DurationNs UInt64,
    StatusCode LowCardinality(String),
    StatusMessage String,
    ExceptionType String,
    ExceptionMessage String,
    ExceptionStacktrace String,
    Attributes Map(LowCardinality(String), String),
    ServiceName LowCardinality(String),
    ServiceVersion LowCardinality(String),
    ProjectName LowCardinality(String),
    ProjectVersion LowCardinality(String),
    Organization LowCardinality(String),
    Environment LowCardinality(String),
    UserId String,
    SessionId String,
    OsType LowCardinality(String),
    OsVersion LowCardinality(String),
    HostArch LowCardinality(String),
    RuntimeName LowCardinality(String),
    RuntimeVersion LowCardinality(String),
    SdkName LowCardinality(String),
    SdkVersion LowCardinality(String),
    ResourceAttributes Map(LowCardinality(String), String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(Timestamp)
ORDER BY (ServiceName, SpanName, Timestamp)
TTL toDateTime(Timestamp) + INTERVAL 90 DAY
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `telemetry`.`metrics`
(
    TimeUnix DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    StartTimeUnix DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    MetricName LowCardinality(String),
    MetricDescription String,
    MetricUnit LowCardinality(String),
    MetricType LowCardinality(String),
    Temporality LowCardinality(String),
    IsMonotonic UInt8,
    Value Float64,
    Count UInt64,
    Sum Float64,
    Min Float64,
    Max Float64,
    BucketCounts Array(UInt64),
    ExplicitBounds Array(Float64),
    Attributes Map(LowCardinality(String), String),
    ServiceName LowCardinality(String),
    ServiceVersion LowCardinality(String),
    ProjectName LowCardinality(String),
    ProjectVersion LowCardinality(String),
    Organization LowCardinality(String),
    Environment LowCardinality(String),
    UserId String,
    SessionId String,
    OsType LowCardinality(String),
    OsVersion LowCardinality(String),
    HostArch LowCardinality(String),
    RuntimeName LowCardinality(String),
    RuntimeVersion LowCardinality(String),
    SdkName LowCardinality(String),
    SdkVersion LowCardinality(String),
    ResourceAttributes Map(LowCardinality(String), String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(TimeUnix)
ORDER BY (ServiceName, MetricName, TimeUnix)
TTL toDateTime(TimeUnix) + INTERVAL 90 DAY
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `telemetry`.`logs`
(
    Timestamp DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    ObservedTimestamp DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    SeverityNumber UInt8,
    SeverityText LowCardinality(String),
    Body String,
    TraceId String,
    SpanId String,
    ExceptionType String,
    ExceptionMessage String,
    ExceptionStacktrace String,
    Attributes Map(LowCardinality(String), String),
    ServiceName LowCardinality(String),
    ServiceVersion LowCardinality(String),
    ProjectName LowCardinality(String),
    ProjectVersion LowCardinality(String),
    Organization LowCardinality(String),
    Environment LowCardinality(String),
    UserId String,
    SessionId String,
    OsType LowCardinality(String),
    OsVersion LowCardinality(String),
    HostArch LowCardinality(String),
    RuntimeName LowCardinality(String),
    RuntimeVersion LowCardinality(String),
    SdkName LowCardinality(String),
    SdkVersion LowCardinality(String),
    ResourceAttributes Map(LowCardinality(String), String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(Timestamp)
ORDER BY (ServiceName, SeverityNumber, Timestamp)
TTL toDateTime(Timestamp) + INTERVAL 30 DAY
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `telemetry`.`traces_hourly`
(
    Hour DateTime('UTC'),
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    Events UInt64,
    Errors UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(Hour)
ORDER BY (ServiceName, SpanName, Hour)
TTL Hour + INTERVAL 90 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS `telemetry`.`traces_hourly_mv` TO `telemetry`.`traces_hourly`
AS SELECT toStartOfHour(toDateTime(Timestamp, 'UTC')) AS Hour, ServiceName, SpanName, count() AS Events, countIf(StatusCode = 'ERROR') AS Errors
FROM `telemetry`.`traces`
GROUP BY Hour, ServiceName, SpanName;

CREATE TABLE IF NOT EXISTS `telemetry`.`metrics_5m`
(
    Bucket DateTime('UTC'),
    ServiceName LowCardinality(String),
    MetricName LowCardinality(String),
    MetricType LowCardinality(String),
    Points AggregateFunction(count),
    ValueSum AggregateFunction(sum, Float64),
    ValueMin AggregateFunction(min, Float64),
    ValueMax AggregateFunction(max, Float64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Bucket)
ORDER BY (ServiceName, MetricName, MetricType, Bucket)
TTL Bucket + INTERVAL 90 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS `telemetry`.`metrics_5m_mv` TO `telemetry`.`metrics_5m`
AS SELECT toStartOfFiveMinute(toDateTime(TimeUnix, 'UTC')) AS Bucket, ServiceName, MetricName, MetricType, countState() AS Points, sumState(Value) AS ValueSum, minState(Value) AS ValueMin, maxState(Value) AS ValueMax
FROM `telemetry`.`metrics`
GROUP BY Bucket, ServiceName, MetricName, MetricType;

CREATE TABLE IF NOT EXISTS `telemetry`.`traces_errors_daily`
(
    Day Date,
    ServiceName LowCardinality(String),
    ExceptionType String,
    Errors AggregateFunction(count),
    LastSeen AggregateFunction(max, DateTime('UTC')),
    SampleMessage AggregateFunction(any, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Day)
ORDER BY (ServiceName, ExceptionType, Day)
TTL Day + INTERVAL 90 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS `telemetry`.`traces_errors_daily_mv` TO `telemetry`.`traces_errors_daily`
AS SELECT toDate(toDateTime(Timestamp, 'UTC')) AS Day, ServiceName, ExceptionType, countState() AS Errors, maxState(toDateTime(toDateTime(Timestamp, 'UTC'), 'UTC')) AS LastSeen, anyState(ExceptionMessage) AS SampleMessage
FROM `telemetry`.`traces`
WHERE StatusCode = 'ERROR'
GROUP BY Day, ServiceName, ExceptionType;

CREATE TABLE IF NOT EXISTS `telemetry`.`automagik_schema`
(
    TableName String,
    Version UInt32,
    AppliedAt DateTime DEFAULT now()
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY TableName;

INSERT INTO `telemetry`.`automagik_schema` (TableName, Version) VALUES ('traces', 1), ('metrics', 1), ('logs', 1);

