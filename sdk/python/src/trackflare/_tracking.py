import sys
import time
from typing import Any, Dict, Optional

from . import _exit
from ._backoff import backoff_seconds
from ._http import Http, seg
from ._options import create_run_body
from .alert_level import AlertLevel, LevelLike
from .errors import NotFoundError, is_retryable
from .run import Run

# Trackio's module-level tracking API: one current run per process.

_current: Optional[Run] = None


def init(
    project: str,
    name: Optional[str] = None,
    group: Optional[str] = None,
    config: Optional[Dict[str, Any]] = None,
    resume: str = "never",
    url: Optional[str] = None,
    token: Optional[str] = None,
    webhook_url: Optional[str] = None,
    webhook_min_level: Optional[LevelLike] = None,
    **options: Any,
) -> Run:
    """Starts a run in ``project`` (finishing the current one) and makes it current for ``log``/``alert``.

    ``name`` defaults to a generated ``adjective-noun-N`` unique in the project. ``resume``: ``"never"`` (a new
    run), ``"allow"`` (the newest run named ``name``, steps continuing after its last), ``"must"`` (that run or
    ValueError). ``url``/``token`` default to TRACKFLARE_URL/TRACKFLARE_TOKEN, then TRACKIO_SERVER_URL/
    TRACKIO_WRITE_TOKEN, then the CLI's config file. ``webhook_url``/``webhook_min_level`` are the run's own
    alert webhook, posted by the server.

    Tuning (keyword only): ``quiet`` (no terminal lines), ``max_buffer`` (100,000 entries), ``max_batch`` (1,000),
    ``flush_at`` (100), ``flush_interval`` (0.5 s), ``finish_timeout`` (30 s), ``init_timeout`` (10 s: how long an
    unreachable server is retried before logging goes on offline), ``request_timeout`` (15 s), ``exit_hook`` (True).

    Raises ValueError for bad arguments or ``resume="must"`` on a missing run, ``AuthenticationError`` or
    ``PermissionDeniedError`` for a refused key. After ``init``, nothing raises: problems become warnings."""
    global _current
    if _current is not None:
        _current.finish()
    run = _start(project, name, group, config, resume, url, token, webhook_url, webhook_min_level, **options)
    _current = run
    sys.modules[__package__].config = run.config  # type: ignore[attr-defined]
    return run


def start_run(project: str, **kwargs: Any) -> Run:
    """``init`` without making the run current: for several runs at once in one process (log to each with
    ``run.log``/``run.alert``, end each with ``run.finish()``). Same arguments, checks and errors as ``init``."""
    return _start(project, **kwargs)


def _start(
    project: str,
    name: Optional[str] = None,
    group: Optional[str] = None,
    config: Optional[Dict[str, Any]] = None,
    resume: str = "never",
    url: Optional[str] = None,
    token: Optional[str] = None,
    webhook_url: Optional[str] = None,
    webhook_min_level: Optional[LevelLike] = None,
    **options: Any,
) -> Run:
    body = create_run_body(project, name, group, config, resume, webhook_url, webhook_min_level)
    http = Http(url, token, timeout=float(options.get("request_timeout", 15.0)))
    created: Optional[Dict[str, Any]] = None
    deadline = time.monotonic() + float(options.get("init_timeout", 10.0))
    attempt = 0
    while True:
        try:
            created = http.request("POST", f"/v1/projects/{seg(project)}/runs", body=body)
            break
        except NotFoundError as err:
            if resume == "must":
                raise ValueError(err.message) from err
            raise
        except Exception as err:  # noqa: BLE001
            if not is_retryable(err):
                raise
            if time.monotonic() >= deadline:
                # Without the server a resumed run's last step is unknown, so only a new run goes on offline.
                if resume != "never":
                    raise
                break
            time.sleep(min(backoff_seconds(attempt), max(0.0, deadline - time.monotonic())))
            attempt += 1
    run = Run(http, project, body, created, options)
    if created is None:
        run._warn(f"{http.url} is unreachable; logging goes on and the run is created when the server answers")
    elif not options.get("quiet"):
        print(f"* {'Resumed existing' if created.get('resumed') else 'Created new'} run: {created['name']}", flush=True)
    if options.get("exit_hook", True):
        _exit.track(run)
    return run


def _run_for(what: str) -> Run:
    if _current is None:
        raise RuntimeError(f"Call trackflare.init() before trackflare.{what}().")
    return _current


def log(metrics: Dict[str, Any], step: Optional[int] = None) -> None:
    """Logs ``metrics`` to the current run (see ``Run.log``); returns at once."""
    _run_for("log").log(metrics, step)


def log_system(metrics: Dict[str, Any]) -> None:
    """Logs system metrics (no step) to the current run."""
    _run_for("log_system").log_system(metrics)


def alert(title: str, text: Optional[str] = None, level: LevelLike = AlertLevel.WARN, webhook_url: Optional[str] = None) -> None:
    """Raises an alert on the current run at its last logged step; ``level`` may be an ``AlertLevel`` or a string."""
    _run_for("alert").alert(title, text, level, webhook_url=webhook_url)


def finish() -> None:
    """Flushes and finishes the current run (it is marked ``finished``). Never raises."""
    global _current
    run = _current
    if run is None:
        return
    _current = None
    run.finish()


def should_stop() -> bool:
    """True once a stop was requested for the current run (``trackflare runs stop``, MCP ``stop_run``),
    learnt from the answer to its next log batch; False without a current run. Call ``finish()`` then:
    the run ends ``stopped``. (A script logging through Trackio's own client gets no such signal: its
    protocol has no channel back.)"""
    return _current is not None and _current.should_stop()


def current_run() -> Optional[Run]:
    """The run that ``log``/``alert`` write to, if any."""
    return _current


__all__ = ["init", "start_run", "log", "log_system", "alert", "finish", "should_stop", "current_run"]
