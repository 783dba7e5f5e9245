"""The control plane from Python: should_stop() learnt from a log batch's answer, wait_for_run, diagnosis()."""

import threading
import time

import trackflare
from _helpers import rest


def test_should_stop_turns_true_on_the_next_batch_and_finish_ends_the_run_stopped(server, project):
    run = trackflare.init(project=project, name="sweep-1", quiet=True, flush_interval=0.1)
    trackflare.log({"loss": 1.0})
    assert run.flush(10)
    assert trackflare.should_stop() is False
    rest(server, "POST", f"/v1/projects/{project}/runs/{run.id}/stop", {"reason": "budget spent"})
    step = 0
    deadline = time.monotonic() + 10
    while not trackflare.should_stop() and time.monotonic() < deadline:
        step += 1
        trackflare.log({"loss": 1.0 / step})
        time.sleep(0.05)
    assert trackflare.should_stop() is True
    assert run.should_stop() and run.stop_reason == "budget spent"
    trackflare.finish()
    assert trackflare.should_stop() is False  # no current run any more
    assert rest(server, "GET", f"/v1/projects/{project}/runs/{run.id}")["status"] == "stopped"
    alerts = trackflare.Api().alerts(project, run=run.id)
    assert [(a["title"], a["level"]) for a in alerts] == [("Stop requested", "info")]


def test_wait_for_run_is_woken_by_a_logged_value_and_times_out_unmatched(server, project):
    run = trackflare.init(project=project, name="w", quiet=True, flush_interval=0.1)
    trackflare.log({"val/loss": 1.0})
    assert run.flush(10)
    api = trackflare.Api()
    missed = api.wait_for_run(project, "w", "val/loss<0.3", timeout=0.5)
    assert missed["matched"] is False and missed["timed_out"] is True and missed["value"] == 1.0
    answer = {}
    waiter = threading.Thread(target=lambda: answer.update(api.wait_for_run(project, "w", "val/loss<0.3", timeout=30)))
    waiter.start()
    time.sleep(0.5)
    for i in range(1, 11):
        trackflare.log({"val/loss": 1 - i / 10})
    waiter.join(40)
    assert answer["matched"] is True and answer["timed_out"] is False and answer["value"] < 0.3
    trackflare.finish()
    assert api.run(project, "w").wait("ended", timeout=10)["status"] == "finished"


def test_diagnosis_on_the_tracked_run_and_on_the_api_run(server, project):
    run = trackflare.init(project=project, name="d", quiet=True)
    for i in range(100):
        trackflare.log({"train_loss": 1 / (1 + i), "val_loss": 1 / (1 + i) + 0.1})
    assert run.flush(10)
    d = run.diagnosis()
    assert d["last_step"] == 99
    loss = next(m for m in d["metrics"] if m["name"] == "train_loss")
    assert loss["trend"] == "decreasing" and loss["goal"] == "min"
    assert d["gaps"] == [{"train": "train_loss", "val": "val_loss", "gap": d["gaps"][0]["gap"], "overfitting": False}]
    api_run = trackflare.Api().run(project, "d")
    api_run.add_note("baseline")
    assert [n["text"] for n in api_run.diagnosis()["notes"]] == ["baseline"]
    trackflare.finish()
