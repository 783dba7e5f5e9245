import time
from typing import Any, Dict, Iterator, List, Optional

from .._backoff import backoff_seconds
from .._encode import parse_timestamp
from .._http import Http, seg
from ..alert_level import LevelLike, to_level
from ..errors import APIConnectionError, is_retryable

#: The server's cap on one long poll; longer waits are re-issued in rounds.
MAX_WAIT_SECONDS = 60
PAGE = 1000


def trackio_alert(a: Dict[str, Any]) -> Dict[str, Any]:
    """Trackio's alert keys (``timestamp, run, title, text, level, step``) plus ``cursor`` and ``run_id``."""
    return {
        "timestamp": a["timestamp"],
        "run": a.get("run"),
        "title": a["title"],
        "text": a.get("text"),
        "level": a["level"],
        "step": a.get("step"),
        "cursor": a["cursor"],
        "run_id": a.get("run_id"),
    }


def newest_first(alerts: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return sorted(alerts, key=lambda a: (parse_timestamp(a["timestamp"]), a["cursor"]), reverse=True)


def _level(level: Optional[LevelLike]) -> Optional[str]:
    if level is None:
        return None
    lvl = to_level(level)
    if lvl is None:
        raise ValueError(f"Invalid level {level!r}: use info, warn or error")
    return lvl.value


class Alerts:
    def __init__(self, http: Http):
        self._http = http

    def page(self, project: str, **query: Any) -> Dict[str, Any]:
        """One page of ``GET /alerts``: ``{alerts, next_cursor, has_more}``, newest first."""
        return self._http.request("GET", f"/v1/projects/{seg(project)}/alerts", query=query)

    def list(
        self,
        project: str,
        run: Optional[str] = None,
        level: Optional[LevelLike] = None,
        since: Optional[str] = None,
        cursor: Optional[int] = None,
        min_level: Optional[LevelLike] = None,
    ) -> List[Dict[str, Any]]:
        """Every matching alert, newest first: pages are read by cursor until ``has_more`` is false, so the
        answer is never silently capped."""
        q = {"run": run, "level": _level(level), "min_level": _level(min_level), "since": since, "limit": PAGE}
        out: List[Dict[str, Any]] = []
        at = 0 if cursor is None else cursor
        while True:
            page = self.page(project, cursor=at, **q)
            out.extend(trackio_alert(a) for a in page["alerts"])
            if not page["has_more"] or page["next_cursor"] <= at:
                break
            at = page["next_cursor"]
        return newest_first(out)

    def wait(
        self,
        project: str,
        cursor: Optional[int] = None,
        min_level: Optional[LevelLike] = None,
        run: Optional[str] = None,
        timeout: float = 60,
        level: Optional[LevelLike] = None,
        since: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Long-polls until a matching alert exists after ``cursor`` (or ``since``; with neither, one raised
        after the call), or ``timeout`` seconds pass. Rounds are re-issued up to the timeout from the last
        cursor the server answered, also across a server restart, so nothing raised in between is missed."""
        deadline = time.monotonic() + float(timeout)
        q = {"run": run, "level": _level(level), "min_level": _level(min_level), "since": since}
        failures = 0
        while True:
            left = max(0.0, deadline - time.monotonic())
            rnd = min(left, MAX_WAIT_SECONDS)
            try:
                res = self._http.request(
                    "GET",
                    f"/v1/projects/{seg(project)}/alerts/wait",
                    query={**q, "cursor": cursor, "timeout": round(rnd, 3)},
                    timeout=rnd + 30,
                )
            except Exception as err:  # noqa: BLE001
                if not is_retryable(err) or time.monotonic() >= deadline:
                    raise
                time.sleep(min(backoff_seconds(failures), max(0.0, deadline - time.monotonic())))
                failures += 1
                continue
            failures = 0
            if res["alerts"] or not res["timed_out"] or time.monotonic() >= deadline - 0.05:
                return {
                    "alerts": newest_first([trackio_alert(a) for a in res["alerts"]]),
                    "next_cursor": res["next_cursor"],
                    "has_more": res["has_more"],
                    "timed_out": res["timed_out"] and not res["alerts"],
                }
            cursor = res["next_cursor"]


class AlertWatch:
    """An iterator over matching alerts as they are raised, oldest first. It long-polls from its ``cursor``
    and reconnects with backoff after network errors, so none is missed or repeated. Stops after
    ``timeout`` seconds if one was given (else never), or when ``close()`` is called."""

    def __init__(self, alerts: Alerts, project: str, cursor: Optional[int], timeout: Optional[float], filters: Dict[str, Any]):
        self._alerts = alerts
        self._project = project
        self.cursor = cursor
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self._filters = filters
        self._ready: List[Dict[str, Any]] = []
        self._closed = False

    def __iter__(self) -> "AlertWatch":
        return self

    def close(self) -> None:
        self._closed = True

    def __next__(self) -> Dict[str, Any]:
        failures = 0
        while not self._ready:
            if self._closed:
                raise StopIteration
            left = None if self._deadline is None else self._deadline - time.monotonic()
            if left is not None and left <= 0:
                raise StopIteration
            try:
                res = self._alerts.wait(self._project, cursor=self.cursor, timeout=MAX_WAIT_SECONDS if left is None else min(left, MAX_WAIT_SECONDS), **self._filters)
            except APIConnectionError:
                time.sleep(backoff_seconds(failures))
                failures += 1
                continue
            failures = 0
            self.cursor = res["next_cursor"]
            self._ready = sorted(res["alerts"], key=lambda a: a["cursor"])
        return self._ready.pop(0)
