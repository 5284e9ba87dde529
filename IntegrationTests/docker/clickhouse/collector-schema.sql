-- The tables a collector's ClickHouse exporter writes (the layout of the OpenTelemetry Collector
-- contrib exporter, which rotel's exporter shares): the collector path of the stack, beside the SDK's
-- own direct-insert tables. The contrib collector in docker-compose.yml creates these itself
-- (create_schema), the integration suite creates them for rotel, which does not. Database: otel.
CREATE DATABASE IF NOT EXISTS otel;

CREATE TABLE IF NOT EXISTS otel.otel_traces
(
    Timestamp DateTime64(9), TraceId String, SpanId String, ParentSpanId String, TraceState String,
    SpanName LowCardinality(String), SpanKind LowCardinality(String), ServiceName LowCardinality(String),
    ResourceAttributes Map(LowCardinality(String), String), ScopeName String, ScopeVersion String,
    SpanAttributes Map(LowCardinality(String), String), Duration UInt64, StatusCode LowCardinality(String),
    StatusMessage String,
    Events Nested(Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)),
    Links Nested(TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String))
)
ENGINE = MergeTree PARTITION BY toDate(Timestamp) ORDER BY (ServiceName, SpanName, Timestamp);

CREATE TABLE IF NOT EXISTS otel.otel_logs
(
    Timestamp DateTime64(9), TimestampTime DateTime DEFAULT toDateTime(Timestamp), TraceId String, SpanId String,
    TraceFlags UInt8, SeverityText LowCardinality(String), SeverityNumber UInt8, ServiceName LowCardinality(String),
    Body String, ResourceSchemaUrl LowCardinality(String), ResourceAttributes Map(LowCardinality(String), String),
    ScopeSchemaUrl LowCardinality(String), ScopeName String, ScopeVersion LowCardinality(String),
    ScopeAttributes Map(LowCardinality(String), String), LogAttributes Map(LowCardinality(String), String)
)
ENGINE = MergeTree PARTITION BY toDate(TimestampTime) ORDER BY (ServiceName, TimestampTime, Timestamp);

CREATE TABLE IF NOT EXISTS otel.otel_metrics_sum
(
    ResourceAttributes Map(LowCardinality(String), String), ResourceSchemaUrl String, ScopeName String, ScopeVersion String,
    ScopeAttributes Map(LowCardinality(String), String), ScopeDroppedAttrCount UInt32, ScopeSchemaUrl String,
    ServiceName LowCardinality(String), MetricName String, MetricDescription String, MetricUnit String,
    Attributes Map(LowCardinality(String), String), StartTimeUnix DateTime64(9), TimeUnix DateTime64(9), Value Float64,
    Flags UInt32,
    Exemplars Nested(FilteredAttributes Map(LowCardinality(String), String), TimeUnix DateTime64(9), Value Float64, SpanId String, TraceId String),
    AggregationTemporality Int32, IsMonotonic Boolean
)
ENGINE = MergeTree PARTITION BY toDate(TimeUnix) ORDER BY (ServiceName, MetricName, toUnixTimestamp64Nano(TimeUnix));

CREATE TABLE IF NOT EXISTS otel.otel_metrics_gauge
(
    ResourceAttributes Map(LowCardinality(String), String), ResourceSchemaUrl String, ScopeName String, ScopeVersion String,
    ScopeAttributes Map(LowCardinality(String), String), ScopeDroppedAttrCount UInt32, ScopeSchemaUrl String,
    ServiceName LowCardinality(String), MetricName String, MetricDescription String, MetricUnit String,
    Attributes Map(LowCardinality(String), String), StartTimeUnix DateTime64(9), TimeUnix DateTime64(9), Value Float64,
    Flags UInt32,
    Exemplars Nested(FilteredAttributes Map(LowCardinality(String), String), TimeUnix DateTime64(9), Value Float64, SpanId String, TraceId String)
)
ENGINE = MergeTree PARTITION BY toDate(TimeUnix) ORDER BY (ServiceName, MetricName, toUnixTimestamp64Nano(TimeUnix));

CREATE TABLE IF NOT EXISTS otel.otel_metrics_histogram
(
    ResourceAttributes Map(LowCardinality(String), String), ResourceSchemaUrl String, ScopeName String, ScopeVersion String,
    ScopeAttributes Map(LowCardinality(String), String), ScopeDroppedAttrCount UInt32, ScopeSchemaUrl String,
    ServiceName LowCardinality(String), MetricName String, MetricDescription String, MetricUnit String,
    Attributes Map(LowCardinality(String), String), StartTimeUnix DateTime64(9), TimeUnix DateTime64(9), Count UInt64,
    Sum Float64, BucketCounts Array(UInt64), ExplicitBounds Array(Float64),
    Exemplars Nested(FilteredAttributes Map(LowCardinality(String), String), TimeUnix DateTime64(9), Value Float64, SpanId String, TraceId String),
    Flags UInt32, Min Float64, Max Float64, AggregationTemporality Int32
)
ENGINE = MergeTree PARTITION BY toDate(TimeUnix) ORDER BY (ServiceName, MetricName, toUnixTimestamp64Nano(TimeUnix));
