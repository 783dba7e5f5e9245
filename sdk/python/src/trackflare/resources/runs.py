import time
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Union, overload

from .._http import Http, seg
from ..alert_level import LevelLike
from ..errors import NotFoundError
from .alerts import MAX_WAIT_SECONDS

if TYPE_CHECKING:
    from ..api import Api


class Run:
    """A stored run, as ``Api().runs(project)`` lists it (Trackio's ``api.Run``): ``name``, ``id``, ``config``,
    ``status`` (running, finished, failed, stale), ``group``, ``last_step``, ``log_count``, ``created_at``."""

    def __init__(self, api: "Api", record: Dict[str, Any]):
        self._api = api
        self._record = record

    project = property(lambda self: self._record["project"])
    id = property(lambda self: self._record["id"])
    name = property(lambda self: self._record["name"])
    group = property(lambda self: self._record.get("group"))
    status = property(lambda self: self._record["status"])
    last_step = property(lambda self: self._record.get("last_step"))
    log_count = property(lambda self: self._record.get("log_count"))
    created_at = property(lambda self: self._record.get("created_at"))

    @property
    def config(self) -> Dict[str, Any]:
        """The run's config (keys as given to ``init``)."""
        return self._record.get("config") or {}

    def alerts(self, level: Optional[LevelLike] = None, since: Optional[str] = None, cursor: Optional[int] = None) -> List[Dict[str, Any]]:
        """This run's alerts, newest first (all of them)."""
        return self._api.alerts(self.project, run=self.id, level=level, since=since, cursor=cursor)

    def summary(self) -> Dict[str, Any]:
        """Fetched now: status, last step, log count, metric names, alert counts by level, config."""
        s = self._api.client_runs.get(self.project, self.id)
        self._record = {k: v for k, v in s.items() if k not in ("metrics", "alert_counts")}
        return s

    def metric(self, name: str, max_points: Optional[int] = None, **selection: Any) -> List[Dict[str, Any]]:
        """One metric's ``[{"step", "timestamp", "value"}]``; ``max_points`` downsamples server-side."""
        return self._api.client_metrics.values(self.project, self.id, name, max_points=max_points, **selection)

    def rename(self, new_name: str) -> "Run":
        """Renames the run (its alerts follow); returns it. ValueError for an empty name."""
        if not isinstance(new_name, str) or not new_name.strip():
            raise ValueError("new_name must be a non-empty string")
        self._record = self._api.client_runs.rename(self.project, self.id, new_name)
        return self

    def diagnosis(self) -> Dict[str, Any]:
        """A bounded diagnosis (a few KB whatever the run's length): per metric the last and best values,
        the recent trend (``decreasing``, ``flat``, ``increasing``, ``diverging``) and non-finite counts;
        train/val gaps with an overfitting flag; ``flags``; alerts by level; the newest notes."""
        return self._api.client_runs.diagnosis(self.project, self.id)

    def stop(self, reason: Optional[str] = None) -> "Run":
        """Asks the run's script to stop (it sees ``should_stop()`` on its next log batch); returns the run."""
        self._record = self._api.client_runs.stop(self.project, self.id, reason)
        return self

    def add_note(self, text: str) -> Dict[str, Any]:
        """Keeps a note on the run (why a configuration was chosen, why it was stopped)."""
        return self._api.client_runs.add_note(self.project, self.id, text)

    def wait(self, until: str, timeout: float = 60) -> Dict[str, Any]:
        """Blocks until ``until`` holds; see ``Api.wait_for_run``."""
        return self._api.wait_for_run(self.project, self.id, until, timeout)

    def delete(self) -> bool:
        """Deletes the run, its metrics and its alerts; True when it existed."""
        try:
            self._api.client_runs.delete(self.project, self.id)
        except NotFoundError:
            return False
        return True

    def __repr__(self) -> str:
        return f"<Run {self.name} in project {self.project}>"


class Runs:
    """The runs of a project, oldest first: iterable, indexable and sized; fetched on first use."""

    def __init__(self, api: "Api", project: str, filters: Dict[str, Any]):
        self._api = api
        self._project = project
        self._filters = filters
        self._runs: Optional[List[Run]] = None

    def _load(self) -> List[Run]:
        if self._runs is None:
            records = self._api.client_runs.list(self._project, **self._filters)
            self._runs = [Run(self._api, r) for r in records]
        return self._runs

    def __iter__(self) -> Iterator[Run]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    @overload
    def __getitem__(self, i: int) -> Run: ...
    @overload
    def __getitem__(self, i: slice) -> List[Run]: ...
    def __getitem__(self, i: Union[int, slice]) -> Union[Run, List[Run]]:
        return self._load()[i]

    def __repr__(self) -> str:
        return f"<Runs of project {self._project}: {len(self)}>"


class RunsResource:
    """``/v1/projects/:project/runs`` over HTTP."""

    def __init__(self, http: Http):
        self._http = http

    def list(self, project: str, **filters: Any) -> List[Dict[str, Any]]:
        try:
            return self._http.request("GET", f"/v1/projects/{seg(project)}/runs", query=filters)["runs"]
        except NotFoundError as err:
            raise ValueError(f"Project '{project}' does not exist") from err

    def get(self, project: str, run: str) -> Dict[str, Any]:
        return self._http.request("GET", f"/v1/projects/{seg(project)}/runs/{seg(run)}")

    def rename(self, project: str, run: str, name: str) -> Dict[str, Any]:
        return self._http.request("PATCH", f"/v1/projects/{seg(project)}/runs/{seg(run)}", body={"name": name})

    def delete(self, project: str, run: str) -> Dict[str, Any]:
        return self._http.request("DELETE", f"/v1/projects/{seg(project)}/runs/{seg(run)}")

    def diagnosis(self, project: str, run: str) -> Dict[str, Any]:
        return self._http.request("GET", f"/v1/projects/{seg(project)}/runs/{seg(run)}/diagnosis")

    def stop(self, project: str, run: str, reason: Optional[str] = None) -> Dict[str, Any]:
        return self._http.request("POST", f"/v1/projects/{seg(project)}/runs/{seg(run)}/stop", body={"reason": reason})

    def add_note(self, project: str, run: Optional[str], text: str) -> Dict[str, Any]:
        path = f"/v1/projects/{seg(project)}/notes" if run is None else f"/v1/projects/{seg(project)}/runs/{seg(run)}/notes"
        return self._http.request("POST", path, body={"text": text})

    def wait(self, project: str, run: str, until: str, timeout: float = 60) -> Dict[str, Any]:
        """Blocks until ``until`` holds or ``timeout`` seconds pass, in rounds of at most the server's cap."""
        deadline = time.monotonic() + float(timeout)
        while True:
            rnd = min(max(0.0, deadline - time.monotonic()), MAX_WAIT_SECONDS)
            res = self._http.request(
                "GET", f"/v1/projects/{seg(project)}/runs/{seg(run)}/wait", query={"until": until, "timeout": round(rnd, 3)}, timeout=rnd + 30
            )
            if res.get("matched") or time.monotonic() >= deadline - 0.05:
                return res
