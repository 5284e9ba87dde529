#!/usr/bin/env bash
# `make bench`: release-build benchmarks. Starts a real OTLP collector (rotel) on 127.0.0.1 for the
# end-to-end workloads, runs every workload (one JSON object per line, then a table), then the
# callgrind instruction count. Extra arguments go to the benchmark binary (e.g. --events 200000).
set -uo pipefail
cd "$(dirname "$0")/.."
VENV="$PWD/.build/integration-venv"
swift build -c release --product automagik-telemetry-bench >/dev/null || exit 1
BENCH="$(swift build -c release --show-bin-path)/automagik-telemetry-bench"

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r IntegrationTests/requirements.txt
PY="$VENV/bin/python"
PORTS="$(mktemp)"
free_port() { "$PY" IntegrationTests/ports.py "$PORTS"; }
ROTEL="$("$PY" -c 'import os, rotel; print(os.path.join(os.path.dirname(rotel.__file__), "rotel-agent"))')"
PORT="$(free_port)"
GRPC="$(free_port)"
"$ROTEL" start --otlp-http-endpoint "127.0.0.1:$PORT" --otlp-grpc-endpoint "127.0.0.1:$GRPC" --exporter blackhole >/dev/null 2>&1 &
COLLECTOR=$!
for _ in $(seq 1 100); do "$PY" -c "import socket,sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $PORT)))" && break; sleep 0.1; done

ENDPOINT="http://127.0.0.1:$PORT"

# Default settings first: bursts into a sink that decodes and counts every span (official definitions),
# into the real collector, and (when Debian's ClickHouse is installed) into ClickHouse.
SINK_PORT="$(free_port)"
start_sink() {
    "$PY" IntegrationTests/otlp_sink.py "$SINK_PORT" >/dev/null 2>&1 &
    SINK=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$SINK_PORT/count" >/dev/null 2>&1 && break; sleep 0.1; done
}
CH_PID=""
trap 'kill $COLLECTOR ${SINK:-} 2>/dev/null; [ -n "$CH_PID" ] && kill -9 $CH_PID 2>/dev/null; wait 2>/dev/null; rm -f "$PORTS"' EXIT
# Programs that come and go, default settings: short runs of a command-line tool (20 events each, release
# build) against a collector that is up, refusing, hung or dripping, then up; exit-time distribution and
# delivered/duplicated counts per scenario.
swift build -c release --product automagik-telemetry-inert-probe >/dev/null
"$PY" IntegrationTests/cli_life_check.py "$PY" "$(swift build -c release --show-bin-path)/automagik-telemetry-inert-probe" \
    "$(mktemp -d)" --runs "${CLI_LIFE_RUNS:-30}" --json

for size in 100000 1000000; do
    start_sink
    "$BENCH" --workload defaults-child --events "$size" --endpoint "http://127.0.0.1:$SINK_PORT" \
        --count-url "http://127.0.0.1:$SINK_PORT/count"
    kill "$SINK"; wait "$SINK" 2>/dev/null
done
"$BENCH" --workload defaults-child --events 100000 --endpoint "$ENDPOINT"
if command -v clickhouse-server >/dev/null || [ -x /usr/sbin/clickhouse-server ]; then
    CH_DIR="$(mktemp -d)"
    CH_PORT="$(free_port)"
    CH_PID="$(IntegrationTests/clickhouse/start.sh "$CH_DIR" "$CH_PORT")"
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$CH_PORT/ping" >/dev/null 2>&1 && break; sleep 0.1; done
    CLI="$(swift build -c release --show-bin-path)/automagik-telemetry"
    swift build -c release --product automagik-telemetry >/dev/null
    AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT="http://127.0.0.1:$CH_PORT" AUTOMAGIK_TELEMETRY_CLICKHOUSE_DATABASE=bench \
        AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME=telemetry AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD=s3cret-pass "$CLI" schema apply >/dev/null
    "$BENCH" --workload defaults-child --events 100000 --backend clickhouse --endpoint "http://127.0.0.1:$CH_PORT" --database bench
    kill -9 "$CH_PID" 2>/dev/null
    rm -rf "$CH_DIR"
else
    echo "clickhouse burst: skipped (apt-get install clickhouse-server)"
fi

"$BENCH" --workload all --endpoint "$ENDPOINT" "$@"
for protocol in protobuf json; do
    for compression in gzip none; do
        [ "$protocol$compression" = "protobufgzip" ] && continue   # already in "all"
        "$BENCH" --workload end-to-end --endpoint "$ENDPOINT" --protocol "$protocol" --compression "$compression" "$@" | head -n 1
    done
done
if command -v valgrind >/dev/null; then
    Benchmarks/callgrind.sh
else
    echo "callgrind: skipped (apt-get install valgrind to count instructions per trackEvent)"
fi
