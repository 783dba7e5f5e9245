"""The Python client's figures, printed as one JSON object on the last line (run by bench/python.mjs).

(1) ``log()`` per call, amortised over CALLS calls of 3 metrics, as bench:sdk measures the TypeScript SDK: the
time spent inside log() (the training loop's cost), with the sender draining between chunks of 10,000 calls,
and the client's whole CPU per entry with batching and JSON, against a transport that accepts at once. With the
GIL, the sender's CPU is also taken from the training thread while it runs, so both figures matter. (2) End to end: E2E_RUNS runs logging
E2E_METRICS metrics per entry into the server at BENCH_URL, from the first log() until every finish() returns,
then each run's stored entry count is checked."""

import json
import math
import os
import sys
import time
import urllib.request

import trackflare
from trackflare.run import Run

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
CALLS = int(300_000 * SCALE)
CHUNK = 10_000
E2E_RUNS = 8
E2E_ENTRIES = int(25_000 * SCALE)
E2E_METRICS = 10


class AcceptAll:
    url = "http://bench.invalid"

    def request(self, method, path, query=None, body=None, timeout=None):
        return {"accepted": 0, "duplicates": 0, "last_step": None}

    def close(self):
        pass


def log_call_cost():
    opts = {"quiet": True, "flush_at": 10 * CHUNK, "flush_interval": 3600}  # the sender drains only when asked
    run = Run(AcceptAll(), "bench", {"id": "0" * 32}, {"id": "0" * 32, "name": "bench", "config": {}, "last_step": None}, opts)
    for i in range(50_000):
        run.log({"loss": 1 / (i + 1), "acc": i * 1e-6, "lr": 0.001})
    run.flush()
    in_log = 0.0
    cpu0 = time.process_time()
    for done in range(0, CALLS, CHUNK):
        t = time.perf_counter()
        for i in range(done, done + CHUNK):
            run.log({"loss": 1 / (i + 1), "acc": i * 1e-6, "lr": 0.001})
        in_log += time.perf_counter() - t
        run.flush()
    cpu = time.process_time() - cpu0
    run.finish()
    stats = run.stats()
    if stats["buffered_logs"] or stats["delivered_logs"] != CALLS + 50_000:
        raise SystemExit(f"entries not delivered: {stats}")
    return {"log_call_us": in_log * 1e6 / CALLS, "sdk_cpu_us_per_entry": cpu * 1e6 / CALLS}


def end_to_end(url, key):
    project = "bench-python"
    runs = [trackflare.start_run(project=project, name=f"run-{r}", url=url, token=key, quiet=True, exit_hook=False, finish_timeout=600) for r in range(E2E_RUNS)]
    names = [f"train/m{j}" for j in range(E2E_METRICS)]
    t = time.perf_counter()
    for i in range(E2E_ENTRIES):
        for r, run in enumerate(runs):
            run.log({n: math.sin(i / 100 + j) + r for j, n in enumerate(names)})
    for run in runs:
        run.finish()
    seconds = time.perf_counter() - t
    for run in runs:
        req = urllib.request.Request(f"{url}/v1/projects/{project}/runs/{run.id}", headers={"authorization": f"Bearer {key}"})
        with urllib.request.urlopen(req) as res:
            count = json.loads(res.read())["log_count"]
        if count != E2E_ENTRIES:
            raise SystemExit(f"{run.name}: {count} of {E2E_ENTRIES} entries stored")
    points = E2E_RUNS * E2E_ENTRIES * E2E_METRICS
    return {"points_per_s": points / seconds, "entries_per_s": E2E_RUNS * E2E_ENTRIES / seconds, "seconds": seconds, "points": points}


cost = log_call_cost()
print(f"log(): {cost['log_call_us']:.3f} µs per call inside log(), {cost['sdk_cpu_us_per_entry']:.3f} µs CPU per entry with batching and JSON ({CALLS} calls)", file=sys.stderr)
e2e = end_to_end(os.environ["BENCH_URL"], os.environ["BENCH_KEY"])
print(f"end to end: {e2e['points']} points ({E2E_RUNS} runs × {E2E_ENTRIES} entries × {E2E_METRICS} metrics) stored in {e2e['seconds']:.2f} s", file=sys.stderr)
print(json.dumps({
    "log_call_us": round(cost["log_call_us"], 3),
    "sdk_cpu_us_per_entry": round(cost["sdk_cpu_us_per_entry"], 3),
    "points_per_s": round(e2e["points_per_s"]),
    "entries_per_s": round(e2e["entries_per_s"]),
}))
