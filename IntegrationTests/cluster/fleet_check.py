#!/usr/bin/env python3
"""`make integration-cluster`, part 2: a fleet of SDK processes against one receiver.

    fleet_check.py PROBE PYTHON_WITH_OTLP_PROTO [CLUSTER_SCENARIOS filter in the environment]

Each fleet member is a separate process (the probe's `steady` mode: default settings, 200 events/s,
each event numbered from the member's own base) — 50 of them, started together, for 60 s:

- `fleet_collector`: into the counting OTLP receiver (otlp_sink.py, official definitions): every event
  of every member received exactly once; aggregate events/s.
- `fleet_refusal`: the same, with the receiver answering 503 to everything for 30 s from 15 s on, then
  429 with `Retry-After: 10` for 30 s in a second run: requests per second while refusing (no retry storm:
  each member's breaker allows one probe per cool-down, jittered), how the members' retries spread, and
  still every event exactly once afterwards.
- `fleet_clickhouse`: the ClickHouse backend into one Debian 18.16 server: every row stored once.

Prints one JSON object per scenario and `N passed, M failed`.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import PASSWORD, USER, Cluster, free_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# FLEET_MEMBERS / FLEET_RATE / FLEET_SECONDS change the shape for measurements (e.g. one member at the
# fleet's whole rate, to compare with the fleet); the suite uses the defaults.
MEMBERS = int(os.environ.get("FLEET_MEMBERS", "50"))
RATE = int(os.environ.get("FLEET_RATE", "200"))
SECONDS = int(os.environ.get("FLEET_SECONDS", "60"))
PASSED, FAILED = [], []


def check(condition, label):
    (PASSED if condition else FAILED).append(label)
    print(("PASS " if condition else "FAIL ") + label, flush=True)
    return condition


def http(url, data=None):
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def run_fleet(probe, work, name, endpoint, extra=(), during=None):
    """Starts MEMBERS probes at once; `during(started)` runs meanwhile. Returns their reports."""
    members = []
    for index in range(MEMBERS):
        home = os.path.join(work, f"{name}-home-{index}")
        os.makedirs(home, exist_ok=True)
        env = {"PATH": os.environ["PATH"], "HOME": home, "PROBE_SEQ_BASE": str(index * 10_000_000)}
        members.append(subprocess.Popen([probe, "steady", endpoint, str(RATE), str(SECONDS), *extra], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True))
    started = time.time()
    if during:
        during(started)
    reports = []
    for member in members:
        output, _ = member.communicate(timeout=SECONDS + 300)
        reports.append(json.loads(output.strip().splitlines()[-1]))
    return reports, time.time() - started


def expected_seqs(reports):
    expected = set()
    for index, report in enumerate(reports):
        expected.update(range(index * 10_000_000, index * 10_000_000 + report["tracked"]))
    return expected


def start_sink(python, port, record):
    sink = subprocess.Popen([python, os.path.join(ROOT, "IntegrationTests/otlp_sink.py"), str(port), "--record", record],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            http(f"http://127.0.0.1:{port}/count")
            return sink
        except Exception:
            time.sleep(0.1)
    raise RuntimeError("sink did not start")


def fleet_to_collector(probe, python, work, name, refusals=()):
    port = free_port()
    record = os.path.join(work, f"{name}.seq")
    sink = start_sink(python, port, record)
    windows = []

    def during(started):
        for at, seconds, status, retry_after in refusals:
            time.sleep(max(0, started + at - time.time()))
            query = f"seconds={seconds}&status={status}" + (f"&retry_after={retry_after}" if retry_after else "")
            http(f"http://127.0.0.1:{port}/refuse?{query}", b"")
            time.sleep(seconds)
            windows.append({"status": status, "retry_after": retry_after, "seconds": seconds,
                            "refused": json.loads(http(f"http://127.0.0.1:{port}/refusals"))})

    try:
        reports, elapsed = run_fleet(probe, work, name, f"http://127.0.0.1:{port}", during=during if refusals else None)
        counts = json.loads(http(f"http://127.0.0.1:{port}/count"))
    finally:
        sink.terminate()
        sink.wait()
    seqs = [int(line) for line in open(record) if line.strip()]
    expected = expected_seqs(reports)
    tracked = sum(r["tracked"] for r in reports)
    result = {
        "scenario": name, "members": MEMBERS, "rate_per_member": RATE, "seconds": SECONDS, "tracked": tracked,
        "received": len(seqs), "distinct": len(set(seqs)), "requests": counts["requests"],
        "aggregate_events_per_s": round(len(seqs) / elapsed), "wall_s": round(elapsed, 1),
        "sdk_dropped": sum(r["dropped"] for r in reports), "failed_attempts": sum(r["failed_attempts"] for r in reports),
        "peak_rss_mb_per_member": round(statistics.median(r["peak_rss_kb"] for r in reports) / 1024, 1),
    }
    for window in windows:
        refused = window["refused"]
        per_client = {}
        for entry in refused:
            per_client.setdefault(entry["client"], []).append(entry["t"])
        gaps = sorted(b - a for times in per_client.values() for a, b in zip(times, times[1:]))
        firsts = sorted(times[0] for times in per_client.values())
        result[f"refusal_{window['status']}"] = {
            "seconds": window["seconds"], "retry_after": window["retry_after"], "refused_requests": len(refused),
            "requests_per_s": round(len(refused) / window["seconds"], 2), "clients_seen": len(per_client),
            "max_per_client": max((len(t) for t in per_client.values()), default=0),
            "retry_gap_s": {"min": gaps[0] if gaps else None, "p50": gaps[len(gaps) // 2] if gaps else None,
                            "max": gaps[-1] if gaps else None},
            "first_refusal_spread_s": round(firsts[-1] - firsts[0], 2) if firsts else None,
            "per_second_histogram": [sum(1 for e in refused if int(e["t"]) == s) for s in range(window["seconds"])],
        }
    print(json.dumps(result, sort_keys=True), flush=True)
    check(result["sdk_dropped"] == 0, f"{name}: {MEMBERS} processes dropped nothing")
    check(set(seqs) == expected and len(seqs) == len(expected),
          f"{name}: {len(seqs)} events received, {len(set(seqs))} distinct, of {tracked} tracked: every event exactly once")
    for window in windows:
        stats = result[f"refusal_{window['status']}"]
        # The breaker's cool-downs double from ~1 s up to 30 s (jittered): over a 30 s refusal a member
        # tries about five times; Retry-After: 10 caps it at about three. A storm would be hundreds.
        bound = 4 if window["retry_after"] else 8
        check(stats["max_per_client"] <= bound,
              f"{name}: while answering {window['status']} for {window['seconds']} s, {stats['refused_requests']} requests "
              f"({stats['requests_per_s']}/s from {MEMBERS} members), at most {stats['max_per_client']} per member (bound {bound})")
    return result


def fleet_to_clickhouse(probe, work):
    server = Cluster(os.path.join(work, "fleet-clickhouse"))
    server.nodes = {1: dict(server.nodes[1], shard="01", replica="single")}
    server.zk_port = free_port()  # no replicated tables: ZooKeeper is never contacted
    server._write_config(1)
    server.restart(1)
    try:
        cli = os.environ["AUTOMAGIK_CLI"]
        env = dict(os.environ, AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT=server.url(1),
                   AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME=USER, AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD=PASSWORD)
        subprocess.run([cli, "schema", "apply", "--database", "fleet"], env=env, check=True, stdout=subprocess.DEVNULL)
        reports, elapsed = run_fleet(probe, work, "fleet_clickhouse", server.url(1), extra=("clickhouse", "fleet"))
        seq = "`Attributes.Value`[indexOf(`Attributes.Key`, 'seq')]"
        rows, distinct = map(int, server.query(1, f"SELECT count(), uniqExact({seq}) FROM fleet.traces").split())
        inserts = server.scalar(1, "SELECT value FROM system.events WHERE event = 'InsertQuery'")
    finally:
        server.kill(1)
    tracked = sum(r["tracked"] for r in reports)
    result = {"scenario": "fleet_clickhouse", "members": MEMBERS, "tracked": tracked, "rows": rows, "distinct": distinct,
              "inserts": inserts, "rows_per_s": round(rows / elapsed), "wall_s": round(elapsed, 1),
              "sdk_dropped": sum(r["dropped"] for r in reports), "failed_attempts": sum(r["failed_attempts"] for r in reports)}
    print(json.dumps(result, sort_keys=True), flush=True)
    check(result["sdk_dropped"] == 0 and rows == tracked and distinct == tracked,
          f"fleet_clickhouse: {rows} rows, {distinct} distinct, of {tracked} tracked by {MEMBERS} processes in {inserts} inserts")


def main():
    probe, python = sys.argv[1], sys.argv[2]
    only = set(filter(None, os.environ.get("CLUSTER_SCENARIOS", "").split(",")))
    wanted = lambda name: not only or name in only
    work = tempfile.mkdtemp(prefix="automagik-fleet-")
    started = time.time()
    scenarios = [
        ("fleet_collector", lambda: fleet_to_collector(probe, python, work, "fleet_collector")),
        ("fleet_refusal", lambda: fleet_to_collector(probe, python, work, "fleet_refusal",
                                                     refusals=[(15, 30, 503, None)])),
        ("fleet_refusal", lambda: fleet_to_collector(probe, python, work, "fleet_refusal_retry_after",
                                                     refusals=[(15, 30, 429, "10")])),
        ("fleet_clickhouse", lambda: fleet_to_clickhouse(probe, work)),
    ]
    for name, run in scenarios:
        if not wanted(name):
            continue
        try:
            run()
        except Exception as error:  # one harness failure fails its scenario, with its cause, and the rest still run
            check(False, f"{name} stopped: {type(error).__name__}: {error}")
    print(f"fleet suite: {time.time() - started:.0f} s; {len(PASSED)} passed, {len(FAILED)} failed", flush=True)
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
