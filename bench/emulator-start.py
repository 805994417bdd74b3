#!/usr/bin/env python3
"""Time from exec of `bootstrap` (no AWS_LAMBDA_RUNTIME_API: the embedded emulator) to the emulator being
ready (its start-up line) and to its first answered invocation, median of 20 starts.

    cargo build --release -p examples && python3 bench/emulator-start.py [target/release/bootstrap]
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import time

bootstrap = sys.argv[1] if len(sys.argv) > 1 else "target/release/bootstrap"
env = dict(os.environ, LAMBDA_RT_PORT="0")
env.pop("AWS_LAMBDA_RUNTIME_API", None)
ready, answered = [], []
for _ in range(20):
    start = time.perf_counter()
    child = subprocess.Popen([bootstrap], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    line = child.stderr.readline()
    ready.append((time.perf_counter() - start) * 1000)
    host, port = re.search(r"http://([\d.]+):(\d+)", line).groups()
    with socket.create_connection((host, int(port))) as conn:
        conn.sendall(b"POST /2015-03-31/functions/hello.ALB/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        assert b" 200 " in conn.recv(4096)
    answered.append((time.perf_counter() - start) * 1000)
    child.kill()
    child.wait()
print(f"exec -> emulator ready: median {statistics.median(ready):.2f} ms (min {min(ready):.2f}, max {max(ready):.2f})")
print(f"exec -> first invocation answered: median {statistics.median(answered):.2f} ms")
