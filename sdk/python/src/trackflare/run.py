import itertools
import operator
import sys
import threading
import time
import warnings
from typing import Any, Dict, List, Optional, Tuple

from . import _encode
from ._backoff import backoff_seconds
from ._http import Http, seg
from ._media_uploads import resolve_media
from ._sender import Batch, Channel, Sender
from .alert_level import AlertLevel, LevelLike, to_level
from .errors import TrackflareWarning, is_retryable

_PLAIN = frozenset((int, float, str, bool, type(None)))
_now = time.time

#: (step, metrics, wall seconds, sequence number → log_id)
LogItem = Tuple[int, Dict[str, Any], float, int]
#: (metrics, wall seconds, sequence number)
SystemItem = Tuple[Dict[str, Any], float, int]

_COLOURS = {AlertLevel.INFO: "\033[94m", AlertLevel.WARN: "\033[93m", AlertLevel.ERROR: "\033[91m"}


def _step(step: Any) -> Optional[int]:
    """A non-negative integer step (numpy/torch integers and integral floats too), else None."""
    try:
        s = operator.index(step)
    except TypeError:
        s = int(step) if isinstance(step, float) and step.is_integer() else -1
    return s if s >= 0 else None


def _steps(items: List[Any]) -> str:
    steps = [i[0] if isinstance(i, tuple) else i.get("step", 0) for i in items]
    lo, hi = min(steps), max(steps)
    return f"at step {lo}" if lo == hi else f"at steps {lo}-{hi}"


class Run:
    """A run being tracked, returned by ``trackflare.init``. ``log``, ``log_system`` and ``alert`` only append
    to bounded buffers and return at once; a background thread sends them in batches with ids fixed at call
    time, so retries never duplicate. After ``init`` nothing here raises: problems become ``TrackflareWarning``."""

    def __init__(self, http: Http, project: str, body: Dict[str, Any], created: Optional[Dict[str, Any]], opts: Dict[str, Any]):
        self.project = project
        self.group: Optional[str] = body.get("group")
        self.id: str = created["id"] if created else body["id"]
        self.name: Optional[str] = created["name"] if created else body.get("name")
        self.config: Dict[str, Any] = dict(created["config"]) if created else dict(body.get("config") or {})
        self.url = f"{http.url}/?project={seg(project)}"
        self._http = http
        self._body = body
        self._created = created is not None
        self._create_lock = threading.Lock()
        self._next_step = created["last_step"] + 1 if created and created.get("last_step") is not None else 0
        self._counter = itertools.count()
        self._closed = False
        # Set from the sender thread when a log batch's answer carries a stop request; read by the loop.
        self._stop_requested = threading.Event()
        self._stop_reason: Optional[str] = None
        self._finished = threading.Event()
        self._finish_lock = threading.Lock()
        self._quiet = bool(opts.get("quiet"))
        self._finish_timeout = float(opts.get("finish_timeout", 30.0))
        self._warned: set = set()
        self._log_prefix = body["id"][:16] + "-"
        self._stamp = _encode.Timestamps()
        capacity = max(2, int(opts.get("max_buffer", 100_000)))
        batch = max(1, min(int(opts.get("max_batch", 1000)), capacity))
        flush_at = max(1, int(opts.get("flush_at", 100)))
        self._flush_at = flush_at
        self._logs: Channel[LogItem] = Channel("log entries", capacity, batch, self._send_logs, _steps)
        self._system: Channel[SystemItem] = Channel("system metrics", capacity, batch, self._send_system, lambda _: "")
        self._log_queue = self._logs.queue
        self._capacity = capacity
        self._alerts: Channel[Dict[str, Any]] = Channel("alerts", capacity, min(batch, 1000), self._send_alerts, _steps)
        self._sender = Sender([self._logs, self._system, self._alerts], float(opts.get("flush_interval", 0.5)), flush_at, self._warn, f"trackflare-{self.id[:8]}", http.close)
        self._sender.start()

    # --- the training loop's calls -------------------------------------------------------------

    def log(self, metrics: Dict[str, Any], step: Optional[int] = None) -> None:
        """Records ``metrics`` at ``step`` (default: one past the highest step so far, Trackio's rule; explicit
        steps may repeat or go back). Values may be numbers, NaN/±Infinity, nested dicts, numpy or torch scalars,
        and ``Image``/``Audio``/``Video``/``Table``/``Histogram``: files are uploaded first, and the entry is sent
        once they are stored."""
        if self._closed:
            return self._warn_once("log-closed", "log() after finish() is ignored")
        if type(metrics) is not dict and not isinstance(metrics, dict):
            return self._warn_once("log-metrics", "log() needs a dict of metrics; the call was ignored")
        if step is None:
            s = self._next_step
            self._next_step = s + 1
        else:
            s = _step(step)
            if s is None:
                return self._warn_once("log-step", f"log() step must be a non-negative integer, got {step!r}; the call was ignored")
            if s >= self._next_step:
                self._next_step = s + 1
        m = dict(metrics)
        for v in m.values():
            if type(v) not in _PLAIN:
                m = _encode.snapshot(m)
                break
        # Channel.push inlined: this is the training loop's hot path.
        q = self._log_queue
        if len(q) == self._capacity:
            self._logs.dropped += 1
        q.append((s, m, _now(), next(self._counter)))
        if len(q) >= self._flush_at and not self._sender.kicked:
            self._sender.kick()

    def log_system(self, metrics: Dict[str, Any]) -> None:
        """Records system metrics (GPU, CPU, memory…): timestamped, no step."""
        if self._closed:
            return self._warn_once("log-closed", "log_system() after finish() is ignored")
        if not isinstance(metrics, dict):
            return self._warn_once("log-metrics", "log_system() needs a dict of metrics; the call was ignored")
        self._system.push((_encode.snapshot(metrics), time.time(), next(self._counter)))

    def alert(self, title: str, text: Optional[str] = None, level: LevelLike = AlertLevel.WARN, step: Optional[int] = None, webhook_url: Optional[str] = None) -> None:
        """Raises an alert at ``step`` (default: the last logged step, or 0) and prints Trackio's terminal line.
        ``level`` is an ``AlertLevel`` or a string (``"error"``). Webhooks are sent by the server, with retries:
        ``webhook_url`` here (this alert's own, instead of the run's), else the run's ``webhook_url`` from
        ``init``, at the run's ``webhook_min_level``; and the project's subscriptions. A URL the server refuses
        (not http(s), a private address) drops this alert with a warning, as Trackio's client only warns."""
        if self._closed:
            return self._warn_once("alert-closed", "alert() after finish() is ignored")
        lvl = to_level(level)
        if lvl is None:
            return self._warn(f"alert() level must be info, warn or error, got {level!r}; the alert was ignored")
        if not isinstance(title, str) or not title:
            return self._warn("alert() needs a non-empty title; the alert was ignored")
        s = max(self._next_step - 1, 0) if step is None else step
        if not isinstance(s, int) or s < 0:
            return self._warn(f"alert() step must be a non-negative integer, got {step!r}; the alert was ignored")
        if not self._quiet:
            self._print_alert(lvl, title, text, s)
        self._alerts.push(
            {
                "title": title,
                "text": None if text is None else str(text),
                "level": lvl.value,
                "step": s,
                "timestamp": _encode.format_timestamp(_encode.now_monotonic_wall()),
                "alert_id": _encode.uuid_hex(),
                **({"webhook_url": webhook_url} if webhook_url else {}),
            }
        )
        self._sender.kick()

    def should_stop(self) -> bool:
        """True once a stop was requested for this run (``trackflare runs stop``, MCP ``stop_run``, ``POST
        …/stop``), learnt from the answer to its next log batch: no extra request. Finish the run then; it
        ends ``stopped``."""
        return self._stop_requested.is_set()

    @property
    def stop_reason(self) -> Optional[str]:
        """The stop request's reason (None without one, or before a stop was requested)."""
        return self._stop_reason

    def diagnosis(self) -> Dict[str, Any]:
        """This run's bounded diagnosis, read now (see ``Api.diagnosis``)."""
        return self._http.request("GET", f"/v1/projects/{seg(self.project)}/runs/{self.id}/diagnosis")

    def finish(self, status: str = "finished", timeout: Optional[float] = None) -> None:
        """Sends what is buffered (retrying for up to ``timeout`` seconds, default 30), marks the run
        ``finished`` (or ``failed``; ``stopped`` when a stop was requested) and stops the sender.
        Idempotent; never raises."""
        if status == "finished" and self._stop_requested.is_set():
            status = "stopped"
        with self._finish_lock:
            if self._finished.is_set():
                return
            self._closed = True
            limit = self._finish_timeout if timeout is None else timeout
            deadline = time.monotonic() + limit
            try:
                self._sender.stop(deadline)
                self._sender.join(max(0.0, deadline - time.monotonic()) + 1.0)
                for ch in (self._logs, self._system, self._alerts):
                    self._sender.report_dropped(ch)
                left = sum(ch.buffered for ch in (self._logs, self._system, self._alerts))
                if left:
                    self._warn(f"could not deliver {left} buffered entries within {limit:g} s; they are lost")
                self._with_retry(deadline, lambda t: self._http.request("POST", f"/v1/projects/{seg(self.project)}/runs/{self.id}/finish", body={"status": status}, timeout=t))
            except Exception as err:  # noqa: BLE001
                self._warn(f"could not mark the run {status}: {err}")
            finally:
                self._http.close()
                self._finished.set()
                from . import _exit

                _exit.forget(self)

    def flush(self, timeout: float = 30.0) -> bool:
        """Blocks until what is buffered now is delivered (or ``timeout``); True when everything was sent."""
        return self._sender.flush(timeout)

    def stats(self) -> Dict[str, int]:
        """Buffer sizes and delivery counts, to monitor the tracker itself."""
        return {
            "buffered_logs": self._logs.buffered,
            "buffered_system": self._system.buffered,
            "buffered_alerts": self._alerts.buffered,
            "delivered_logs": self._logs.delivered,
            "delivered_system": self._system.delivered,
            "delivered_alerts": self._alerts.delivered,
        }

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def __repr__(self) -> str:
        return f"<trackflare.Run {self.name} ({self.id}) in project {self.project}>"

    # --- the sender thread's side ----------------------------------------------------------------

    def _ensure_created(self, timeout: Optional[float] = None) -> None:
        if self._created:
            return
        with self._create_lock:
            if self._created:
                return
            run = self._http.request("POST", f"/v1/projects/{seg(self.project)}/runs", body=self._body, timeout=timeout)
            self.id, self.name, self.config = run["id"], run["name"], dict(run["config"])
            self._created = True

    def _logs_body(self, batch: Batch[LogItem]) -> bytes:
        """The whole batch in one ``json.dumps`` (C speed); entries with non-finite or odd values take a slower
        path, and one that cannot be encoded is dropped alone with a warning."""
        prefix = self._log_prefix
        stamp = self._stamp.format
        renamed: List[str] = []
        entries = []
        for s, m, t, n in batch.items:
            if not _encode.RESERVED.isdisjoint(m):
                renamed.extend(_encode.rename_reserved(m))
            entries.append({"step": s, "log_id": f"{prefix}{n:x}", "timestamp": stamp(t), "metrics": m})
        if renamed:
            keys = sorted(set(renamed))
            self._warn_once("reserved-" + ",".join(keys), f"metric keys {', '.join(map(repr, keys))} are reserved and were stored as {', '.join(repr('__' + k) for k in keys)}")
        try:
            return _encode.dumps({"logs": entries}).encode("utf-8")
        except (TypeError, ValueError):
            pass
        kept = []
        for e in entries:
            try:
                e["metrics"] = _encode.finite(e["metrics"])
                _encode.dumps(e["metrics"])
            except (TypeError, ValueError) as err:
                self._warn(f"dropped a log entry at step {e['step']}: its metrics are not JSON ({err})")
                continue
            kept.append(e)
        return _encode.dumps({"logs": kept}).encode("utf-8") if kept else b""

    def _send_logs(self, batch: Batch[LogItem]) -> None:
        self._ensure_created()
        if batch.body is None:
            resolve_media(batch.items, self._upload, self._warn)
            batch.body = self._logs_body(batch)
        if batch.body:
            res = self._http.request("POST", f"/v1/projects/{seg(self.project)}/runs/{self.id}/logs", body=batch.body)
            if isinstance(res, dict) and res.get("stop_requested") and not self._stop_requested.is_set():
                self._stop_reason = res.get("stop_reason")
                self._stop_requested.set()

    def _upload(self, f: Any, data: bytes, content_type: str, step: int, name: str) -> Dict[str, Any]:
        query = {"step": step, "name": name, "caption": f.caption, "id": f.upload_id, "kind": f.kind}
        return self._http.request("POST", f"/v1/projects/{seg(self.project)}/runs/{self.id}/media", query=query, body=data, content_type=content_type)

    def _send_system(self, batch: Batch[SystemItem]) -> None:
        self._ensure_created()
        if batch.body is None:
            entries = []
            for m, t, n in batch.items:
                try:
                    metrics = _encode.finite(m)
                    _encode.dumps(metrics)
                except (TypeError, ValueError) as err:
                    self._warn(f"dropped system metrics: they are not JSON ({err})")
                    continue
                entries.append({"log_id": f"{self._log_prefix}{n:x}", "timestamp": self._stamp.format(t), "metrics": metrics})
            batch.body = _encode.dumps({"logs": entries}).encode("utf-8") if entries else b""
        if batch.body:
            self._http.request("POST", f"/v1/projects/{seg(self.project)}/runs/{self.id}/system", body=batch.body)

    def _send_alerts(self, batch: Batch[Dict[str, Any]]) -> None:
        self._ensure_created()
        self._http.request("POST", f"/v1/projects/{seg(self.project)}/alerts", body={"alerts": [dict(a, run=self.id) for a in batch.items]})

    def _with_retry(self, deadline: float, fn: Any) -> None:
        attempt = 0
        while True:
            left = deadline - time.monotonic()
            try:
                self._ensure_created(timeout=max(0.5, left))
                fn(max(0.5, left))
                return
            except Exception as err:  # noqa: BLE001
                if not is_retryable(err) or time.monotonic() >= deadline:
                    raise
                time.sleep(min(backoff_seconds(attempt), max(0.0, deadline - time.monotonic())))
                attempt += 1

    # --- output -----------------------------------------------------------------------------------

    def _print_alert(self, level: AlertLevel, title: str, text: Optional[str], step: int) -> None:
        line = f"[TRACKFLARE {level.value.upper()}] {title}{': ' + str(text) if text else ''} (step {step})"
        try:
            if sys.stdout.isatty():
                line = f"{_COLOURS[level]}{line}\033[0m"
            print(line, flush=True)
        except Exception:  # noqa: BLE001 - a closed stdout must not reach the training loop
            pass

    def _warn(self, message: str) -> None:
        try:
            warnings.warn(f"[trackflare] {message}", TrackflareWarning, stacklevel=3)
        except Exception:  # noqa: BLE001 - warnings turned into errors must not reach the training loop
            pass

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self._warn(message)
