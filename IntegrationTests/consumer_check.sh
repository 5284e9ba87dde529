#!/usr/bin/env bash
# Builds IntegrationTests/consumer, an app outside this package that depends on it by path, as users do:
# the README's quick start must compile and run with `import AutomagikTelemetry` alone, and every
# internal named in ReachesForInternals must be refused. Prints PASS/FAIL lines.
set -uo pipefail
cd "$(dirname "$0")/consumer"
SCRATCH="${CONSUMER_SCRATCH:-../../.build/consumer}"
if OUT="$(swift build --scratch-path "$SCRATCH" --product Consumer 2>&1)" && RUN="$("$SCRATCH/debug/Consumer" 2>&1)"; then
    echo "PASS an outside app builds and runs the README's quick start with one import ($RUN)"
else
    echo "FAIL an outside app builds and runs the README's quick start: $(echo "$OUT" | grep -m5 'error:') ${RUN:-}"
fi
ERRORS="$(swift build --scratch-path "$SCRATCH" --target ReachesForInternals 2>&1 | grep -E '^\S*Internals.swift:[0-9]+:[0-9]+: error: cannot find' | sort -u)"
EXPECTED="$(grep -c '^    _ = ' Sources/ReachesForInternals/Internals.swift)"
REFUSED="$(echo "$ERRORS" | grep -c 'error: cannot find' || true)"
if [ "$REFUSED" = "$EXPECTED" ]; then
    echo "PASS an outside app cannot reach the SDK's internals ($REFUSED of $EXPECTED names refused)"
else
    echo "FAIL an outside app reaches internals: $REFUSED of $EXPECTED names refused"
    echo "$ERRORS" | sed 's/^/    /'
fi
