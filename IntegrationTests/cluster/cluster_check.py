#!/usr/bin/env python3
"""`make integration-cluster`, part 1: the SDK against a real 2-shard x 2-replica ClickHouse cluster
(ZooKeeper plus four Debian ClickHouse 18.16 servers on 127.0.0.1, see cluster.py).

    cluster_check.py CLI PROBE

For each scenario the schema is applied with `automagik-telemetry schema apply --cluster automagik`
into its own database, and one SDK process (the probe's `steady` mode, default settings, ClickHouse
backend pointed at node 1, i.e. at the `Distributed` tables) tracks 1,000 events/s, a counter per
event and a log line every tenth event, while a fault is injected:

- none;
- node 4 (a replica of shard 2) SIGKILLed at 10 s and restarted at 15 s;
- shard 2 (nodes 3 and 4) SIGKILLed at 10 s, restarted at 40 s;
- ZooKeeper SIGKILLed at 10 s, restarted at 20 s (replicated tables turn read-only meanwhile).

Then, with every process back: every event, log line and counter increment is stored exactly once
across the shards (count = distinct seq = tracked), both replicas of each shard hold the same rows,
the rollups (hourly events, 5-minute metrics) agree with the base tables on every shard, and the SDK
dropped nothing. Finally every Grafana dashboard query that Debian's 18.16 can run returns the same
answer on the cluster as on a single server holding the same rows. Prints one JSON object per
scenario and `N passed, M failed`; exits non-zero on a failure.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import CLUSTER, PASSWORD, USER, Cluster, free_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RATE = 1000
PASSED, FAILED = [], []


def check(condition, label):
    (PASSED if condition else FAILED).append(label)
    print(("PASS " if condition else "FAIL ") + label, flush=True)
    return condition


def apply_schema(cli, cluster, database, node=1):
    env = dict(os.environ, AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT=cluster.url(node),
               AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME=USER, AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD=PASSWORD)
    subprocess.run([cli, "schema", "apply", "--cluster", CLUSTER, "--database", database], env=env, check=True,
                   stdout=subprocess.DEVNULL, timeout=300)


def seq_of(column="Attributes"):
    return f"`{column}.Value`[indexOf(`{column}.Key`, 'seq')]"


def counts(cluster, database, node=1):
    """What the Distributed tables hold, read through `node`."""
    q = lambda sql: cluster.query(node, sql).strip()
    events, distinct = q(f"SELECT count(), uniqExact({seq_of()}) FROM {database}.traces").split("\t")
    logs, distinct_logs = q(f"SELECT count(), uniqExact({seq_of()}) FROM {database}.logs").split("\t")
    increments = q(f"SELECT sum(Value) FROM {database}.metrics WHERE MetricName = 'steady.events'")
    hourly = q(f"SELECT sum(Events) FROM {database}.traces_hourly")
    five_minute = q(f"SELECT sumMerge(ValueSum) FROM {database}.metrics_5m WHERE MetricName = 'steady.events'")
    return {
        "events": int(events), "distinct_events": int(distinct), "logs": int(logs), "distinct_logs": int(distinct_logs),
        "counter_sum": float(increments or 0), "hourly_rollup": int(hourly or 0), "five_minute_rollup": float(five_minute or 0),
    }


def per_replica(cluster, database):
    rows = {}
    for number in cluster.nodes:
        rows[number] = tuple(
            cluster.scalar(number, f"SELECT count() FROM {database}.{table}_local")
            for table in ("traces", "logs", "metrics"))
        rows[number] += (cluster.scalar(number, f"SELECT sum(Events) FROM {database}.traces_hourly_local"),)
    return rows


def converge(cluster, database, expected, timeout=240):
    """Waits until node 1 sees every event, log line and increment, and both replicas of each shard
    agree: rows a `Distributed` table queued for a shard that was down arrive when its sender retries."""
    deadline = time.time() + timeout
    started = time.time()
    while time.time() < deadline:
        try:
            seen = counts(cluster, database)
            replicas = per_replica(cluster, database)
            if (seen["events"] >= expected and seen["logs"] >= (expected + 9) // 10 and seen["counter_sum"] >= expected
                    and replicas[1] == replicas[2] and replicas[3] == replicas[4]):
                return time.time() - started
        except Exception:
            pass
        time.sleep(1)
    return None


def scenario(cli, probe, cluster, work, name, seconds, faults):
    database = f"cluster_{name}"
    apply_schema(cli, cluster, database)
    home = os.path.join(work, f"home-{name}")
    os.makedirs(home, exist_ok=True)
    started = time.time()
    driver = subprocess.Popen(
        [probe, "steady", cluster.url(1), str(RATE), str(seconds), "clickhouse", database],
        env={"PATH": os.environ["PATH"], "HOME": home}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for at, action in faults:
        delay = started + at - time.time()
        if delay > 0:
            time.sleep(delay)
        action()
    output, _ = driver.communicate(timeout=seconds + 240)
    report = json.loads(output.strip().splitlines()[-1])
    tracked = report["tracked"]
    waited = converge(cluster, database, tracked)
    seen = counts(cluster, database)
    replicas = per_replica(cluster, database)
    result = {"scenario": name, "sdk": report, "stored": seen, "replicas": {str(k): v for k, v in replicas.items()},
              "converged_after_s": None if waited is None else round(waited, 1)}
    print(json.dumps(result, sort_keys=True), flush=True)
    logs_expected = (tracked + 9) // 10
    check(report["dropped"] == 0, f"{name}: the SDK dropped nothing ({report['failed_attempts']} failed attempts retried)")
    check(seen["events"] == tracked and seen["distinct_events"] == tracked,
          f"{name}: {seen['events']} events stored, {seen['distinct_events']} distinct, of {tracked}: exactly once")
    check(seen["logs"] == logs_expected and seen["distinct_logs"] == logs_expected,
          f"{name}: {seen['logs']} log lines of {logs_expected}, exactly once")
    check(seen["counter_sum"] == tracked, f"{name}: counter increments sum to {seen['counter_sum']:.0f} of {tracked}")
    check(replicas[1] == replicas[2] and replicas[3] == replicas[4] and replicas[1][0] > 0 and replicas[3][0] > 0,
          f"{name}: replicas converged ({replicas[1]} = {replicas[2]}, {replicas[3]} = {replicas[4]}), both shards used")
    check(seen["hourly_rollup"] == tracked and seen["five_minute_rollup"] == tracked
          and all(r[3] == r[0] for r in replicas.values()),
          f"{name}: rollups agree with the base tables on every shard and replica")
    return result


def dashboard_queries():
    sources = []
    for path in sorted(glob.glob(os.path.join(ROOT, "IntegrationTests/docker/grafana/dashboards/*.json"))):
        if os.path.basename(path) == "collector.json":
            continue  # the collector's own tables, not this SDK's
        dashboard = json.load(open(path))
        sources += [(os.path.basename(path), v["query"]) for v in dashboard.get("templating", {}).get("list", [])
                    if v.get("type") == "query"]
        sources += [(os.path.basename(path) + ": " + p.get("title", ""), t["rawSql"])
                    for p in dashboard["panels"] for t in p.get("targets", []) if "rawSql" in t]
    return sources


def grafana_macros(sql, database):
    sql = re.sub(r"\$__timeFilter\(([^)]+)\)", r"(\1 >= now() - INTERVAL 30 DAY AND \1 <= now() + INTERVAL 1 DAY)", sql)
    sql = re.sub(r"\$__timeInterval\(([^)]+)\)", r"toStartOfInterval(\1, INTERVAL 60 second)", sql)
    sql = sql.replace("$__fromTime", "(now() - INTERVAL 30 DAY)").replace("$__toTime", "now()")
    return sql.replace("${service}", "%").replace("${database}", database)


def compare_dashboards(cli, cluster, work, database):
    """Copies the base rows of `database` into a single 18.16 server (whose views build its rollups from
    them), then runs every dashboard query on both and compares the sorted answers."""
    single = Cluster(os.path.join(work, "single"))
    single.nodes = {1: dict(single.nodes[1], shard="01", replica="single")}
    single.zk_port = cluster.zk_port
    single._write_config(1)
    single.restart(1)
    try:
        env = dict(os.environ, AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT=single.url(1),
                   AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME=USER, AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD=PASSWORD)
        subprocess.run([cli, "schema", "apply", "--database", database], env=env, check=True, stdout=subprocess.DEVNULL)
        source = f"127.0.0.1:{cluster.nodes[1]['tcp']}"
        for table in ("traces", "metrics", "logs"):
            single.query(1, f"INSERT INTO {database}.{table} SELECT * FROM remote('{source}', {database}, {table}, 'default', '')")
        ran, same, different, unsupported = 0, 0, [], []
        for title, sql in dashboard_queries():
            text = grafana_macros(sql, database)
            try:
                expected = sorted(single.query(1, text + " FORMAT TSV").splitlines())
            except Exception:
                unsupported.append(title)  # written for the modern flavour (Map, DateTime64): not on 18.16
                continue
            ran += 1
            try:
                got = sorted(cluster.query(1, text + " FORMAT TSV").splitlines())
            except Exception as error:
                got = [f"error: {getattr(error, 'read', lambda: b'')().decode()[:300]}"]
            if got == expected:
                same += 1
            else:
                different.append(f"{title}: {got[:2]} vs {expected[:2]}")
        print(json.dumps({"dashboards": {"queries_run": ran, "same_answer": same, "different": different,
                                         "not_runnable_on_18_16": len(unsupported)}}), flush=True)
        check(ran > 0 and same == ran,
              f"dashboards: {same} of {ran} queries runnable on 18.16 answer the same on the cluster as on one server")
    finally:
        single.kill(1)


def main():
    cli, probe = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="automagik-cluster-")
    cluster = Cluster(work)
    started = time.time()
    only = set(filter(None, os.environ.get("CLUSTER_SCENARIOS", "").split(",")))  # for iterating on one
    wanted = lambda name: not only or name in only
    try:
        cluster.start()
        print(f"cluster up: ZooKeeper :{cluster.zk_port}, nodes " +
              ", ".join(f"{n} (shard {d['shard']}) :{d['http']}" for n, d in cluster.nodes.items()), flush=True)
        if wanted("steady") or wanted("dashboards"):
            scenario(cli, probe, cluster, work, "steady", 20, [])
        if wanted("replica_killed"):
            scenario(cli, probe, cluster, work, "replica_killed", 30, [
                (10, lambda: cluster.kill(4)), (15, lambda: cluster.restart(4, wait=False))])
        if wanted("shard_down"):
            scenario(cli, probe, cluster, work, "shard_down", 60, [
                (10, lambda: (cluster.kill(3), cluster.kill(4))),
                (40, lambda: (cluster.restart(3, wait=False), cluster.restart(4, wait=False)))])
        if wanted("zookeeper_down"):
            scenario(cli, probe, cluster, work, "zookeeper_down", 30, [
                (10, cluster.stop_zookeeper), (20, cluster.start_zookeeper)])
        if wanted("dashboards"):
            compare_dashboards(cli, cluster, work, "cluster_steady")
    except Exception as error:  # a harness failure is a failed check with its cause, not a bare traceback
        check(False, f"cluster suite stopped: {type(error).__name__}: {error}")
    finally:
        cluster.stop()
    print(f"cluster suite: {time.time() - started:.0f} s; {len(PASSED)} passed, {len(FAILED)} failed", flush=True)
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
