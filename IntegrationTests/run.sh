#!/usr/bin/env bash
# Integration tests against real parts: the official OTLP definitions (PyPI opentelemetry-proto),
# and the SDK's own binaries. Starts everything it needs on 127.0.0.1 and stops it afterwards.
# Prints "N passed, M failed" as its last line; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/automagik-integration.XXXXXX")"
VENV="$ROOT/.build/integration-venv"
PASSED=0
FAILED=0

PIDS=()
CONTAINERS=()
DOCKER_STATE="${AUTOMAGIK_IT_DOCKER_STATE:-${TMPDIR:-/tmp}/automagik-it-docker}"
cleanup() {
    [ -f "$WORK/clickhouse/pid" ] && kill -9 "$(cat "$WORK/clickhouse/pid")" 2>/dev/null
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    if [ "${MODE:-native}" = docker ]; then
        [ "${#CONTAINERS[@]}" -gt 0 ] && docker rm -f "${CONTAINERS[@]}" >/dev/null 2>&1
        IntegrationTests/docker/engine.sh down "$DOCKER_STATE"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { "$PY" IntegrationTests/ports.py "$WORK/ports"; }

wait_for_port() {
    local port="$1"
    for _ in $(seq 1 100); do
        if "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)))"; then return 0; fi
        sleep 0.1
    done
    return 1
}

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }

setup_python() {
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV" || return 1
    fi
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r IntegrationTests/requirements.txt
}

setup_python >"$WORK/python-setup.log" 2>&1 || { echo "integration mode: none"; cat "$WORK/python-setup.log"; echo "python setup failed"; echo "0 passed, 1 failed"; exit 1; }
PY="$VENV/bin/python"

# The collector and ClickHouse run in containers when a Docker engine is available or can be started
# (IntegrationTests/docker/engine.sh); otherwise as native processes. AUTOMAGIK_IT_MODE=native or =docker
# forces one (docker then fails the run when no engine can be had).
MODE=native
MODE_NOTE=""
if [ "${AUTOMAGIK_IT_MODE:-auto}" != native ]; then
    if ENGINE_ENV="$(IntegrationTests/docker/engine.sh up "$DOCKER_STATE" 2>&1)"; then
        eval "$(grep '^export ' <<<"$ENGINE_ENV")"
        MODE=docker
    else
        MODE_NOTE=": no Docker ($(tail -n 1 <<<"$ENGINE_ENV"))"
    fi
fi
if [ "$MODE" = docker ]; then
    echo "integration mode: docker (engine ${AUTOMAGIK_IT_DOCKER_ENGINE:-?}): the OTLP collector and ClickHouse run in containers"
else
    echo "integration mode: native servers$MODE_NOTE"
fi
[ "${AUTOMAGIK_IT_MODE:-auto}" = docker ] && [ "$MODE" != docker ] && fail "Docker mode was required (AUTOMAGIK_IT_MODE=docker)"

echo "== building"
swift build --product automagik-telemetry >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
CLI="$(swift build --show-bin-path)/automagik-telemetry"

echo "== demo output is valid OTLP/JSON under the official definitions"
if "$CLI" demo --output "$WORK/demo/telemetry.jsonl" --events 300 && "$PY" IntegrationTests/otlp_json_check.py "$WORK/demo/telemetry.jsonl"; then
    pass "demo → OTLP/JSON lines accepted by opentelemetry-proto"
else
    fail "demo → OTLP/JSON lines accepted by opentelemetry-proto"
fi

echo "== the checker itself rejects what the rules forbid"
FIRST_LINE="$(head -n 1 "$WORK/demo/telemetry.jsonl")"
check_rejects() {
    local name="$1" mutated="$2"
    printf '%s\n' "$mutated" > "$WORK/mutated.jsonl"
    if [ "$mutated" = "$FIRST_LINE" ]; then fail "checker self-test $name (mutation did not apply)"; return; fi
    if "$PY" IntegrationTests/otlp_json_check.py "$WORK/mutated.jsonl" >/dev/null; then
        fail "checker self-test: $name was accepted"
    else
        pass "checker self-test: rejects $name"
    fi
}
check_rejects "enum names" "${FIRST_LINE/\"kind\":1/\"kind\":\"SPAN_KIND_INTERNAL\"}"
check_rejects "64-bit integers as numbers" "$(printf '%s' "$FIRST_LINE" | sed -E 's/"startTimeUnixNano":"([0-9]+)"/"startTimeUnixNano":\1/')"
check_rejects "short trace ids" "$(printf '%s' "$FIRST_LINE" | sed -E 's/"traceId":"[0-9a-f]{32}"/"traceId":"abcd"/')"
check_rejects "snake_case keys" "${FIRST_LINE/\"startTimeUnixNano\"/\"start_time_unix_nano\"}"
check_rejects "unknown fields" "${FIRST_LINE/\"spans\":[{/\"spans\":[{\"bogus\":1,}"

echo "== send: one item per signal through the CLI into a file"
for args in "event cli.event k=v" "metric cli.metric 2 --type histogram --unit ms" "log hello --severity warn" "error ValueError boom"; do
    # shellcheck disable=SC2086
    if HOME="$WORK/home" "$CLI" send $args --exporter "file:$WORK/send.jsonl" 2>/dev/null; then
        pass "send $args"
    else
        fail "send $args"
    fi
done
if "$PY" IntegrationTests/otlp_json_check.py "$WORK/send.jsonl"; then pass "send output is valid OTLP/JSON"; else fail "send output is valid OTLP/JSON"; fi

echo "== inspect prints valid OTLP/JSON; a signature made by another implementation verifies"
: > "$WORK/inspect.jsonl"
for args in "event inspect.check user_email=jane@example.com" "metric inspect.orders 2 --type counter" \
    "log inspect%20line" "error InspectError boom"; do
    read -ra words <<<"$args"
    words=("${words[@]//%20/ }")
    HOME="$WORK/inspect-home" "$CLI" inspect "${words[@]}" >>"$WORK/inspect.jsonl" 2>/dev/null
done
if [ "$(wc -l <"$WORK/inspect.jsonl")" = 4 ] && "$PY" IntegrationTests/otlp_json_check.py "$WORK/inspect.jsonl" \
    && ! grep -q "jane@example.com" "$WORK/inspect.jsonl" && [ ! -e "$WORK/inspect-home" ]; then
    pass "inspect: four requests, strict OTLP/JSON, no personal data, no file written"
else
    fail "inspect output"
fi
printf '{"resourceLogs":[]}' > "$WORK/signed-body"
SIGNATURE="$("$PY" -c 'import hashlib, hmac, os, sys, time
t = str(int(time.time())); n = os.urandom(16).hex(); body = open(sys.argv[1], "rb").read()
line = "\n".join(["v2", t, n, "POST", "/v1/logs", "application/json", ""]) + "\n"
v2 = hmac.new(b"cross-check-key-0123", line.encode() + body, hashlib.sha256).hexdigest()
print("t=" + t + ",n=" + n + ",v2=" + v2)' "$WORK/signed-body")"
REQUEST=(--path /v1/logs --content-type application/json)
if AUTOMAGIK_TELEMETRY_SIGNING_KEY=cross-check-key-0123 "$CLI" verify --signature "$SIGNATURE" "${REQUEST[@]}" "$WORK/signed-body" >/dev/null \
    && ! AUTOMAGIK_TELEMETRY_SIGNING_KEY=another-key-0123456 "$CLI" verify --signature "$SIGNATURE" "${REQUEST[@]}" "$WORK/signed-body" >/dev/null \
    && ! AUTOMAGIK_TELEMETRY_SIGNING_KEY=cross-check-key-0123 "$CLI" verify --signature "$SIGNATURE" --path /v1/traces \
        --content-type application/json "$WORK/signed-body" >/dev/null; then
    pass "request signatures: Python's v2 HMAC-SHA256 verifies with the CLI; another key or another path does not"
else
    fail "request signature cross-check"
fi

echo "== the operator's OpenTelemetry environment never breaks start-up"
OPERATOR_ENV=(OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4317 OTEL_EXPORTER_OTLP_PROTOCOL=grpc
    "OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20operator-token" AUTOMAGIK_TELEMETRY_BATCH_SIZE=lots
    OTEL_BSP_SCHEDULE_DELAY=1000 OTEL_TRACES_EXPORTER=zipkin OTEL_LOG_LEVEL=info)
STATUS_OUT="$(env "${OPERATOR_ENV[@]}" HOME="$WORK/operator-home" "$CLI" status 2>&1)"; STATUS_RC=$?
SEND_OUT="$(env "${OPERATOR_ENV[@]}" HOME="$WORK/operator-home" "$CLI" send event operator.check --exporter "file:$WORK/operator.jsonl" 2>&1)"; SEND_RC=$?
echo "$STATUS_OUT" | grep '^environment:'
if [ "$STATUS_RC" = 0 ] && [ "$SEND_RC" = 0 ] && grep -q 'otel-collector:4318/v1/traces' <<<"$STATUS_OUT" \
    && grep -q 'gRPC' <<<"$STATUS_OUT" && grep -q 'AUTOMAGIK_TELEMETRY_BATCH_SIZE' <<<"$STATUS_OUT" \
    && grep -q 'zipkin' <<<"$STATUS_OUT" && ! grep -q 'operator-token' <<<"$STATUS_OUT$SEND_OUT" \
    && grep -q 'operator.check' "$WORK/operator.jsonl"; then
    pass "grpc on 4317, plain http to a remote collector, a bad batch size, an unknown exporter: status and send exit 0, each value explained"
else
    fail "operator environment (status rc $STATUS_RC, send rc $SEND_RC): $STATUS_OUT $SEND_OUT"
fi

echo "== disabled means inert (separate processes, empty HOME)"
swift build --product automagik-telemetry-inert-probe >/dev/null 2>&1
PROBE="$(swift build --show-bin-path)/automagik-telemetry-inert-probe"
mkdir -p "$WORK/inert-off" "$WORK/inert-on"
OFF="$(env -i PATH="$PATH" HOME="$WORK/inert-off" "$PROBE" disabled)"
ON="$(env -i PATH="$PATH" HOME="$WORK/inert-on" "$PROBE" enabled)"
echo "disabled: $OFF"
echo "enabled:  $ON"
if "$PY" - "$OFF" "$ON" "$WORK/inert-on" <<'PY'
import json, os, stat, sys
off, on, home = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
assert off["enabled"] is False and off["threads_started"] == 0 and off["sockets_open"] == 0 and off["files_created"] == [], off
# The probe sees what it looks for: enabled, the SDK starts its worker and writes its state files.
assert on["enabled"] is True and on["threads_started"] > 0 and ".automagik/user_id" in on["files_created"], on
assert stat.S_IMODE(os.stat(os.path.join(home, ".automagik")).st_mode) == 0o700
for name in ("user_id", "salt"):
    assert stat.S_IMODE(os.stat(os.path.join(home, ".automagik", name)).st_mode) == 0o600, name
PY
then
    pass "disabled: no thread, no socket, no file; enabled: state files 0600 in a 0700 directory"
else
    fail "disabled means inert"
fi

echo "== the opt-in exit hook delivers what was tracked before exit()"
env -i PATH="$PATH" HOME="$WORK/inert-exit" "$PROBE" exit-hook "$WORK/exit.jsonl"
if [ "$(grep -o '"name":"exit.event"' "$WORK/exit.jsonl" 2>/dev/null | wc -l)" = "250" ]; then
    pass "exit hook: 250 events tracked, exit(0) without flushing, 250 events in the file"
else
    fail "exit hook delivered $(grep -o '"name":"exit.event"' "$WORK/exit.jsonl" 2>/dev/null | wc -l) of 250 events"
fi

# A check script that prints PASS/FAIL lines: NAME (its output and work folder), TITLE, then the command,
# in which @WORK@ stands for the work folder. Its lines count in the totals; no PASS at all is a failure.
run_check() {
    local name="$1" title="$2" work="$WORK/$1"
    shift 2
    mkdir -p "$work"
    echo "== $title"
    "${@//@WORK@/$work}" > "$WORK/$name.out" 2>&1
    cat "$WORK/$name.out"
    PASSED=$((PASSED + $(grep -c '^PASS ' "$WORK/$name.out")))
    FAILED=$((FAILED + $(grep -c '^FAIL ' "$WORK/$name.out")))
    if ! grep -q '^PASS ' "$WORK/$name.out"; then fail "$name did not run"; fi
}

run_check hostile "hostile endpoints, files and names (fault_server.py, strace when installed)" \
    "$PY" IntegrationTests/hostile_check.py "$PROBE" @WORK@
run_check cli-life "programs that come and go: short runs at default settings, collector up, refused, hung, dripping, then up" \
    "$PY" IntegrationTests/cli_life_check.py "$PY" "$PROBE" @WORK@ --runs 10 --p95 250 --max 1000
run_check transport "the transport goes only where it was told: no TLS key log, no proxy for loopback, signatures v2" \
    "$PY" IntegrationTests/transport_check.py "$CLI" @WORK@

echo "== an app outside this package (IntegrationTests/consumer): one import works, internals are refused"
IntegrationTests/consumer_check.sh > "$WORK/consumer.out" 2>&1
cat "$WORK/consumer.out"
PASSED=$((PASSED + $(grep -c '^PASS ' "$WORK/consumer.out")))
FAILED=$((FAILED + $(grep -c '^FAIL ' "$WORK/consumer.out")))
if ! grep -q '^PASS ' "$WORK/consumer.out"; then fail "consumer_check.sh did not run"; fi

echo "== docker-compose.yml structure"
if "$PY" IntegrationTests/compose_check.py; then pass "docker-compose.yml is valid"; else fail "docker-compose.yml is valid"; fi

echo "== real servers on 127.0.0.1: an OTLP collector (rotel) and ClickHouse (Debian's package)"
ROTEL="$("$PY" -c 'import os, rotel; print(os.path.join(os.path.dirname(rotel.__file__), "rotel-agent"))')"
HTTP_PORT="$(free_port)"
GRPC_PORT="$(free_port)"
COLLECTOR_LOG="$WORK/collector.log"
ROTEL_ARGS=(--log-format json start --otlp-http-endpoint "127.0.0.1:$HTTP_PORT" --otlp-grpc-endpoint "127.0.0.1:$GRPC_PORT"
    --exporter blackhole --debug-log traces --debug-log metrics --debug-log logs --debug-log-verbosity detailed)
if [ "$MODE" = docker ]; then
    # Host network; the dump goes to the same file native mode writes (the work folder is mounted).
    CONTAINERS+=("automagik-it-rotel-$HTTP_PORT")
    docker run -d --name "automagik-it-rotel-$HTTP_PORT" --network host -v "$WORK:$WORK" --entrypoint /bin/sh \
        "$AUTOMAGIK_IT_ROTEL_IMAGE" -c "exec /usr/local/bin/rotel-agent ${ROTEL_ARGS[*]} >$COLLECTOR_LOG 2>&1" >/dev/null \
        || fail "rotel container did not start"
else
    "$ROTEL" "${ROTEL_ARGS[@]}" >"$COLLECTOR_LOG" 2>&1 &
    PIDS+=($!)
fi
wait_for_port "$HTTP_PORT" || fail "rotel collector did not start"

CLICKHOUSE_ENV=()
if [ "$MODE" = docker ] || command -v clickhouse-server >/dev/null || [ -x /usr/bin/clickhouse-server ]; then
    CH_PORT="$(free_port)"
    CH_DIR="$WORK/clickhouse"
    # In Docker mode start.sh runs the server in a container (AUTOMAGIK_IT_CLICKHOUSE_IMAGE is exported).
    [ "$MODE" = docker ] && CONTAINERS+=("automagik-it-clickhouse-$CH_PORT")
    IntegrationTests/clickhouse/start.sh "$CH_DIR" "$CH_PORT" >/dev/null
    if wait_for_port "$CH_PORT"; then
        for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$CH_PORT/ping" >/dev/null 2>&1 && break; sleep 0.1; done
        CLICKHOUSE_ENV=(AUTOMAGIK_IT_CLICKHOUSE_ENDPOINT="http://127.0.0.1:$CH_PORT" AUTOMAGIK_IT_CLICKHOUSE_DIR="$CH_DIR"
            AUTOMAGIK_IT_CLICKHOUSE_PORT="$CH_PORT")
    else
        fail "ClickHouse server did not start"
    fi
else
    fail "clickhouse-server is not installed (apt-get install clickhouse-server clickhouse-client)"
fi

# The modern engine behind a ClickHouse HTTP interface (chdb_http.py), for the schema-version cases.
MODERN_PORT="$(free_port)"
"$PY" IntegrationTests/chdb_http.py "$MODERN_PORT" "$WORK/chdb-http" >"$WORK/chdb-http.log" 2>&1 &
PIDS+=($!)
if wait_for_port "$MODERN_PORT"; then
    CLICKHOUSE_ENV+=(AUTOMAGIK_IT_MODERN_CLICKHOUSE_ENDPOINT="http://127.0.0.1:$MODERN_PORT")
else
    fail "the modern engine's HTTP front (chdb_http.py) did not start: $(cat "$WORK/chdb-http.log")"
fi

mkdir -p "$WORK/artifacts"
if env AUTOMAGIK_IT_OTLP_ENDPOINT="http://127.0.0.1:$HTTP_PORT" AUTOMAGIK_IT_COLLECTOR_LOG="$COLLECTOR_LOG" \
    AUTOMAGIK_IT_ARTIFACTS="$WORK/artifacts" "${CLICKHOUSE_ENV[@]}" \
    swift test --filter AutomagikTelemetryIntegrationTests 2>&1 | tee "$WORK/swift-integration.log" | grep -E "^(✔|✘) (Test|Suite)|recorded an issue|Test run"; then
    if grep -q "✘" "$WORK/swift-integration.log"; then
        fail "Swift integration tests (collector and ClickHouse)"
    else
        pass "Swift integration tests: collector (every signal × protobuf/JSON × gzip) and ClickHouse (schema, every column, auth, missing table, restart; schema versions on 18.16 and the modern engine)"
    fi
else
    fail "Swift integration tests (collector and ClickHouse)"
fi
[ "${#CLICKHOUSE_ENV[@]}" -gt 0 ] && grep -q "ClickHouseServerTests.*skipped\|needs the ClickHouse" "$WORK/swift-integration.log" && fail "ClickHouse tests were skipped"

if ls "$WORK"/artifacts/*.pb >/dev/null 2>&1 && "$PY" IntegrationTests/otlp_protobuf_check.py "$WORK"/artifacts/*.pb; then
    pass "protobuf bodies parse with opentelemetry-proto and re-serialize byte for byte"
else
    fail "protobuf bodies parse with opentelemetry-proto and re-serialize byte for byte"
fi
if ls "$WORK"/artifacts/*.json >/dev/null 2>&1 && "$PY" IntegrationTests/otlp_json_check.py "$WORK"/artifacts/*.json; then
    pass "JSON bodies follow the OTLP/JSON rules and parse with opentelemetry-proto"
else
    fail "JSON bodies follow the OTLP/JSON rules and parse with opentelemetry-proto"
fi
if "$PY" IntegrationTests/clickhouse_modern_check.py "$WORK/artifacts/clickhouse-modern" IntegrationTests/docker/grafana/dashboards; then
    pass "modern ClickHouse (chdb): shipped DDL, exact row bytes read back, every dashboard query runs"
else
    fail "modern ClickHouse (chdb): shipped DDL, exact row bytes read back, every dashboard query runs"
fi
echo "== the collector path: SDK → OTLP → rotel's ClickHouse exporter → otel_* tables → the collector dashboard"
COLLECTOR2_HTTP="$(free_port)"
COLLECTOR2_GRPC="$(free_port)"
ROTEL_CH_ARGS=(start --otlp-http-endpoint "127.0.0.1:$COLLECTOR2_HTTP" --otlp-grpc-endpoint "127.0.0.1:$COLLECTOR2_GRPC"
    --exporter clickhouse --clickhouse-exporter-endpoint "http://127.0.0.1:$MODERN_PORT" --clickhouse-exporter-database otel
    --clickhouse-exporter-compression none --clickhouse-exporter-async-insert false)
if "$PY" IntegrationTests/collector_clickhouse_check.py ddl "http://127.0.0.1:$MODERN_PORT" >"$WORK/collector-ddl.log" 2>&1; then
    if [ "$MODE" = docker ]; then
        CONTAINERS+=("automagik-it-rotel-ch-$COLLECTOR2_HTTP")
        docker run -d --name "automagik-it-rotel-ch-$COLLECTOR2_HTTP" --network host "$AUTOMAGIK_IT_ROTEL_IMAGE" "${ROTEL_CH_ARGS[@]}" >/dev/null
    else
        "$ROTEL" "${ROTEL_CH_ARGS[@]}" >"$WORK/rotel-clickhouse.log" 2>&1 &
        PIDS+=($!)
    fi
    if ! wait_for_port "$COLLECTOR2_HTTP"; then
        fail "rotel with the ClickHouse exporter did not start: $( [ "$MODE" = docker ] && docker logs "automagik-it-rotel-ch-$COLLECTOR2_HTTP" 2>&1 | tail -n 3; tail -n 3 "$WORK/rotel-clickhouse.log" 2>/dev/null)"
    fi
    SERVICE="collector-path-$RANDOM"
    COLLECTOR_URL="http://127.0.0.1:$COLLECTOR2_HTTP"
    for args in "event collector.checkout region=eu" "error ImportError bad-row" "log collector%20log%20line --severity warn" \
        "metric collector.orders 3 --type counter" "metric collector.latency 12 --type histogram --unit ms" "metric collector.queue 7.5"; do
        read -ra words <<<"$args"
        words=("${words[@]//%20/ }")
        HOME="$WORK/home" "$CLI" send "${words[@]}" --endpoint "$COLLECTOR_URL" --project "$SERVICE" 2>/dev/null
    done
    if "$PY" IntegrationTests/collector_clickhouse_check.py check "http://127.0.0.1:$MODERN_PORT" "$SERVICE"; then
        pass "collector path: every signal read back from otel_* with its values, every collector dashboard query returns rows"
    else
        fail "collector path into ClickHouse"
    fi
else
    fail "collector tables: $(cat "$WORK/collector-ddl.log")"
fi
if AUTOMAGIK_TELEMETRY_ENDPOINT="http://127.0.0.1:$HTTP_PORT" HOME="$WORK/home" "$CLI" send event cli.via.collector 2>/dev/null \
    && for _ in $(seq 1 50); do grep -aq "Name           : cli.via.collector" "$COLLECTOR_LOG" && break; sleep 0.1; done \
    && grep -aq "Name           : cli.via.collector" "$COLLECTOR_LOG"; then
    pass "CLI send → collector"
else
    fail "CLI send → collector"
fi
echo "== offline spool: SIGKILL mid-run, start again, everything acknowledged arrives"
DEAD_PORT="$(free_port)"
env -i PATH="$PATH" HOME="$WORK/spool-home" timeout 120 "$PROBE" spool-kill "$WORK/spool" "http://127.0.0.1:$DEAD_PORT" > "$WORK/spool-kill.out" 2>&1 &
KILL_PID=$!
for _ in $(seq 1 200); do grep -q "spool-kill" "$WORK/spool-kill.out" 2>/dev/null && break; sleep 0.1; done
pkill -9 -P "$KILL_PID" 2>/dev/null; kill -9 "$KILL_PID" 2>/dev/null; wait "$KILL_PID" 2>/dev/null
echo "killed: $(cat "$WORK/spool-kill.out")"
RESUME="$(env -i PATH="$PATH" HOME="$WORK/spool-home" timeout 120 "$PROBE" spool-resume "$WORK/spool" "http://127.0.0.1:$HTTP_PORT" 2>&1)"
echo "resumed: $RESUME"
for _ in $(seq 1 50); do [ "$(grep -ac "Name           : spool.kill.event" "$COLLECTOR_LOG")" = "300" ] && break; sleep 0.1; done
if grep -q "spooled=300" "$WORK/spool-kill.out" && echo "$RESUME" | grep -q "exported=300" \
    && [ "$(grep -ac "Name           : spool.kill.event" "$COLLECTOR_LOG")" = "300" ] && [ -z "$(ls -A "$WORK/spool")" ]; then
    pass "spool: 300 events acknowledged to disk, process SIGKILLed, next run delivered all 300 once, spool empty"
else
    fail "spool: kill and resume (collector saw $(grep -ac "Name           : spool.kill.event" "$COLLECTOR_LOG") of 300)"
fi

if [ "${#CLICKHOUSE_ENV[@]}" -gt 0 ]; then
    CH_URL="http://127.0.0.1:$CH_PORT"
    if AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT="$CH_URL" AUTOMAGIK_TELEMETRY_CLICKHOUSE_DATABASE=cli_check \
        AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME=telemetry AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD=s3cret-pass "$CLI" schema apply 2>/dev/null \
        && AUTOMAGIK_TELEMETRY_CLICKHOUSE_ENDPOINT="$CH_URL" AUTOMAGIK_TELEMETRY_CLICKHOUSE_DATABASE=cli_check \
        AUTOMAGIK_TELEMETRY_CLICKHOUSE_USERNAME=telemetry AUTOMAGIK_TELEMETRY_CLICKHOUSE_PASSWORD=s3cret-pass HOME="$WORK/home" \
        "$CLI" send event cli.via.clickhouse --exporter clickhouse 2>/dev/null \
        && [ "$(curl -s -u telemetry:s3cret-pass "$CH_URL/" --data "SELECT count() FROM cli_check.traces WHERE SpanName = 'cli.via.clickhouse'")" = "1" ]; then
        pass "CLI schema apply + send → ClickHouse"
    else
        fail "CLI schema apply + send → ClickHouse"
    fi
    kill "$(cat "$CH_DIR/pid")" 2>/dev/null
fi

echo "== zero loss at default settings: receiver SIGKILLed and restarted, and a two-minute outage"
# The receiver is IntegrationTests/otlp_sink.py: a real OTLP/HTTP server that decodes every request with
# the official definitions and appends each span's `seq` to a file before answering, across restarts.
# The SDK runs in its own process (the probe's `steady` mode) with default settings.
start_receiver() {
    "$PY" IntegrationTests/otlp_sink.py "$1" --record "$2" >/dev/null 2>&1 &
    echo $!
}
check_received() {
    "$PY" - "$1" "$2" "$3" <<'PY'
import json, sys
record, tracked, report = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
seqs = [int(line) for line in open(record) if line.strip()]
unique = set(seqs)
print(f"received {len(seqs)} spans, {len(unique)} distinct, of {tracked} tracked; lost {tracked - len(unique)}, duplicated {len(seqs) - len(unique)}")
assert report["tracked"] == tracked and report["dropped"] == 0, report
assert unique == set(range(tracked)), "lost items"
assert len(seqs) == len(unique), "duplicated items"
PY
}
RESTART_PORT="$(free_port)"
RECEIVER="$(start_receiver "$RESTART_PORT" "$WORK/restart.seq")"
PIDS+=("$RECEIVER")
wait_for_port "$RESTART_PORT"
env -i PATH="$PATH" HOME="$WORK/steady-home" "$PROBE" steady "http://127.0.0.1:$RESTART_PORT" 2000 30 > "$WORK/restart.json" 2>&1 &
DRIVER=$!
sleep 10
kill -9 "$RECEIVER"; wait "$RECEIVER" 2>/dev/null
sleep 5
RECEIVER="$(start_receiver "$RESTART_PORT" "$WORK/restart.seq")"
PIDS+=("$RECEIVER")
wait "$DRIVER"
echo "driver: $(cat "$WORK/restart.json")"
if check_received "$WORK/restart.seq" 60000 "$(cat "$WORK/restart.json")"; then
    pass "receiver SIGKILLed at 10 s and restarted 5 s later, 2,000 events/s for 30 s: 0 lost, 0 duplicated"
else
    fail "receiver restart at 2,000 events/s"
fi
kill "$RECEIVER" 2>/dev/null

OUTAGE_PORT="$(free_port)"
env -i PATH="$PATH" HOME="$WORK/outage-home" "$PROBE" steady "http://127.0.0.1:$OUTAGE_PORT" 2000 135 > "$WORK/outage.json" 2>&1 &
DRIVER=$!
sleep 120
RECEIVER="$(start_receiver "$OUTAGE_PORT" "$WORK/outage.seq")"
PIDS+=("$RECEIVER")
wait "$DRIVER"
echo "driver: $(cat "$WORK/outage.json")"
if check_received "$WORK/outage.seq" 270000 "$(cat "$WORK/outage.json")" \
    && "$PY" -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['max_buffered_bytes'] <= 64*1024*1024, r" "$WORK/outage.json"; then
    pass "endpoint down for the first 120 s at 2,000 events/s: everything delivered once it came back, within the memory budget"
else
    fail "two-minute outage at 2,000 events/s"
fi
kill "$RECEIVER" 2>/dev/null

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
