import json
import uuid
from typing import Any, Dict, Optional

from ._encode import finite
from .alert_level import to_level

_RESUME = ("never", "allow", "must")


def create_run_body(
    project: str,
    name: Optional[str],
    group: Optional[str],
    config: Optional[Dict[str, Any]],
    resume: str,
    webhook_url: Optional[str],
    webhook_min_level: Any,
) -> Dict[str, Any]:
    """Checks ``init``'s arguments as Trackio does (ValueError) and builds the create-run body with a
    client-made id, so a retried or deferred create is the same request."""
    if not isinstance(project, str) or not project:
        raise ValueError("project must be a non-empty string")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError("name must be a non-empty string")
    if resume not in _RESUME:
        raise ValueError(f"resume must be one of 'never', 'allow', 'must'; got {resume!r}")
    if resume == "must" and not name:
        raise ValueError("resume='must' needs a name")
    body: Dict[str, Any] = {"id": uuid.uuid4().hex, "resume": resume}
    if name is not None:
        body["name"] = name
    if group is not None:
        body["group"] = group
    if config is not None:
        if not isinstance(config, dict):
            raise ValueError("config must be a dict")
        for key in config:
            if isinstance(key, str) and key.startswith("_"):
                raise ValueError(f"Config key '{key}' is reserved (keys starting with '_' are reserved for internal use)")
        try:
            body["config"] = json.loads(json.dumps(finite(config), allow_nan=False, default=str))
        except (TypeError, ValueError) as err:
            raise ValueError(f"config must be JSON-serialisable: {err}") from err
    if webhook_url is not None:
        body["webhook_url"] = webhook_url
    if webhook_min_level is not None:
        level = to_level(webhook_min_level)
        if level is None:
            raise ValueError(f"Invalid webhook_min_level {webhook_min_level!r}: use info, warn or error")
        body["webhook_min_level"] = level.value
    return body

