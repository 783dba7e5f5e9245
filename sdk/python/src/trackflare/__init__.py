"""Trackflare's Python client: Trackio's Python API against a Trackflare server.

``import trackflare as trackio`` runs a Trackio script or agent loop unchanged: ``init``/``log``/``alert``/
``finish`` to track, ``Api()`` to read runs, metrics and alerts, plus exact alert cursors, blocking waits and
run comparison. Standard library only."""

from typing import Any, Dict

from ._tracking import alert, current_run, finish, init, log, log_system, should_stop, start_run
from ._version import __version__
from .alert_level import AlertLevel
from .api import Api
from .media import Audio, Histogram, Image, Table, Video
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    TrackflareError,
    TrackflareWarning,
)
from .run import Run

#: The current run's config (set by ``init``), as Trackio's ``trackio.config``.
config: Dict[str, Any] = {}

__all__ = [
    "init",
    "start_run",
    "log",
    "log_system",
    "alert",
    "finish",
    "should_stop",
    "current_run",
    "config",
    "AlertLevel",
    "Api",
    "Run",
    "Image",
    "Audio",
    "Video",
    "Table",
    "Histogram",
    "TrackflareError",
    "TrackflareWarning",
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "__version__",
]
