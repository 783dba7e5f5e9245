"""Delivery: retries that never duplicate, a dead server with bounded memory and warnings, and the flush
at interpreter exit, on an uncaught exception and on SIGTERM."""

import os
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc
import warnings

import pytest

import trackflare
from _helpers import FaultyProxy, free_port, rest


@pytest.fixture
def proxy(server):
    p = FaultyProxy(server.url)
    yield p
    p.close()


def test_retried_batches_and_alerts_are_stored_once(server, project, proxy):
    proxy.fail("/runs", "after", times=1)  # the create itself: stored, answered 503, retried with the same id
    proxy.fail("/logs", "after", times=2)
    proxy.fail("/logs", "reset", times=1)
    proxy.fail("/logs", 429, times=1)
    proxy.fail("/logs", 408, times=1)
    proxy.fail("/alerts", "after", times=1)
    proxy.fail("/finish", "after", times=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = trackflare.init(project=project, name="flaky", url=proxy.url, quiet=True, flush_at=50)
        for i in range(1000):
            trackflare.log({"i": i})
            if i % 100 == 0:
                time.sleep(0.02)
        trackflare.alert("once", level="error")
        trackflare.finish()
    assert not any(f[3] for f in proxy.faults), "every injected fault was hit"
    assert run.stats()["delivered_logs"] == 1000 and run.stats()["delivered_alerts"] == 1
    assert any("retrying with backoff" in str(w.message) for w in caught)
    assert not any("dropped" in str(w.message) or "lost" in str(w.message) for w in caught)
    runs = rest(server, "GET", f"/v1/projects/{project}/runs")["runs"]
    assert [(r["id"], r["status"], r["log_count"]) for r in runs] == [(run.id, "finished", 1000)]
    values = trackflare.Api().run(project, run.id).metric("i")
    assert [p["value"] for p in values] == list(range(1000)) and [p["step"] for p in values] == list(range(1000))
    assert [a["title"] for a in trackflare.Api().alerts(project)] == ["once"]


def test_a_refused_entry_is_dropped_alone_with_a_warning(server, project):
    run = trackflare.init(project=project, quiet=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(10):
            trackflare.log({"ok": i} if i != 4 else {"x" * 300: 1})  # metric names are at most 256 characters
        trackflare.finish()
    assert run.stats()["delivered_logs"] == 9
    assert any("dropped 1 log entry at step 4" in str(w.message) for w in caught)
    assert rest(server, "GET", f"/v1/projects/{project}/runs/{run.id}")["log_count"] == 9


def test_a_dead_server_costs_bounded_memory_and_warnings_never_exceptions(project):
    dead = f"http://127.0.0.1:{free_port()}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = time.monotonic()
        run = trackflare.init(project=project, url=dead, token="tf_none", init_timeout=0.5, max_buffer=2000, max_batch=500, quiet=True)
        assert time.monotonic() - t < 5
        tracemalloc.start()
        for i in range(10_000):
            trackflare.log({"loss": 1 / (i + 1), "acc": i * 1e-4})
        small = tracemalloc.get_traced_memory()[0]
        for i in range(90_000):
            trackflare.log({"loss": 1 / (i + 1), "acc": i * 1e-4})
        big = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        trackflare.alert("unsent", level="error")
        stats = run.stats()
        assert stats["buffered_logs"] <= 2000 + 500
        assert big < small * 1.5, f"memory grew from {small} to {big} bytes while logging 9x more entries"
        run.finish(timeout=1)
    messages = [str(w.message) for w in caught]
    assert any("is unreachable; logging goes on" in m for m in messages)
    assert any("retrying with backoff" in m for m in messages)
    assert any("dropped the" in m and "oldest log entries" in m for m in messages)
    assert any("they are lost" in m for m in messages)
    assert run.finished


def _script(server, project, body, **env):
    code = textwrap.dedent(
        f"""
        import os, signal, sys, time
        import trackflare
        run = trackflare.init(project={project!r}, name="child", quiet=True)
        for i in range(500):
            trackflare.log({{"i": i}})
        """
    ) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env={**os.environ, **env})


def _child(server, project):
    return rest(server, "GET", f"/v1/projects/{project}/runs/child")


def test_exit_without_finish_flushes_and_marks_the_run_finished(server, project):
    r = _script(server, project, "")
    assert r.returncode == 0, r.stderr
    assert (_child(server, project)["log_count"], _child(server, project)["status"]) == (500, "finished")


def test_an_uncaught_exception_flushes_and_marks_the_run_failed(server, project):
    r = _script(server, project, "raise RuntimeError('out of memory')")
    assert r.returncode == 1 and "out of memory" in r.stderr
    assert (_child(server, project)["log_count"], _child(server, project)["status"]) == (500, "failed")


def test_sigterm_flushes_marks_the_run_failed_and_still_dies_of_sigterm(server, project):
    r = _script(server, project, "os.kill(os.getpid(), signal.SIGTERM)\ntime.sleep(30)")
    assert r.returncode == -signal.SIGTERM
    summary = _child(server, project)
    assert (summary["log_count"], summary["status"]) == (500, "failed")
