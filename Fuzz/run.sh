#!/usr/bin/env bash
# Builds the libFuzzer binary and runs every target (or those named) for a fixed budget each.
#   Fuzz/run.sh                       every target, FUZZ_SECONDS (default 60) each
#   FUZZ_SECONDS=10 Fuzz/run.sh privacy environment
#   FUZZ_CONFIGURATION=release FUZZ_RUNS=10000000 Fuzz/run.sh   optimised build, a fixed number of inputs
# Each target starts from its checked-in seed corpus (Fuzz/corpus/<target>); new inputs the fuzzer
# finds go to .build-fuzz/corpus/<target>, a crash to .build-fuzz/crashes/<target>/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
CONFIGURATION="${FUZZ_CONFIGURATION:-debug}"
# With FUZZ_RUNS, each target runs that many inputs (no time limit) instead of FUZZ_SECONDS.
LIMIT=(-max_total_time="$SECONDS_PER_TARGET")
[ -n "${FUZZ_RUNS:-}" ] && LIMIT=(-runs="$FUZZ_RUNS")
SCRATCH=.build-fuzz
TARGETS=(retry-after otlp-response environment endpoint signature spool-entry clickhouse-answers privacy human-text state-files)
[ "$#" -gt 0 ] && TARGETS=("$@")

swift build -c "$CONFIGURATION" --scratch-path "$SCRATCH" --target AutomagikTelemetryFuzz -Xswiftc -sanitize=fuzzer,address >/dev/null
# SwiftPM links executables with `main` renamed for its test discovery, which clashes with libFuzzer's own
# `main`; the fuzz entry is a library target, linked here with swiftc (see ../shared/notes/infra.md).
MODULES=(AutomagikTelemetryFuzz AutomagikTelemetry TelemetryCore TelemetrySpans TelemetryMetrics TelemetryLogs TelemetryBatching
    TelemetryPrivacy TelemetryPipeline TelemetryGzip TelemetrySystem TelemetryHTTP TelemetryOTLP TelemetryLocalExporters
    TelemetryClickHouse CAtomics CCurl)
objects=()
for module in "${MODULES[@]}"; do objects+=("$SCRATCH/$CONFIGURATION/$module".build/*.o); done
BINARY="$SCRATCH/automagik-telemetry-fuzz-$CONFIGURATION"
swiftc -sanitize=fuzzer,address -emit-executable -o "$BINARY" "${objects[@]}" -lz -ldl 2>&1 \
    | grep -v "Cannot export local symbol" || true

status=0
for target in "${TARGETS[@]}"; do
    mkdir -p "$SCRATCH/corpus/$target" "$SCRATCH/crashes/$target"
    log="$SCRATCH/fuzz-$target.log"
    if AUTOMAGIK_FUZZ_TARGET="$target" "$BINARY" "${LIMIT[@]}" \
        -max_len=4096 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$SCRATCH/crashes/$target/" "$SCRATCH/corpus/$target" "Fuzz/corpus/$target" >"$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
        took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo "$SECONDS_PER_TARGET")
        echo "fuzz $target ($CONFIGURATION): $runs executions in ${took:-$SECONDS_PER_TARGET} s, no crash"
    else
        echo "FAIL fuzz $target: see $log and $SCRATCH/crashes/$target/"
        tail -30 "$log"
        status=1
    fi
done
exit $status
