"""init / log / log_system / alert / finish with Trackio's names and semantics, read back from the server."""

import math
import time
import re
import warnings

import pytest

import trackflare
from _helpers import rest, trackio_call


class FakeScalar:
    """Stands in for a numpy or torch scalar: only ``.item()``, so the client must not need either package."""

    def __init__(self, v: float):
        self.v = v

    def item(self) -> float:
        return self.v


def test_a_run_round_trips_config_values_and_status(server, project):
    run = trackflare.init(project=project, name="lr-0.01", group="sweep", config={"lr": 0.01, "augment": {"hflip": True}}, quiet=True)
    assert re.fullmatch(r"[0-9a-f]{32}", run.id)
    assert (run.name, run.config) == ("lr-0.01", {"lr": 0.01, "augment": {"hflip": True}})
    assert trackflare.config == {"lr": 0.01, "augment": {"hflip": True}}
    for i in range(250):
        trackflare.log({"loss": 1 / (i + 1), "scalar": FakeScalar(i * 0.5), "nested": {"a": i, "b": [1, 2]}})
    trackflare.log({"nan": math.nan, "inf": math.inf, "ninf": -math.inf, "deep": {"x": math.nan}})
    trackflare.finish()
    assert run.stats()["delivered_logs"] == 251

    summary = rest(server, "GET", f"/v1/projects/{project}/runs/{run.id}")
    assert (summary["status"], summary["log_count"], summary["last_step"], summary["group"]) == ("finished", 251, 250, "sweep")
    assert summary["config"] == {"lr": 0.01, "augment": {"hflip": True}}
    api = trackflare.Api()
    stored = api.run(project, run.id)
    assert [p["value"] for p in stored.metric("scalar")][:3] == [0, 0.5, 1]
    assert stored.metric("nested", step=7)[0]["value"] == {"a": 7, "b": [1, 2]}
    last = {name: stored.metric(name)[0]["value"] for name in ("nan", "inf", "ninf", "deep")}
    assert math.isnan(last["nan"]) and last["inf"] == math.inf and last["ninf"] == -math.inf
    assert last["deep"] == {"x": "NaN"}


def test_steps_follow_trackios_client_side_rule(server, project):
    run = trackflare.init(project=project, quiet=True)
    for step in (None, None, 10, None, 3, None):
        trackflare.log({"x": 1}, step=step)
    trackflare.alert("checkpoint")
    trackflare.finish()
    points = trackflare.Api().run(project, run.id).metric("x")
    assert [p["step"] for p in points] == [0, 1, 3, 10, 11, 12]
    assert [a["step"] for a in trackflare.Api().alerts(project)] == [12]


def test_alert_accepts_members_and_strings_and_prints_trackios_line(server, project, capsys):
    trackflare.init(project=project, name="levels")
    trackflare.log({"loss": 1.0})
    trackflare.alert("milestone", "half way", level=trackflare.AlertLevel.INFO)
    trackflare.alert("lr too high")
    trackflare.alert("diverged", "loss is NaN", level="error")
    trackflare.alert("shouting", level="ERROR")
    with pytest.warns(trackflare.TrackflareWarning, match="level must be info, warn or error"):
        trackflare.alert("bad level", level="fatal")
    trackflare.finish()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "* Created new run: levels"
    assert out[1:5] == [
        "[TRACKFLARE INFO] milestone: half way (step 0)",
        "[TRACKFLARE WARN] lr too high (step 0)",
        "[TRACKFLARE ERROR] diverged: loss is NaN (step 0)",
        "[TRACKFLARE ERROR] shouting (step 0)",
    ]
    alerts = trackflare.Api().alerts(project, run="levels")
    assert [(a["title"], a["level"]) for a in alerts] == [("shouting", "error"), ("diverged", "error"), ("lr too high", "warn"), ("milestone", "info")]
    assert set(alerts[0]) == {"timestamp", "run", "title", "text", "level", "step", "cursor", "run_id"}


def test_generated_names_do_not_repeat_within_a_project(server, project):
    names = []
    for _ in range(4):
        names.append(trackflare.init(project=project, quiet=True).name)
        trackflare.log({"x": 1})
        trackflare.finish()
    assert len(set(names)) == 4
    assert all(re.fullmatch(r"[a-z]+-[a-z]+-\d+", n) for n in names)
    assert [r.name for r in trackflare.Api().runs(project)] == names


def test_resume_never_allow_and_must(server, project):
    first = trackflare.init(project=project, name="r", quiet=True)
    for _ in range(5):
        trackflare.log({"x": 1})
    trackflare.finish()
    second = trackflare.init(project=project, name="r", resume="never", quiet=True)
    trackflare.finish()
    assert second.id != first.id

    resumed = trackflare.init(project=project, name="r", resume="allow", quiet=True)
    assert resumed.id == second.id  # the newest run with the name
    trackflare.finish()
    again = trackflare.init(project=project, name="r", resume="must", quiet=True)
    assert again.id == second.id
    trackflare.finish()
    back = trackflare.init(project=project, name="r", resume="allow", quiet=True)
    trackflare.finish()
    assert back.id == second.id

    with pytest.raises(ValueError, match=f"Run 'nobody' does not exist in project '{project}'"):
        trackflare.init(project=project, name="nobody", resume="must", quiet=True)
    fresh = trackflare.init(project=project, name="new-name", resume="allow", quiet=True)
    assert fresh.id not in (first.id, second.id)
    trackflare.finish()
    with pytest.raises(ValueError, match="resume"):
        trackflare.init(project=project, name="r", resume="sometimes")


def test_resumed_run_continues_after_its_last_step(server, project):
    trackflare.init(project=project, name="long", quiet=True)
    for _ in range(7):
        trackflare.log({"x": 1})
    trackflare.finish()
    run = trackflare.init(project=project, name="long", resume="allow", quiet=True)
    trackflare.log({"x": 2})
    trackflare.finish()
    steps = [p["step"] for p in trackflare.Api().run(project, run.id).metric("x")]
    assert steps == list(range(8))


def test_reserved_keys_are_renamed_with_a_warning(server, project):
    run = trackflare.init(project=project, quiet=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trackflare.log({"step": 5, "loss": 1})
        trackflare.finish()
    assert any("'__step'" in str(w.message) for w in caught)
    assert trackflare.Api().run(project, run.id).summary()["metrics"] == ["__step", "loss"]


def test_bad_arguments_raise_before_the_run_and_nothing_raises_after(server, project):
    with pytest.raises(ValueError, match="reserved"):
        trackflare.init(project=project, config={"_secret": 1})
    with pytest.raises(RuntimeError, match="init"):
        trackflare.log({"x": 1})
    trackflare.init(project=project, quiet=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trackflare.log("not a dict")  # type: ignore[arg-type]
        trackflare.log({"x": 1}, step=-3)
        trackflare.alert("")
        trackflare.log({"x": object()})
        trackflare.finish()
        trackflare.log({"x": 1}) if trackflare.current_run() else None
    messages = " | ".join(str(w.message) for w in caught)
    assert "needs a dict" in messages and "non-negative integer" in messages and "non-empty title" in messages
    assert "not JSON" in messages


def test_log_system_is_stored_with_the_clients_time(server, project):
    run = trackflare.init(project=project, name="sys", quiet=True)
    trackflare.log({"loss": 1})
    trackflare.log_system({"gpu/0/utilization": 87.5, "cpu/utilization": 12})
    trackflare.log_system({"gpu/0/utilization": 90})
    trackflare.finish()
    assert run.stats()["delivered_system"] == 2
    rows = trackio_call(server, "get_system_logs", project=project, run="sys")
    assert [r["gpu/0/utilization"] for r in rows] == [87.5, 90]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00", r["timestamp"]) for r in rows)


def test_alert_webhook_url_reaches_its_own_receiver_at_the_runs_min_level(server, project):
    """Trackio's ``alert(webhook_url=...)``: the server delivers that alert to that URL instead of the
    run's, at the run's ``webhook_min_level``; a URL it refuses drops only that alert, with a warning."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            received.append((self.path, json.loads(body)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        run = trackflare.init(project=project, name="own-hooks", webhook_url=f"{base}/run", webhook_min_level="warn")
        run.log({"loss": 1.0})
        run.alert("to the run", level="error")
        run.alert("to its own", level="warn", webhook_url=f"{base}/own")
        run.alert("below the min level", level="info", webhook_url=f"{base}/own")
        with pytest.warns(trackflare.TrackflareWarning, match="webhook_url"):
            run.alert("refused url", level="error", webhook_url="https://169.254.169.254/latest")
            run.finish()
        deadline = time.time() + 20
        while len(received) < 2 and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        assert sorted((path, body["title"], body["level"]) for path, body in received) == [("/own", "to its own", "warn"), ("/run", "to the run", "error")]
        titles = [a["title"] for a in trackflare.Api().alerts(project, run="own-hooks")]
        assert sorted(titles) == ["below the min level", "to its own", "to the run"]
    finally:
        httpd.shutdown()
