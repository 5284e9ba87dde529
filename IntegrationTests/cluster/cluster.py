"""A real 2-shard x 2-replica ClickHouse cluster on 127.0.0.1: one ZooKeeper and four Debian
ClickHouse 18.16 servers, each its own process with its own ports, data and macros.

    cluster = Cluster(workdir); cluster.start(); ...; cluster.stop()

Nodes are numbered 1-4: shard 1 = nodes 1 and 2, shard 2 = nodes 3 and 4. `kill(n)` sends SIGKILL,
`restart(n)` starts the node again on its data; `stop_zookeeper()` / `start_zookeeper()` likewise.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from ports import free_port  # noqa: E402,F401  (fleet_check and cluster_check import it from here)

CLUSTER = "automagik"
USER, PASSWORD = "telemetry", "s3cret-pass"


class Cluster:
    def __init__(self, workdir):
        self.workdir = workdir
        self.zk_port = free_port()
        self.nodes = {}
        for number in range(1, 5):
            self.nodes[number] = {
                "http": free_port(), "tcp": free_port(), "interserver": free_port(),
                "shard": "01" if number <= 2 else "02", "replica": f"node{number}",
                "dir": os.path.join(workdir, f"node{number}"), "process": None,
            }
        self.zk_process = None

    # --- processes

    def start(self, attempts=3):
        """Starts ZooKeeper and the four nodes. A node that fails to come up is reported with its log,
        and the nodes are started again on fresh ports (the ports are in every node's configuration)."""
        self.start_zookeeper()
        for attempt in range(1, attempts + 1):
            for number in self.nodes:
                self._write_config(number)
                self.restart(number, wait=False)
            try:
                for number in self.nodes:
                    self.wait_ready(number)
                return
            except RuntimeError as failure:
                print(f"cluster start attempt {attempt}: {failure}", file=sys.stderr, flush=True)
                for number in self.nodes:
                    self.kill(number)
                if attempt == attempts:
                    raise
                for node in self.nodes.values():
                    node.update(http=free_port(), tcp=free_port(), interserver=free_port())

    def start_zookeeper(self):
        zk_dir = os.path.join(self.workdir, "zookeeper")
        os.makedirs(os.path.join(zk_dir, "data"), exist_ok=True)
        with open(os.path.join(zk_dir, "zoo.cfg"), "w") as f:
            f.write(f"tickTime=500\ndataDir={zk_dir}/data\nclientPort={self.zk_port}\n"
                    "clientPortAddress=127.0.0.1\nadmin.enableServer=false\nmaxClientCnxns=500\n")
        log = open(os.path.join(zk_dir, "out.log"), "ab")
        self.zk_process = subprocess.Popen(
            ["java", "-Xmx256m", "-cp", "/etc/zookeeper/conf_example:/usr/share/java/zookeeper.jar:/usr/share/java/*",
             "org.apache.zookeeper.server.ZooKeeperServerMain", os.path.join(zk_dir, "zoo.cfg")],
            stdout=log, stderr=log, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.zk_port), 1) as s:
                    s.sendall(b"srvr")
                    if b"Mode" in s.recv(1000):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("ZooKeeper did not start")

    def stop_zookeeper(self):
        if self.zk_process:
            self.zk_process.send_signal(signal.SIGKILL)
            self.zk_process.wait()
            self.zk_process = None

    def kill(self, number):
        process = self.nodes[number]["process"]
        if process:
            process.send_signal(signal.SIGKILL)
            process.wait()
            self.nodes[number]["process"] = None

    def restart(self, number, wait=True):
        node = self.nodes[number]
        log = open(os.path.join(node["dir"], "log", "stdout.log"), "ab")
        node["process"] = subprocess.Popen(
            ["clickhouse-server", f"--config-file={node['dir']}/config.xml"],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        if wait:
            self.wait_ready(number)

    def wait_ready(self, number, timeout=120):
        """Waits until node `number` answers a query. A node whose process exited is started once more
        (a lost bind race, a crash at start); failure raises with the
        tail of the node's logs, so CI says why."""
        deadline = time.time() + timeout
        relaunched = False
        while time.time() < deadline:
            try:
                if self.query(number, "SELECT 1", timeout=5).strip() == "1":
                    return
            except Exception:
                pass
            process = self.nodes[number]["process"]
            if process is not None and process.poll() is not None:
                if relaunched:
                    break
                print(f"node {number} exited with {process.returncode} while starting:\n{self.log_tail(number)}",
                      file=sys.stderr, flush=True)
                relaunched = True
                self.restart(number, wait=False)
            time.sleep(0.2)
        raise RuntimeError(f"node {number} did not start:\n{self.log_tail(number)}")

    def log_tail(self, number, lines=15):
        tails = []
        for name in ("error.log", "stdout.log"):
            path = os.path.join(self.nodes[number]["dir"], "log", name)
            try:
                with open(path, errors="replace") as f:
                    tail = f.read().splitlines()[-lines:]
            except OSError:
                continue
            tails.append(f"--- {name} (ports http {self.nodes[number]['http']}, tcp {self.nodes[number]['tcp']}, "
                         f"interserver {self.nodes[number]['interserver']})\n" + "\n".join(tail))
        return "\n".join(tails) or "(no log written)"

    def stop(self):
        for number in self.nodes:
            self.kill(number)
        self.stop_zookeeper()

    # --- queries

    def url(self, number):
        return f"http://127.0.0.1:{self.nodes[number]['http']}"

    def query(self, number, sql, timeout=30):
        request = urllib.request.Request(self.url(number) + "/", data=sql.encode(), method="POST")
        request.add_header("X-ClickHouse-User", USER)
        request.add_header("X-ClickHouse-Key", PASSWORD)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read().decode()

    def scalar(self, number, sql):
        return int(self.query(number, sql).strip() or 0)

    # --- configuration

    def _write_config(self, number):
        node = self.nodes[number]
        directory = node["dir"]
        for sub in ("data", "tmp", "user_files", "format_schemas", "log"):
            os.makedirs(os.path.join(directory, sub), exist_ok=True)
        shards = ""
        for shard in ("01", "02"):
            replicas = "".join(
                f"<replica><host>127.0.0.1</host><port>{n['tcp']}</port></replica>"
                for n in self.nodes.values() if n["shard"] == shard)
            shards += f"<shard><internal_replication>true</internal_replication>{replicas}</shard>"
        with open(os.path.join(directory, "config.xml"), "w") as f:
            f.write(f"""<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>{directory}/log/server.log</log><errorlog>{directory}/log/error.log</errorlog><console>0</console></logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>{node['http']}</http_port>
    <tcp_port>{node['tcp']}</tcp_port>
    <interserver_http_port>{node['interserver']}</interserver_http_port>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <path>{directory}/data/</path>
    <tmp_path>{directory}/tmp/</tmp_path>
    <user_files_path>{directory}/user_files/</user_files_path>
    <format_schema_path>{directory}/format_schemas/</format_schema_path>
    <users_config>{directory}/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>5368709</mark_cache_size>
    <max_concurrent_queries>100</max_concurrent_queries>
    <remote_servers><{CLUSTER}>{shards}</{CLUSTER}></remote_servers>
    <zookeeper><node><host>127.0.0.1</host><port>{self.zk_port}</port></node><session_timeout_ms>6000</session_timeout_ms></zookeeper>
    <macros><shard>{node['shard']}</shard><replica>{node['replica']}</replica></macros>
    <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
</yandex>
""")
        with open(os.path.join(directory, "users.xml"), "w") as f:
            f.write(f"""<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>1000000000</max_memory_usage></default></profiles>
    <users>
        <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
        <{USER}><password>{PASSWORD}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></{USER}>
    </users>
    <quotas><default></default></quotas>
</yandex>
""")
