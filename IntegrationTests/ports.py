#!/usr/bin/env python3
"""Ports for the integration servers, shared by run.sh, hostile_check.py and the cluster scenarios.

    from ports import free_port          # in Python
    PORT="$(python3 ports.py STATEFILE)"  # in shell: STATEFILE remembers what the run handed out

A port comes from 20000-32000, below Linux's ephemeral range (32768-60999), so no outgoing connection
(a node's ZooKeeper session, an SDK request) can take it between this call and the server's bind; it is
free when handed out and never handed out twice in one run. Binding port 0 gave ephemeral ports, and a
CI run lost a ClickHouse node at start ("node 1 did not start") with nothing to say why.
"""
import os
import random
import socket
import sys

LOW, HIGH = 20000, 32000
_handed_out = set()


def _bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_port(taken=()):
    while True:
        port = random.randint(LOW, HIGH)
        if port not in _handed_out and port not in taken and _bindable(port):
            _handed_out.add(port)
            return port


if __name__ == "__main__":
    state = sys.argv[1] if len(sys.argv) > 1 else None
    taken = set()
    if state and os.path.exists(state):
        with open(state) as f:
            taken = {int(line) for line in f if line.strip()}
    port = free_port(taken)
    if state:
        with open(state, "a") as f:
            f.write(f"{port}\n")
    print(port)
