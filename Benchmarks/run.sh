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
ROTEL="$("$PY" -c 'import os, rotel; print(os.path.join(os.path.dirname(rotel.__file__), "rotel-agent"))')"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
GRPC="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$ROTEL" start --otlp-http-endpoint "127.0.0.1:$PORT" --otlp-grpc-endpoint "127.0.0.1:$GRPC" --exporter blackhole >/dev/null 2>&1 &
COLLECTOR=$!
trap 'kill $COLLECTOR 2>/dev/null; wait $COLLECTOR 2>/dev/null' EXIT
for _ in $(seq 1 100); do "$PY" -c "import socket,sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $PORT)))" && break; sleep 0.1; done

ENDPOINT="http://127.0.0.1:$PORT"
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
