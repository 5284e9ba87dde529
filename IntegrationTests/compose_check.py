#!/usr/bin/env python3
"""Validates docker-compose.yml and the collector configuration it mounts.

Checks: the expected services exist; every image is pinned to an explicit version (no `latest`, no
bare name); every published port binds to 127.0.0.1 only; every mounted local file exists; the
collector config receives OTLP over HTTP on 4318 and gRPC on 4317 and has traces, metrics and logs
pipelines whose receivers and exporters are all defined; metrics reach Prometheus (which takes only
cumulative temporality, the SDK's OTLP default) through the collector's prometheus exporter, scraped
by the prometheus service.
"""
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTED_SERVICES = {"otel-collector", "prometheus", "clickhouse", "grafana"}


def fail(message):
    print(f"docker-compose.yml: {message}")
    sys.exit(1)


def main():
    with open(os.path.join(ROOT, "docker-compose.yml"), encoding="utf-8") as handle:
        compose = yaml.safe_load(handle)
    services = compose.get("services") or {}
    missing = EXPECTED_SERVICES - set(services)
    if missing:
        fail(f"missing services {sorted(missing)}")
    for name, service in services.items():
        image = service.get("image", "")
        if not re.match(r"^[\w./-]+:v?\d+(\.\d+)+[\w.-]*$", image):
            fail(f"service {name}: image {image!r} is not pinned to a version")
        for port in service.get("ports", []):
            if not str(port).startswith("127.0.0.1:"):
                fail(f"service {name}: port {port!r} is not bound to 127.0.0.1")
        for volume in service.get("volumes", []):
            source = str(volume).split(":")[0]
            if source.startswith("./") and not os.path.exists(os.path.join(ROOT, source)):
                fail(f"service {name}: mounted file {source} does not exist")
    collector_mounts = [v for v in services["otel-collector"].get("volumes", []) if str(v).startswith("./")]
    if not collector_mounts:
        fail("the collector mounts no configuration")
    with open(os.path.join(ROOT, collector_mounts[0].split(":")[0]), encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    protocols = config["receivers"]["otlp"]["protocols"]
    if not protocols["http"]["endpoint"].endswith(":4318") or not protocols["grpc"]["endpoint"].endswith(":4317"):
        fail("collector must receive OTLP/HTTP on 4318 and gRPC on 4317")
    pipelines = config["service"]["pipelines"]
    for signal in ("traces", "metrics", "logs"):
        pipeline = pipelines.get(signal)
        if not pipeline:
            fail(f"collector has no {signal} pipeline")
        for receiver in pipeline["receivers"]:
            if receiver not in config["receivers"]:
                fail(f"{signal} pipeline uses undefined receiver {receiver}")
        for exporter in pipeline["exporters"]:
            if exporter not in config["exporters"]:
                fail(f"{signal} pipeline uses undefined exporter {exporter}")
    for signal in ("traces", "metrics", "logs"):
        if "clickhouse" not in pipelines[signal]["exporters"]:
            fail(f"the {signal} pipeline does not reach ClickHouse")
    house = config["exporters"]["clickhouse"]
    if not str(house.get("password", "")).startswith("${env:"):
        fail("the collector's ClickHouse password is not read from the environment")
    if not os.path.exists(os.path.join(ROOT, "IntegrationTests/docker/grafana/dashboards/collector.json")):
        fail("no dashboard shows the collector path")
    if "prometheus" not in pipelines["metrics"]["exporters"]:
        fail("the metrics pipeline does not export to Prometheus")
    port = config["exporters"]["prometheus"]["endpoint"].rsplit(":", 1)[1]
    with open(os.path.join(ROOT, "IntegrationTests/docker/prometheus.yml"), encoding="utf-8") as handle:
        scrape = yaml.safe_load(handle)
    targets = [t for job in scrape["scrape_configs"] for c in job["static_configs"] for t in c["targets"]]
    if f"otel-collector:{port}" not in targets:
        fail(f"prometheus does not scrape the collector's exporter on port {port}")
    # Secrets come from .env: every ${VAR} compose reads is documented in .env.example, and no
    # password is written into the file.
    with open(os.path.join(ROOT, "docker-compose.yml"), encoding="utf-8") as handle:
        raw = handle.read()
    with open(os.path.join(ROOT, ".env.example"), encoding="utf-8") as handle:
        documented = set(re.findall(r"^([A-Z_]+)=", handle.read(), re.M))
    used = set(re.findall(r"\$\{([A-Z_]+)", raw))
    if used - documented:
        fail(f"variables not documented in .env.example: {sorted(used - documented)}")
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if "PASSWORD" in key and not str(value).startswith("${"):
                fail(f"service {name}: {key} is hard-coded; read it from .env")
    dashboards = os.path.join(ROOT, "IntegrationTests/docker/grafana/dashboards")
    for dashboard in sorted(os.listdir(dashboards)):
        text = open(os.path.join(dashboards, dashboard), encoding="utf-8").read()
        if re.search(r"\btelemetry\.", text):
            fail(f"dashboard {dashboard} hard-codes the database; use ${{database}}")
        if '"name": "database"' not in text:
            fail(f"dashboard {dashboard} has no database variable")
    print(f"docker-compose.yml: {len(services)} services pinned and bound to loopback; collector config valid")


if __name__ == "__main__":
    main()
