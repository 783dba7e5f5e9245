"""Helpers of the suite: Trackflare servers started through the repository's own launcher
(``test/python/serve.mjs``, the same local runtime as ``npm start`` and the e2e tests), and raw REST
calls that check what the server stored independently of the client under test."""

import json
import os
import select
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any, NamedTuple, Optional

REPO = Path(os.environ.get("TRACKFLARE_REPO") or Path(__file__).resolve().parents[3])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """One ``node test/python/serve.mjs`` process; ``persist`` keeps its state across a restart."""

    def __init__(self, port: int, persist: str, token: str):
        self.port = port
        self.persist = persist
        self.token = token
        self.url = f"http://127.0.0.1:{port}"
        self.proc: Optional[subprocess.Popen] = None

    def start(self, timeout: float = 180.0) -> "ServerProcess":
        self.proc = subprocess.Popen(
            ["node", str(REPO / "test/python/serve.mjs"), str(self.port), self.persist, self.token],
            cwd=str(REPO),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out = b""
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{out.decode(errors='replace')}")
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if ready:
                line = self.proc.stdout.readline()
                out += line
                if line.startswith(b"ready "):
                    return self
        self.stop()
        raise RuntimeError(f"server did not start within {timeout:g} s:\n{out.decode(errors='replace')}")

    def stop(self) -> None:
        """SIGTERM, as a scheduler would; the launcher stops the runtime it started, then exits."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


class Server(NamedTuple):
    url: str
    token: str


def rest(server: Server, method: str, path: str, body: Any = None) -> Any:
    req = urllib.request.Request(
        server.url + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"authorization": f"Bearer {server.token}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as res:
        return json.loads(res.read())


def trackio_call(server: Server, name: str, **kwargs: Any) -> Any:
    """A Trackio-protocol read (``POST /api/<name>``), as Trackio's own clients make it."""
    return rest(server, "POST", f"/api/{name}", {"args": [], "kwargs": kwargs})["data"]


class FaultyProxy:
    """A reverse proxy in front of the real server that spoils the answers to chosen requests, so that
    retries can be observed: ``fail(path_part, mode, times)`` with mode ``"after"`` (forward the request,
    then answer 503: stored, but the client must retry), ``"reset"`` (forward, then drop the connection)
    or a status such as 429/408 (answered without forwarding)."""

    def __init__(self, upstream: str):
        import http.client
        import http.server
        import threading
        from urllib.parse import urlsplit

        target = urlsplit(upstream)
        self.faults: list = []
        self.seen: list = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else None
                proxy.seen.append((self.command, self.path))
                fault = proxy._take(self.command, self.path)
                if isinstance(fault, int):
                    return self._answer(fault, b'{"error":{"code":"rate_limited","message":"try again"}}')
                up = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                up.request(self.command, self.path, body=body, headers=headers)
                res = up.getresponse()
                data = res.read()
                up.close()
                if fault == "reset":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return None
                if fault == "after":
                    return self._answer(503, b'{"error":{"code":"internal","message":"injected"}}')
                return self._answer(res.status, data)

            def _answer(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = _any

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def fail(self, path_part: str, mode: Any, times: int = 1, method: str = "POST") -> None:
        self.faults.append([method, path_part, mode, times])

    def _take(self, method: str, path: str) -> Any:
        for f in self.faults:
            if f[0] == method and f[1] in path and f[3] > 0:
                f[3] -= 1
                return f[2]
        return None

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
