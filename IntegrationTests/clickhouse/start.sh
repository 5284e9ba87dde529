#!/usr/bin/env bash
# Starts a throwaway ClickHouse server (Debian's package) on 127.0.0.1 without systemd.
#   start.sh DIR PORT      → prints the server PID (also in DIR/pid); data, logs and config live under DIR.
# Running it again on the same DIR restarts the server on the same data. With AUTOMAGIK_IT_CLICKHOUSE_IMAGE
# set (make integration's Docker mode) the server runs in that image's container instead.
# Users: `telemetry` / `s3cret-pass` (and `default` without password), local connections only.
set -euo pipefail
DIR="$1"
PORT="$2"
BIN="$(command -v clickhouse-server || echo /usr/bin/clickhouse-server)"
mkdir -p "$DIR"/{data,tmp,user_files,format_schemas,log}
cat > "$DIR/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$DIR/log/server.log</log><errorlog>$DIR/log/error.log</errorlog><console>0</console></logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$PORT</http_port>
    <tcp_port>$((PORT + 1))</tcp_port>
    <path>$DIR/data/</path>
    <tmp_path>$DIR/tmp/</tmp_path>
    <user_files_path>$DIR/user_files/</user_files_path>
    <format_schema_path>$DIR/format_schemas/</format_schema_path>
    <users_config>$DIR/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>5368709</mark_cache_size>
    <max_concurrent_queries>50</max_concurrent_queries>
</yandex>
XML
cat > "$DIR/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
    <users>
        <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
        <telemetry><password>s3cret-pass</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></telemetry>
    </users>
    <quotas><default></default></quotas>
</yandex>
XML
if [ -n "${AUTOMAGIK_IT_CLICKHOUSE_IMAGE:-}" ]; then
    # Docker mode: the same server in a container on the host's network, config and data bind-mounted;
    # the pid file holds the container's main process as the host sees it, so SIGKILL works the same.
    NAME="automagik-it-clickhouse-$PORT"
    docker rm -f "$NAME" >/dev/null 2>&1 || true
    docker run -d --name "$NAME" --network host -v "$DIR:$DIR" "$AUTOMAGIK_IT_CLICKHOUSE_IMAGE" --config-file="$DIR/config.xml" >/dev/null
    PID="$(docker inspect -f '{{.State.Pid}}' "$NAME")"
    echo "$PID" > "$DIR/pid"
    echo "$PID"
    exit 0
fi
setsid "$BIN" --config-file="$DIR/config.xml" >"$DIR/log/stdout.log" 2>&1 < /dev/null &
echo $! > "$DIR/pid"
echo $!
