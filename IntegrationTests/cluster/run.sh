#!/usr/bin/env bash
# `make integration-cluster`: the SDK against a real 2-shard x 2-replica ClickHouse cluster (ZooKeeper
# and four Debian ClickHouse 18.16 servers on 127.0.0.1, with a replica, a shard and ZooKeeper killed
# mid-stream) and a fleet of 50 SDK processes against one receiver and one ClickHouse (cluster_check.py,
# fleet_check.py). Native processes; about ten minutes. Prints `N passed, M failed` last.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f /usr/share/java/zookeeper.jar ] || ! command -v java >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends zookeeper >/dev/null
    else
        echo "ZooKeeper is needed: apt-get install zookeeper (as root)"; exit 1
    fi
fi
command -v clickhouse-server >/dev/null || { echo "Debian's clickhouse-server is needed: apt-get install clickhouse-server"; exit 1; }
VENV="$PWD/.build/integration-venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r IntegrationTests/requirements.txt
swift build -c release --product automagik-telemetry >/dev/null && swift build -c release --product automagik-telemetry-inert-probe >/dev/null || exit 1
BIN="$(swift build -c release --show-bin-path)"
export AUTOMAGIK_CLI="$BIN/automagik-telemetry"
START=$(date +%s)
python3 IntegrationTests/cluster/cluster_check.py "$BIN/automagik-telemetry" "$BIN/automagik-telemetry-inert-probe" | tee /tmp/automagik-cluster.$$.log
CLUSTER=${PIPESTATUS[0]}
python3 IntegrationTests/cluster/fleet_check.py "$BIN/automagik-telemetry-inert-probe" "$VENV/bin/python" | tee /tmp/automagik-fleet.$$.log
FLEET=${PIPESTATUS[0]}
PASSED=$(cat /tmp/automagik-cluster.$$.log /tmp/automagik-fleet.$$.log | grep -c '^PASS ')
FAILED=$(cat /tmp/automagik-cluster.$$.log /tmp/automagik-fleet.$$.log | grep -c '^FAIL ')
rm -f /tmp/automagik-cluster.$$.log /tmp/automagik-fleet.$$.log
echo "integration-cluster: $(( $(date +%s) - START )) s; $PASSED passed, $FAILED failed"
[ "$CLUSTER" = 0 ] && [ "$FLEET" = 0 ] && [ "$FAILED" = 0 ] && [ "$PASSED" -gt 0 ]
