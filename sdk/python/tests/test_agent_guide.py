"""Trackio's agent guide run against Trackflare with only the import changed: the hyperparameter search,
the Step-3 polling loop and the "Comparing Runs" loop (scripts in agent_loop/)."""

import ast
import contextlib
import io
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

import trackflare
from _helpers import rest

HERE = Path(__file__).parent / "agent_loop"


def script(name, timeout=180):
    """Runs a script as an agent would launch it: a fresh interpreter, the server from the environment."""
    r = subprocess.run([sys.executable, str(HERE / name)], capture_output=True, text=True, timeout=timeout, env=os.environ.copy())
    assert r.returncode == 0, r.stderr
    return r


def test_autonomous_hyperparameter_search_then_comparing_runs(server):
    before = {r.id for r in trackflare.Api().runs("auto-hparam-search")} if _exists(server, "auto-hparam-search") else set()
    out = script("hparam_search.py").stdout
    configs = [ast.literal_eval(line[len("Config: "):]) for line in out.splitlines() if line.startswith("Config: ")]
    created = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("* Created new run: ")]
    assert len(configs) == 5 and len(created) == 5
    assert len(set(created)) == 5, "generated names must not repeat within the project"
    assert configs[0] == {"learning_rate": 0.01, "batch_size": 64, "epochs": 30}
    assert configs[1] != configs[0], "the alerts of the first run changed the next config"

    api = trackflare.Api()
    runs = [r for r in api.runs("auto-hparam-search") if r.id not in before]
    assert [r.name for r in runs] == created
    assert [r.config for r in runs] == configs
    assert all(r.status == "finished" for r in runs)
    for r in runs:
        titles = [a["title"] for a in r.alerts()]
        assert titles[0] == "Run complete" and set(titles) <= {"Run complete", "Early stopping", "Training diverged"}
        assert r.summary()["log_count"] == r.last_step + 1

    lines = script("compare_runs.py").stdout.splitlines()
    for r in runs:
        counts = rest(server, "GET", f"/v1/projects/auto-hparam-search/runs/{r.id}")["alert_counts"]
        assert f"{r.name}: {counts['error']} errors, {counts['warn']} warnings, {counts['info']} info" in lines


def _exists(server, project):
    return any(p["name"] == project for p in rest(server, "GET", "/v1/projects")["projects"])


def run_ids(server, project):
    return [r["id"] for r in rest(server, "GET", f"/v1/projects/{project}/runs")["runs"]] if _exists(server, project) else []


def test_step_3_polling_loop_sees_every_alert_once_while_training_runs(server):
    before = run_ids(server, "cifar10-hparam-search")
    training = subprocess.Popen([sys.executable, str(HERE / "train.py")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
    # Trackio's Api raises ValueError for a project that does not exist yet: wait for the script's init.
    deadline = time.monotonic() + 60
    while len(run_ids(server, "cifar10-hparam-search")) == len(before) and time.monotonic() < deadline:
        time.sleep(0.1)
    finished_polls = []
    handled = []

    def training_is_running():
        # One more poll after the script exits, as an agent does, so the last alerts are read too.
        if training.poll() is None:
            return True
        finished_polls.append(1)
        return len(finished_polls) == 1

    class Clock:
        """The guide sleeps 30 s between polls; 0.3 s here."""

        @staticmethod
        def sleep(_seconds):
            time.sleep(0.3)

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(str(HERE / "poll_alerts.py"), init_globals={"training_is_running": training_is_running, "handle_error": handled.append, "time": Clock})
    assert training.wait(60) == 0, training.stderr.read().decode() if training.stderr else ""

    seen = printed.getvalue().splitlines()
    stored = trackflare.Api().alerts("cifar10-hparam-search", run="run-lr0.001-bs64")
    # Newest first within each poll; every stored alert printed exactly once.
    assert sorted(seen) == sorted(f"[{a['level'].upper()}] {a['title']}: {a['text']}" for a in stored)
    assert len(seen) == len(stored) >= 4
    assert [a["title"] for a in handled] == ["Training diverged"]
