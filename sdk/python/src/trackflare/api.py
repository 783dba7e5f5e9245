from typing import Any, Dict, List, Optional, Sequence

from ._http import Http, seg
from .alert_level import LevelLike
from .resources.alerts import Alerts, AlertWatch
from .resources.compare import Compare
from .resources.metrics import Metrics
from .resources.projects import Projects
from .resources.runs import Run, Runs, RunsResource


class Api:
    """Reads a Trackflare server with Trackio's ``trackio.Api`` shapes, plus cursors, blocking waits, live
    watches and run comparison. ``url``/``token`` default as for ``init`` (TRACKFLARE_URL/TRACKFLARE_TOKEN,
    then TRACKIO_SERVER_URL/TRACKIO_WRITE_TOKEN, then the CLI's config file). Nothing is fetched until a
    method is called."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, timeout: float = 30.0):
        self.http = Http(url, token, timeout)
        self.client_projects = Projects(self.http)
        self.client_runs = RunsResource(self.http)
        self.client_metrics = Metrics(self.http)
        self.client_alerts = Alerts(self.http)
        self.client_compare = Compare(self.http)

    def close(self) -> None:
        """Closes this thread's kept-alive connection (others close with their threads)."""
        self.http.close()

    def __enter__(self) -> "Api":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def projects(self) -> List[Dict[str, Any]]:
        """Every project the key may read, with run counts and last activity."""
        return self.client_projects.list()

    def runs(self, project: str, group: Optional[str] = None, status: Optional[str] = None, config: Optional[Sequence[str]] = None) -> Runs:
        """The project's runs, oldest first (lazy: fetched on first use; ValueError then if the project does
        not exist). Filters: ``group``, ``status``, ``config=["optimizer=adam"]``."""
        return Runs(self, project, {"group": group, "status": status, "config": list(config) if config else None})

    def run(self, project: str, run: str) -> Run:
        """One run by id or name (a name means the newest run with it)."""
        return Run(self, self.client_runs.get(project, run))

    def media(self, project: str, run: str, name: Optional[str] = None, step: Optional[int] = None) -> List[Dict[str, Any]]:
        """A run's stored media files (optionally of one metric and/or step): each its reference
        (``_type``, ``file_path``, ``caption``, ``content_type``, ``size``, ``sha256``), ``name``, ``step``, ``kind``."""
        return self.http.request("GET", f"/v1/projects/{seg(project)}/runs/{seg(run)}/media", query={"name": name, "step": step})["media"]

    def alerts(
        self,
        project: str,
        run: Optional[str] = None,
        level: Optional[LevelLike] = None,
        since: Optional[str] = None,
        cursor: Optional[int] = None,
        min_level: Optional[LevelLike] = None,
    ) -> List[Dict[str, Any]]:
        """Every matching alert, newest first, as dicts with Trackio's keys (``timestamp, run, title, text,
        level, step``) plus ``cursor`` and ``run_id``. ``run`` is a name (the newest run with it) or an id;
        ``level`` matches exactly, ``min_level`` that level or above; ``since`` is strictly after an ISO
        instant; ``cursor`` strictly after an alert's ``cursor`` (exact whatever the clients' clocks).
        ValueError if the project does not exist, as Trackio's."""
        found = self.client_alerts.list(project, run=run, level=level, since=since, cursor=cursor, min_level=min_level)
        if not found:
            self.client_projects.require(project)
        return found

    def wait_for_alerts(
        self,
        project: str,
        cursor: Optional[int] = None,
        min_level: Optional[LevelLike] = None,
        run: Optional[str] = None,
        timeout: float = 60,
        level: Optional[LevelLike] = None,
        since: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Blocks until a matching alert exists after ``cursor`` (or ``since``; with neither, one raised after
        the call), or ``timeout`` seconds pass. Returns ``{"alerts": [...newest first], "next_cursor",
        "has_more", "timed_out"}``; pass ``next_cursor`` to the next call to miss nothing."""
        return self.client_alerts.wait(project, cursor=cursor, min_level=min_level, run=run, timeout=timeout, level=level, since=since)

    def wait_for_run(self, project: str, run: str, until: str, timeout: float = 60) -> Dict[str, Any]:
        """Blocks until the run's condition holds or ``timeout`` seconds pass: ``"ended"`` (finished, failed,
        stopped, stale or ended), ``"step>=N"``, or ``"<metric><op><value>"`` with op one of ``<``, ``<=``,
        ``>``, ``>=`` (``"val/loss<0.3"``). Returns ``{"matched", "timed_out", "status", "step", "value"?}``.
        The server wakes the wait on ingest: nothing polls."""
        return self.client_runs.wait(project, run, until, timeout)

    def diagnosis(self, project: str, run: str) -> Dict[str, Any]:
        """A run's bounded diagnosis; see ``Run.diagnosis``."""
        return self.client_runs.diagnosis(project, run)

    def watch_alerts(
        self,
        project: str,
        cursor: Optional[int] = None,
        min_level: Optional[LevelLike] = None,
        run: Optional[str] = None,
        level: Optional[LevelLike] = None,
        timeout: Optional[float] = None,
    ) -> AlertWatch:
        """Iterates over matching alerts as they are raised (oldest first), from ``cursor`` (default: from
        now). It resumes from its last cursor after network errors; ``timeout`` ends it (default: never)::

            for alert in api.watch_alerts("cifar", min_level="error"):
                print(alert["title"])
        """
        return AlertWatch(self.client_alerts, project, cursor, timeout, {"min_level": min_level, "run": run, "level": level})

    def compare_runs(
        self,
        project: str,
        runs: Optional[Sequence[str]] = None,
        metrics: Optional[Sequence[str]] = None,
        mode: str = "auto",
        modes: Optional[Dict[str, str]] = None,
        group: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Runs side by side: each run's config, status, alert counts, and per metric its final and best value
        (with the step), the best run per metric and the config keys that differ. Best is the minimum, or the
        maximum for accuracy-like names (``mode``/``modes`` override). Default ``runs``: the project's runs."""
        return self.client_compare.runs(project, runs=runs, metrics=metrics, mode=mode, modes=modes, group=group)
