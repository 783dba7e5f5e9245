import atexit
import os
import signal
import sys
import threading
from typing import Any, List

# Flush at interpreter exit and on SIGTERM: a script that never calls finish(), returns early, raises or is
# stopped by its scheduler still delivers what it buffered, and its run ends finished or failed.

_runs: List[Any] = []
_lock = threading.Lock()
_installed = False
_crashed = False


def track(run: Any) -> None:
    global _installed
    with _lock:
        _runs.append(run)
        if _installed:
            return
        _installed = True
    atexit.register(_at_exit)
    previous_hook = sys.excepthook

    def excepthook(*args: Any) -> None:
        global _crashed
        _crashed = True
        previous_hook(*args)

    sys.excepthook = excepthook
    # Only where nobody else handles SIGTERM: a script's own handler stays in charge (and exits through atexit).
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, _on_sigterm)


def forget(run: Any) -> None:
    with _lock:
        if run in _runs:
            _runs.remove(run)


def _finish_all(status: str) -> None:
    with _lock:
        runs = list(_runs)
    for run in runs:
        run.finish(status=status)


def _at_exit() -> None:
    _finish_all("failed" if _crashed else "finished")


def _on_sigterm(signum: int, frame: Any) -> None:
    _finish_all("failed")
    # Then die of SIGTERM as the process would have, so its parent sees the same exit status.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
