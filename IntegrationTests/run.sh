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

cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }

setup_python() {
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV" || return 1
    fi
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r IntegrationTests/requirements.txt
}

echo "== building"
swift build --product automagik-telemetry >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
CLI="$(swift build --show-bin-path)/automagik-telemetry"
setup_python || { echo "python setup failed"; echo "0 passed, 1 failed"; exit 1; }
PY="$VENV/bin/python"

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

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
