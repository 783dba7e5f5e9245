"""A server killed and restarted mid-run (same port, same state): every entry stored exactly once, and a
blocking wait re-issued through the outage still returns the alert raised after it."""

import shutil
import tempfile
import threading
import time
import uuid
import warnings

import pytest

import trackflare
from _helpers import Server, ServerProcess, free_port, rest

TOTAL = 3000


@pytest.fixture
def restartable():
    persist = tempfile.mkdtemp(prefix="trackflare-restart-")
    srv = ServerProcess(free_port(), persist, f"tf_admin_restart_{uuid.uuid4().hex[:8]}").start()
    yield srv
    srv.stop()
    shutil.rmtree(persist, ignore_errors=True)


def test_restart_mid_run_stores_exactly_n_entries_and_the_wait_survives(restartable):
    srv = restartable
    project = "restart"
    api = trackflare.Api(url=srv.url, token=srv.token)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = trackflare.init(project=project, url=srv.url, token=srv.token, quiet=True, finish_timeout=180)
        trackflare.alert("before restart", level="info")
        run.flush()
        waited = {}
        start_cursor = api.alerts(project)[0]["cursor"]
        waiter = threading.Thread(target=lambda: waited.update(api.wait_for_alerts(project, cursor=start_cursor, min_level="error", timeout=240)))
        waiter.start()

        for i in range(TOTAL // 2):
            trackflare.log({"i": i, "loss": 1 / (i + 1)})
            if i % 100 == 99:
                time.sleep(0.02)
        run.flush()
        srv.stop()
        delivered_before = run.stats()["delivered_logs"]
        for i in range(TOTAL // 2, TOTAL):
            trackflare.log({"i": i, "loss": 1 / (i + 1)})
            if i % 100 == 99:
                time.sleep(0.02)
        assert run.stats()["delivered_logs"] == delivered_before < TOTAL
        srv.start()
        trackflare.alert("after restart", "back up", level="error")
        trackflare.finish()
        waiter.join(240)

    assert run.stats()["delivered_logs"] == TOTAL and run.stats()["buffered_logs"] == 0
    messages = [str(w.message) for w in caught]
    assert any("retrying with backoff" in m for m in messages)
    assert not any("dropped" in m or "lost" in m or "could not mark" in m for m in messages)
    summary = rest(Server(srv.url, srv.token), "GET", f"/v1/projects/{project}/runs/{run.id}")
    assert (summary["log_count"], summary["last_step"], summary["status"]) == (TOTAL, TOTAL - 1, "finished")
    values = api.run(project, run.id).metric("i")
    assert [(p["step"], p["value"]) for p in values] == [(k, k) for k in range(TOTAL)]
    assert [a["title"] for a in waited["alerts"]] == ["after restart"]
    assert [a["title"] for a in api.alerts(project)] == ["after restart", "before restart"]
