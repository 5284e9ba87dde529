#!/usr/bin/env bash
# Counts, with valgrind's callgrind (repeatable, unlike wall time), the instructions and heap
# allocations the *caller's thread* spends per trackEvent of the benchmark event workload
# (4 attributes, privacy on, default policy). Prints one JSON object and a readable line.
#
#   Benchmarks/callgrind.sh [N]        (N events in the measured region, default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
command -v valgrind >/dev/null || { echo "valgrind is required (apt-get install valgrind)"; exit 1; }
swift build -c release --product automagik-telemetry-callgrind >/dev/null
BIN="$(swift build -c release --show-bin-path)/automagik-telemetry-callgrind"
OUT="$(mktemp -d)/callgrind.out"
# Toggle on the measured function only: its exact mangled name, so the closures defined inside it
# (the attribute literal) do not toggle collection off again.
valgrind --tool=callgrind --callgrind-out-file="$OUT" --collect-atstart=no \
    '--toggle-collect=*measuredTrackEvents_4from5county0aB0AEC_S2itF' "$BIN" "$N" >/dev/null 2>&1
python3 - "$OUT" "$N" <<'PY'
import json, re, sys
path, n = sys.argv[1], int(sys.argv[2])
# Allocations are counted where the program asks for memory: calls to swift_allocObject, plus direct
# calls to swift_slowAlloc or malloc from anything but the allocator itself. (Callgrind's counts of
# the allocator's internal edges are unreliable: its tail calls are counted twice.)
names, edges, total, caller, callee = {}, {}, 0, None, None
for line in open(path):
    m = re.match(r'(c?fn)=\((\d+)\)(?: (.*))?', line)
    if m:
        kind, index, name = m.groups()
        if name:
            names[index] = name.strip()
        if kind == 'fn':
            caller = names.get(index)
        else:
            callee = names.get(index)
        continue
    m = re.match(r'calls=(\d+)', line)
    if m and callee:
        edges[(caller, callee)] = edges.get((caller, callee), 0) + int(m.group(1))
        continue
    m = re.match(r'summary: (\d+)', line) or re.match(r'totals: (\d+)', line)
    if m:
        total = int(m.group(1))
allocator = {"swift_allocObject", "swift_slowAlloc", "malloc"}
allocations = sum(count for (source, target), count in edges.items()
                  if target == "swift_allocObject" or (target in ("swift_slowAlloc", "malloc") and source not in allocator))
result = {
    "name": "callgrind.track_event", "n": n,
    "figures": {"instructions_per_call": round(total / n, 1), "heap_allocations_per_call": round(allocations / n, 3)},
    "notes": {"tool": "valgrind --tool=callgrind, caller's thread only, release build"},
}
print(json.dumps(result, sort_keys=True))
print(f"callgrind.track_event  n={n}  instructions/call={result['figures']['instructions_per_call']}  "
      f"heap allocations/call={result['figures']['heap_allocations_per_call']}")
PY
