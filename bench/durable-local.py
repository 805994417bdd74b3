#!/usr/bin/env python3
"""A local durable workflow from start to result: `orders.ship` (a typed call of `orders.price`, a 1 s wait, a
callback completed by the client), under each local durable execution service, in alternate runs:

- lambda-rt: `bootstrap serve` alone, the emulator being the service. Started with an Event Invoke.
- peer: AWS's `dex-local-runner` (PyPI aws-durable-execution-sdk-python-testing), the same `bootstrap serve`
  serving the function (AWS_ENDPOINT_URL_LAMBDA names the runner). Started with the runner's own call.

Each run: start the execution, read its history every 10 ms until the callback's id shows, complete it,
then read the execution every 10 ms until it succeeded. The 1 s wait is in every figure; what is above it
is the service's (polling included, the same for both).

    cargo build --release -p examples --features durable
    python3 bench/durable-local.py [target/release/bootstrap] [runs]
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

BOOTSTRAP = sys.argv[1] if len(sys.argv) > 1 else "target/release/bootstrap"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1",
               "AWS_DEFAULT_REGION": "us-east-1"}
EXPECTED = '"order o-{n} (250 cents) picked up"'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port):
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.02)
    raise SystemExit(f"nothing listens on {port}")


def call(url, method="GET", body=None, headers=None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, dict(answer.headers), answer.read()


def label(arn):
    return urllib.parse.quote(arn, safe="")


def run_once(service_url, start, n):
    """One execution: its time from start to result, in seconds."""
    begun = time.perf_counter()
    arn = start(n)
    history = f"{service_url}/2025-12-01/durable-executions/{label(arn)}/history"
    callback = None
    while callback is None:
        events = json.loads(call(history)[2])["Events"]
        callback = next((e["CallbackStartedDetails"]["CallbackId"] for e in events
                         if e["EventType"] == "CallbackStarted"), None)
        if callback is None:
            time.sleep(0.01)
    call(f"{service_url}/2025-12-01/durable-execution-callbacks/{label(callback)}/succeed", "POST",
         b'"picked up"')
    execution = f"{service_url}/2025-12-01/durable-executions/{label(arn)}"
    while True:
        described = json.loads(call(execution)[2])
        if described["Status"] != "RUNNING":
            break
        time.sleep(0.01)
    took = time.perf_counter() - begun
    assert described["Status"] == "SUCCEEDED", described
    assert described["Result"] == EXPECTED.format(n=n), described
    return took


def main():
    port, runner_port = free_port(), free_port()
    env = dict(os.environ, **CREDENTIALS, LAMBDA_RT_PORT=str(port))
    for name in ("AWS_LAMBDA_RUNTIME_API", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"):
        env.pop(name, None)
    ours_url = f"http://127.0.0.1:{port}"
    ours = subprocess.Popen([BOOTSTRAP, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)

    peer_port = free_port()
    peer_env = dict(env, LAMBDA_RT_PORT=str(peer_port), AWS_ENDPOINT_URL_LAMBDA=f"http://127.0.0.1:{runner_port}")
    peer = subprocess.Popen([BOOTSTRAP, "serve"], env=peer_env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_for_port(peer_port)
    runner_bin = shutil.which("dex-local-runner")
    if runner_bin is None:
        raise SystemExit("dex-local-runner is not on PATH (pip install aws-durable-execution-sdk-python-testing)")
    configs = json.dumps({"orders.price": {}})
    runner = subprocess.Popen([runner_bin, "start-server", "--host", "127.0.0.1", "--port", str(runner_port),
                               "--lambda-endpoint", f"http://127.0.0.1:{peer_port}", "--function-configs", configs],
                              env=dict(os.environ, **CREDENTIALS), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    wait_for_port(runner_port)
    peer_url = f"http://127.0.0.1:{runner_port}"

    def start_ours(n):
        _, headers, _ = call(f"{ours_url}/2015-03-31/functions/orders.ship/invocations", "POST",
                             json.dumps({"id": f"o-{n}", "quantity": 1}).encode(),
                             {"X-Amz-Invocation-Type": "Event"})
        return headers["x-amz-durable-execution-arn"]

    def start_peer(n):
        body = {"AccountId": "123456789012", "FunctionName": "orders.ship", "FunctionQualifier": "$LATEST",
                "ExecutionName": f"ship-{n}", "ExecutionTimeoutSeconds": 120, "ExecutionRetentionPeriodDays": 1,
                "Input": json.dumps({"id": f"o-{n}", "quantity": 1})}
        _, _, answer = call(f"{peer_url}/start-durable-execution", "POST", json.dumps(body).encode(),
                            {"Content-Type": "application/json"})
        return json.loads(answer)["ExecutionArn"]

    ours_times, peer_times = [], []
    try:
        for n in range(RUNS + 1):
            measured = (run_once(ours_url, start_ours, n), run_once(peer_url, start_peer, n))
            if n > 0:  # the first of each warms up
                ours_times.append(measured[0])
                peer_times.append(measured[1])
    finally:
        for child in (ours, peer, runner):
            child.kill()
            child.wait()
    ours_median, peer_median = statistics.median(ours_times), statistics.median(peer_times)
    print(f"orders.ship (typed call, 1 s wait, callback), start to result, median of {RUNS}:")
    print(f"  lambda-rt (bootstrap serve alone):        {ours_median * 1000:8.1f} ms "
          f"(min {min(ours_times) * 1000:.1f}, max {max(ours_times) * 1000:.1f})")
    print(f"  peer (dex-local-runner + bootstrap serve): {peer_median * 1000:8.1f} ms "
          f"(min {min(peer_times) * 1000:.1f}, max {max(peer_times) * 1000:.1f})")
    print(f"  ratio: {ours_median / peer_median:.2f}; above the 1 s wait: "
          f"{(ours_median - 1) * 1000:.1f} ms vs {(peer_median - 1) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
