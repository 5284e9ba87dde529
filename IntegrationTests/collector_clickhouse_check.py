#!/usr/bin/env python3
"""The collector path into ClickHouse: what the SDK sent over OTLP to a collector (rotel) with a ClickHouse
exporter must land in the collector's otel_* tables with the right values, and every query of the
collector dashboard must return rows over them.

  collector_clickhouse_check.py ddl ENDPOINT            creates the otel_* tables (collector-schema.sql)
  collector_clickhouse_check.py check ENDPOINT SERVICE  waits for SERVICE's rows, checks values and the dashboard

ENDPOINT is a ClickHouse HTTP interface (the modern engine behind chdb_http.py).
"""
import json
import os
import re
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def query(endpoint, sql):
    request = urllib.request.Request(endpoint + "/", data=sql.encode())
    try:
        return urllib.request.urlopen(request, timeout=30).read().decode()
    except urllib.error.HTTPError as error:
        raise RuntimeError(error.read().decode()[:500]) from None


def rows(endpoint, sql):
    text = query(endpoint, sql + " FORMAT JSONEachRow")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def ddl(endpoint):
    script = open(os.path.join(HERE, "docker/clickhouse/collector-schema.sql"), encoding="utf-8").read()
    for statement in script.split(";"):
        statement = "\n".join(line for line in statement.splitlines() if not line.startswith("--")).strip()
        if statement:
            query(endpoint, statement)


def substitute(sql, service):
    sql = re.sub(r"\$__timeFilter\(([^)]+)\)", r"(\1 >= now() - INTERVAL 1 DAY AND \1 <= now() + INTERVAL 1 DAY)", sql)
    sql = re.sub(r"\$__timeInterval\(([^)]+)\)", r"toStartOfInterval(\1, INTERVAL 60 second)", sql)
    return sql.replace("${database}", "otel").replace("${service}", service)


def check(endpoint, service):
    failures = []
    where = f"ServiceName = '{service}'"
    expected = {"otel_traces": 2, "otel_logs": 1, "otel_metrics_sum": 1, "otel_metrics_histogram": 1, "otel_metrics_gauge": 1}
    deadline = time.time() + 60
    while time.time() < deadline:
        counts = {table: int(query(endpoint, f"SELECT count() FROM otel.{table} WHERE {where}").strip() or 0) for table in expected}
        if all(counts[table] >= wanted for table, wanted in expected.items()):
            break
        time.sleep(0.5)
    print(f"rows for {service}: {counts}")

    def expect(condition, message):
        if not condition:
            failures.append(message)

    spans = {r["SpanName"]: r for r in rows(endpoint, f"SELECT SpanName, SpanAttributes, StatusCode, Duration FROM otel.otel_traces WHERE {where}")}
    expect("collector.checkout" in spans and spans["collector.checkout"]["SpanAttributes"].get("region") == "eu",
           f"event with its attribute: {spans}")
    expect(any(s["SpanAttributes"].get("error_type") == "ImportError" for s in spans.values()), f"error span: {spans}")
    logs = rows(endpoint, f"SELECT Body, SeverityText, SeverityNumber FROM otel.otel_logs WHERE {where}")
    expect(logs and logs[0]["Body"] == "collector log line" and logs[0]["SeverityNumber"] == 13, f"log: {logs}")
    sums = rows(endpoint, f"SELECT MetricName, Value, AggregationTemporality, IsMonotonic FROM otel.otel_metrics_sum WHERE {where}")
    # Cumulative (2): what Prometheus accepts and the SDK's OTLP default.
    expect(sums and sums[0]["Value"] == 3 and sums[0]["AggregationTemporality"] == 2 and sums[0]["IsMonotonic"] in (1, True), f"sum: {sums}")
    histograms = rows(endpoint, f"SELECT Count, Sum, Min, Max FROM otel.otel_metrics_histogram WHERE {where}")
    expect(histograms and histograms[0]["Count"] == 1 and histograms[0]["Sum"] == 12, f"histogram: {histograms}")
    gauges = rows(endpoint, f"SELECT Value FROM otel.otel_metrics_gauge WHERE {where}")
    expect(gauges and gauges[0]["Value"] == 7.5, f"gauge: {gauges}")

    dashboard = json.load(open(os.path.join(HERE, "docker/grafana/dashboards/collector.json"), encoding="utf-8"))
    sources = [(v["name"], v["query"]) for v in dashboard["templating"]["list"] if v.get("type") == "query"]
    sources += [(p["title"], t["rawSql"]) for p in dashboard["panels"] for t in p["targets"]]
    for title, sql in sources:
        try:
            answer = rows(endpoint, substitute(sql, service))
            expect(answer, f"dashboard query '{title}' returned no rows")
        except RuntimeError as error:
            failures.append(f"dashboard query '{title}' failed: {error}")
    for failure in failures:
        print("FAILED:", failure)
    print(f"collector path: {len(sources)} dashboard queries, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1] == "ddl":
        ddl(sys.argv[2])
        sys.exit(0)
    sys.exit(check(sys.argv[2], sys.argv[3]))
