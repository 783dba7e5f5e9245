"""trackflare.Api: Trackio's reading shapes against the server, plus cursors, waits, watches and comparison."""

import threading
import time

import pytest

import trackflare
from _helpers import rest


def seed(project, name, losses, config=None, alerts=()):
    run = trackflare.init(project=project, name=name, config=config or {}, quiet=True)
    for loss in losses:
        trackflare.log({"val_loss": loss, "val_accuracy": 1 - loss})
    for title, level in alerts:
        trackflare.alert(title, f"{title} in {name}", level=level)
    trackflare.finish()
    return run


def test_alerts_returns_every_match_newest_first_across_pages(server, project):
    run = trackflare.init(project=project, name="many", quiet=True)
    trackflare.finish()
    for start in range(0, 2500, 1000):
        rest(server, "POST", f"/v1/projects/{project}/alerts", {"alerts": [{"run": run.id, "title": f"a{i}", "level": "info", "alert_id": f"{run.id}-{i}"} for i in range(start, min(start + 1000, 2500))]})
    alerts = trackflare.Api().alerts(project)
    assert len(alerts) == 2500
    assert [a["title"] for a in alerts[:2]] == ["a2499", "a2498"] and alerts[-1]["title"] == "a0"
    cursor = alerts[10]["cursor"]
    newer = trackflare.Api().alerts(project, cursor=cursor)
    assert [a["title"] for a in newer] == [a["title"] for a in alerts[:10]]


def test_unknown_projects_raise_value_error_as_trackio(server, project):
    api = trackflare.Api()
    with pytest.raises(ValueError, match=f"Project '{project}' does not exist"):
        api.alerts(project)
    runs = api.runs(project)  # lazy: nothing fetched yet
    with pytest.raises(ValueError, match=f"Project '{project}' does not exist"):
        len(runs)


def test_runs_are_lazy_sized_indexable_and_carry_config_status_alerts(server, project):
    a = seed(project, "a", [0.9, 0.5, 0.7], {"lr": 0.1}, [("diverging", "error"), ("slow", "warn")])
    b = seed(project, "b", [0.8, 0.3], {"lr": 0.01}, [("done", "info")])
    runs = trackflare.Api().runs(project)
    assert len(runs) == 2 and [r.name for r in runs] == ["a", "b"] and runs[1].id == b.id
    assert repr(runs[0]) == f"<Run a in project {project}>"
    assert (runs[0].config, runs[0].status, runs[0].last_step, runs[0].log_count) == ({"lr": 0.1}, "finished", 2, 3)
    assert [x["title"] for x in runs[0].alerts()] == ["slow", "diverging"]
    assert [x["title"] for x in runs[0].alerts(level="error")] == ["diverging"]
    summary = runs[0].summary()
    assert summary["metrics"] == ["val_accuracy", "val_loss"] and summary["alert_counts"] == {"info": 0, "warn": 1, "error": 1}
    assert [p["value"] for p in runs[0].metric("val_loss")] == [0.9, 0.5, 0.7]
    assert len(runs[0].metric("val_loss", max_points=2)) == 2

    renamed = runs[0].rename("a-renamed")
    assert renamed.name == "a-renamed"
    assert [x["run"] for x in trackflare.Api().alerts(project, run="a-renamed")] == ["a-renamed", "a-renamed"]
    assert runs[1].delete() is True and runs[1].delete() is False
    assert [r.id for r in trackflare.Api().runs(project)] == [a.id]


def test_wait_for_alerts_returns_as_soon_as_one_matches_and_times_out_otherwise(server, project):
    run = trackflare.init(project=project, name="w", quiet=True)
    api = trackflare.Api()
    trackflare.alert("minor", level="info")
    trackflare.current_run().flush()
    t = time.monotonic()
    empty = api.wait_for_alerts(project, min_level="error", timeout=1.5)
    assert empty["timed_out"] is True and empty["alerts"] == [] and time.monotonic() - t >= 1.4

    threading.Timer(1.0, lambda: trackflare.alert("boom", "loss is NaN", level="error")).start()
    got = api.wait_for_alerts(project, cursor=empty["next_cursor"], min_level="error", timeout=30)
    assert got["timed_out"] is False and [a["title"] for a in got["alerts"]] == ["boom"]
    assert got["next_cursor"] == got["alerts"][0]["cursor"]
    trackflare.finish()
    assert run.stats()["delivered_alerts"] == 2


def test_watch_alerts_iterates_as_alerts_come_and_resumes_from_its_cursor(server, project):
    trackflare.init(project=project, name="watched", quiet=True)
    api = trackflare.Api()
    watch = api.watch_alerts(project, min_level="warn", timeout=60)
    raised = threading.Thread(target=lambda: [trackflare.alert(t, level=lv) for t, lv in [("one", "warn"), ("skip", "info"), ("two", "error")]])
    threading.Timer(0.5, raised.start).start()
    seen = [next(watch)["title"], next(watch)["title"]]
    assert seen == ["one", "two"]
    trackflare.alert("three", level="warn")
    resumed = api.watch_alerts(project, cursor=watch.cursor, min_level="warn", timeout=30)
    assert next(resumed)["title"] == "three"
    resumed.close()
    assert list(resumed) == []
    trackflare.finish()


def test_compare_runs_finds_the_best_run_per_metric_and_the_differing_config(server, project):
    a = seed(project, "lr-0.1", [0.9, 0.4, 0.6], {"lr": 0.1, "bs": 64})
    b = seed(project, "lr-0.01", [0.8, 0.5, 0.45], {"lr": 0.01, "bs": 64})
    cmp = trackflare.Api().compare_runs(project)
    assert [r["name"] for r in cmp["runs"]] == ["lr-0.1", "lr-0.01"]
    best = {m["name"]: (m["mode"], m["best_run"]["name"], m["best_run"]["value"]) for m in cmp["metrics"]}
    assert best["val_loss"] == ("min", "lr-0.1", 0.4)
    assert best["val_accuracy"][0:2] == ("max", "lr-0.1")
    assert cmp["differing_config_keys"] == ["lr"]
    assert cmp["runs"][1]["metrics"]["val_loss"]["final"]["value"] == 0.45
    only = trackflare.Api().compare_runs(project, runs=[b.id, "lr-0.1"], metrics=["val_loss"], modes={"val_loss": "max"})
    assert [r["id"] for r in only["runs"]] == [b.id, a.id]
    assert only["metrics"] == [{"name": "val_loss", "mode": "max", "best_run": {"id": a.id, "name": "lr-0.1", "step": 0, "value": 0.9}}]
    with pytest.raises(ValueError, match="not found"):
        trackflare.Api().compare_runs(project + "-missing")
