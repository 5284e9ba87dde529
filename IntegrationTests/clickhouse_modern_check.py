#!/usr/bin/env python3
"""Proves the modern schema and row encoding on a modern ClickHouse engine (chdb, ClickHouse 26.x).

Creates the tables from the shipped DDL, inserts the exact bytes the SDK would send, reads them back
and compares values (checks.json), then runs every query of every Grafana dashboard so a dashboard
can never ship with broken SQL.

Usage: clickhouse_modern_check.py ARTIFACT_DIR DASHBOARD_DIR
"""
import glob
import json
import os
import re
import sys
import tempfile

from chdb import session

SETTINGS = "date_time_input_format='basic', input_format_skip_unknown_fields=0"


def substitute_macros(sql):
    sql = re.sub(r"\$__timeFilter\(([^)]+)\)", r"(\1 >= now() - INTERVAL 30 DAY AND \1 <= now() + INTERVAL 1 DAY)", sql)
    sql = re.sub(r"\$__timeInterval\(([^)]+)\)", r"toStartOfInterval(\1, INTERVAL 60 second)", sql)
    sql = sql.replace("$__fromTime", "(now() - INTERVAL 30 DAY)").replace("$__toTime", "now()")
    return sql.replace("${service}", "%").replace("${database}", "telemetry")


def main(artifacts, dashboards):
    failures = 0
    with tempfile.TemporaryDirectory() as path:
        s = session.Session(path)
        schema = open(os.path.join(artifacts, "schema.sql"), encoding="utf-8").read()
        for statement in [part.strip() for part in schema.split(";\n") if part.strip()]:
            s.query(statement)
        for table in ("traces", "metrics", "logs"):
            rows = open(os.path.join(artifacts, f"{table}.jsonl"), encoding="utf-8").read()
            if rows.strip():
                s.query(f"INSERT INTO telemetry.{table} SETTINGS {SETTINGS} FORMAT JSONEachRow\n{rows}")
        for check in json.load(open(os.path.join(artifacts, "checks.json"), encoding="utf-8")):
            result = json.loads(str(s.query(check["sql"], "JSONCompact")))["data"]
            got = [[str(value) if not isinstance(value, str) else value for value in row] for row in result]
            if got != check["expected"]:
                failures += 1
                print(f"MISMATCH {check['sql']}\n  expected {check['expected']}\n  got      {got}")
        checks = len(json.load(open(os.path.join(artifacts, "checks.json"), encoding="utf-8")))
        print(f"modern ClickHouse: {checks - failures}/{checks} read-back checks match")

        queries, non_empty = 0, 0
        for dashboard_path in sorted(glob.glob(os.path.join(dashboards, "*.json"))):
            dashboard = json.load(open(dashboard_path, encoding="utf-8"))
            variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
            if variables.get("database", {}).get("query", "telemetry") != "telemetry":
                continue  # a dashboard over the collector's tables: collector_clickhouse_check.py runs it
            sources = [v["query"] for v in dashboard.get("templating", {}).get("list", []) if v.get("type") == "query"]
            sources += [t["rawSql"] for p in dashboard["panels"] for t in p.get("targets", [])]
            for sql in sources:
                queries += 1
                try:
                    rows = json.loads(str(s.query(substitute_macros(sql), "JSONCompact")))["data"]
                    non_empty += 1 if rows else 0
                except Exception as error:  # noqa: BLE001
                    failures += 1
                    print(f"DASHBOARD QUERY FAILED in {os.path.basename(dashboard_path)}: {sql}\n  {error}")
        print(f"dashboards: {queries} queries ran, {non_empty} returned rows")
        if non_empty < queries // 2:
            failures += 1
            print("too few dashboard queries returned data")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
