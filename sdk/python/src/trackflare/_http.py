import http.client
import json
import socket
import threading
from typing import Any, Mapping, Optional, Sequence, Union
from urllib.parse import quote, urlencode, urlsplit

from ._connection import resolve_connection
from ._version import __version__
from .errors import APIConnectionError, APIError, APITimeoutError

QueryValue = Union[str, int, float, bool, None, Sequence[str]]


def seg(s: str) -> str:
    """One path segment, encoded (run and metric names may hold any character)."""
    return quote(str(s), safe="")


class Http:
    """The one HTTP helper of the client: JSON over keep-alive connections (one per thread), errors
    parsed from the API's one shape into the ``APIError`` subclass for the status."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, timeout: float = 30.0):
        conn = resolve_connection(url, token)
        self.url = conn.url
        self.token = conn.token
        self.timeout = timeout
        parts = urlsplit(self.url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._prefix = parts.path
        self._local = threading.local()

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        c = getattr(self._local, "conn", None)
        if c is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            c = cls(self._host, self._port, timeout=timeout)
            self._local.conn = c
            self._local.used = False
        c.timeout = timeout
        if c.sock is not None:
            c.sock.settimeout(timeout)
        return c

    def _drop(self) -> None:
        c = getattr(self._local, "conn", None)
        self._local.conn = None
        if c is not None:
            c.close()

    def request(
        self,
        method: str,
        path: str,
        query: Optional[Mapping[str, QueryValue]] = None,
        body: Any = None,
        timeout: Optional[float] = None,
        content_type: Optional[str] = None,
    ) -> Any:
        """Sends one request and returns the parsed JSON answer. ``body`` is JSON-encoded unless it is
        already ``str``/``bytes``; with ``content_type``, ``body`` is raw bytes of that type (a media file). Raises ``APIError`` subclasses on non-2xx and ``APIConnectionError`` on
        network failures or timeouts."""
        target = self._prefix + path
        if query:
            pairs = [(k, v) for k, v in query.items() if v is not None]
            flat = [(k, item) for k, v in pairs for item in (v if isinstance(v, (list, tuple)) else [v])]
            if flat:
                target += "?" + urlencode([(k, _q(v)) for k, v in flat])
        headers = {"accept": "application/json", "user-agent": f"trackflare-python/{__version__}"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        data: Optional[bytes] = None
        if body is not None:
            headers["content-type"] = content_type or "application/json"
            data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body, allow_nan=False)).encode("utf-8")
        t = self.timeout if timeout is None else timeout
        for attempt in (0, 1):
            c = self._connection(t)
            reused = bool(getattr(self._local, "used", False))
            try:
                c.request(method, target, body=data, headers=headers)
                res = c.getresponse()
                raw = res.read()
                self._local.used = True
                if res.getheader("connection", "").lower() == "close":
                    self._drop()
                break
            except socket.timeout as e:
                self._drop()
                raise APITimeoutError(f"{method} {path} timed out after {t:g} s") from e
            except (OSError, http.client.HTTPException) as e:
                self._drop()
                # A kept-alive connection the server closed meanwhile: try once on a fresh one.
                if reused and attempt == 0 and isinstance(e, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)):
                    continue
                raise APIConnectionError(f"Could not reach {self.url}: {e.__class__.__name__}: {e}") from e
        parsed: Any = None
        if raw:
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
        if not 200 <= res.status < 300:
            raise APIError.from_response(res.status, parsed)
        return parsed

    def close(self) -> None:
        self._drop()


def _q(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)
