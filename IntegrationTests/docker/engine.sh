#!/usr/bin/env bash
# Makes a Docker engine and the integration suite's images available, for `make integration`'s Docker mode.
#
#   engine.sh up STATE_DIR      → on success prints `export NAME=value` lines (DOCKER_HOST, image names);
#                                 on failure prints the reason on its last line and exits non-zero
#   engine.sh down STATE_DIR    → stops the engine this script started (if it started one)
#
# Uses a running engine when `docker info` answers. Otherwise, as root, installs Debian's engine
# (docker.io; AUTOMAGIK_IT_INSTALL_DOCKER=0 forbids it) and starts it with private roots under STATE_DIR:
# no bridge, no iptables (containers use the host's network, everything stays on 127.0.0.1). No image
# registry is needed: the base image is built from Debian's own mirror (debootstrap) and imported as
# debian:bookworm-slim, then the suite's images are built from it with `docker build --network host`:
#   automagik-it/clickhouse:18.16   Debian's clickhouse-server (the same server native mode runs)
#   automagik-it/rotel              the rotel OTLP collector binary from the integration venv
set -uo pipefail
ACTION="${1:?usage: engine.sh up|down STATE_DIR}"
STATE="${2:?usage: engine.sh up|down STATE_DIR}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
mkdir -p "$STATE"

reason() { echo "$1"; exit 1; }

if [ "$ACTION" = down ]; then
    if [ -f "$STATE/dockerd.pid" ]; then
        pid="$(cat "$STATE/dockerd.pid")"
        export DOCKER_HOST="unix://$STATE/docker.sock"
        docker ps -aq 2>/dev/null | xargs -r docker rm -f >/dev/null 2>&1
        kill "$pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
        rm -f "$STATE/dockerd.pid"
    fi
    exit 0
fi

# 1. An engine: the one already running, or Debian's, started privately.
if ! docker info >/dev/null 2>&1; then
    export DOCKER_HOST="unix://$STATE/docker.sock"
    if ! docker info >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || reason "no Docker engine answers and starting one needs root"
        if ! command -v dockerd >/dev/null; then
            [ "${AUTOMAGIK_IT_INSTALL_DOCKER:-1}" != 0 ] || reason "no Docker engine and AUTOMAGIK_IT_INSTALL_DOCKER=0"
            command -v apt-get >/dev/null || reason "no Docker engine and no apt-get to install one"
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io; } \
                >"$STATE/apt.log" 2>&1 || reason "installing docker.io failed (see $STATE/apt.log)"
        fi
        mkdir -p "$STATE/data" "$STATE/exec"
        dockerd --bridge=none --iptables=false --ip-masq=false --data-root "$STATE/data" --exec-root "$STATE/exec" \
            -H "$DOCKER_HOST" -p "$STATE/dockerd.pid" >"$STATE/dockerd.log" 2>&1 &
        for _ in $(seq 1 150); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
        docker info >/dev/null 2>&1 || reason "dockerd did not answer within 30 s (see $STATE/dockerd.log)"
    fi
fi

# 2. The base image, from Debian's mirror (no registry).
if ! docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
    if [ ! -s "$STATE/rootfs.tar" ]; then
        command -v debootstrap >/dev/null || {
            [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >>"$STATE/apt.log" 2>&1
        } || reason "debootstrap is missing and could not be installed"
        rm -rf "$STATE/rootfs"
        debootstrap --variant=minbase bookworm "$STATE/rootfs" >"$STATE/debootstrap.log" 2>&1 \
            || reason "debootstrap failed (see $STATE/debootstrap.log)"
        tar -C "$STATE/rootfs" -cf "$STATE/rootfs.tar" . && rm -rf "$STATE/rootfs"
    fi
    docker import "$STATE/rootfs.tar" debian:bookworm-slim >/dev/null || reason "docker import of the base image failed"
fi

# 3. The suite's images (cached by the engine's build cache between runs on one machine).
docker build --network host -q -t automagik-it/clickhouse:18.16 "$HERE/it-clickhouse" >"$STATE/build-clickhouse.log" 2>&1 \
    || reason "building automagik-it/clickhouse failed (see $STATE/build-clickhouse.log)"
ROTEL="$("$ROOT/.build/integration-venv/bin/python" -c 'import os, rotel; print(os.path.join(os.path.dirname(rotel.__file__), "rotel-agent"))' 2>/dev/null)"
[ -x "$ROTEL" ] || reason "the rotel binary is not in the integration venv"
CONTEXT="$STATE/rotel-context"
mkdir -p "$CONTEXT" && cp "$HERE/it-rotel/Dockerfile" "$CONTEXT/" && cp "$ROTEL" "$CONTEXT/rotel-agent"
docker build --network host -q -t automagik-it/rotel "$CONTEXT" >"$STATE/build-rotel.log" 2>&1 \
    || reason "building automagik-it/rotel failed (see $STATE/build-rotel.log)"

echo "export DOCKER_HOST=${DOCKER_HOST:-}"
echo "export AUTOMAGIK_IT_CLICKHOUSE_IMAGE=automagik-it/clickhouse:18.16"
echo "export AUTOMAGIK_IT_ROTEL_IMAGE=automagik-it/rotel"
echo "export AUTOMAGIK_IT_DOCKER_ENGINE='$(docker version --format '{{.Server.Version}}' 2>/dev/null)'"
