import json
import math
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List

# Metric values as the wire carries them. JSON has no NaN or ±Infinity, so they travel as Trackio's
# strings; numpy and torch scalars (and 0-d arrays) become Python numbers through ``.item()`` without
# importing either package.

_PLAIN = (int, float, str, bool, type(None))
#: Trackio renames these metric keys to ``__<key>``: they collide with row fields in its storage and reads.
RESERVED = frozenset(("project", "run", "timestamp", "step", "time", "metrics"))
_INF = math.inf


def plain(v: Any) -> Any:
    """A Python value for an array-library scalar (``.item()``) or array (``.tolist()``); others unchanged."""
    if isinstance(v, _PLAIN):
        return v
    item = getattr(v, "item", None)
    if callable(item):
        try:
            return item()
        except (TypeError, ValueError, RuntimeError):
            pass  # not a one-element value: a whole array
    tolist = getattr(v, "tolist", None)
    if callable(tolist):
        return tolist()
    return v


def snapshot(metrics: Dict[str, Any]) -> Dict[str, Any]:
    """The caller's dict copied at call time, with scalar tensors read now: they may be changed in place
    later, and holding them would keep their autograd graph alive while the entry is buffered."""
    out = dict(metrics)
    for k, v in out.items():
        if not isinstance(v, _PLAIN) and not isinstance(v, (dict, list, tuple)):
            out[k] = plain(v)
    return out


def finite(v: Any) -> Any:
    """Recursively: NaN/±Infinity to their strings, nested array scalars to numbers, tuples to lists."""
    if isinstance(v, float):
        if v != v:
            return "NaN"
        if v == _INF:
            return "Infinity"
        if v == -_INF:
            return "-Infinity"
        return v
    if isinstance(v, dict):
        return {str(k): finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [finite(x) for x in v]
    if isinstance(v, _PLAIN):
        return v
    p = plain(v)
    return v if p is v else finite(p)


def _default(v: Any) -> Any:
    p = plain(v)
    if p is v:
        raise TypeError(f"{type(v).__name__} is not JSON serializable")
    return p


_dumps = json.JSONEncoder(allow_nan=False, default=_default, separators=(",", ":"), ensure_ascii=False).encode


def dumps(obj: Any) -> str:
    """Compact JSON that refuses NaN/±Infinity (``finite`` first where they may occur) and reads array scalars."""
    return _dumps(obj)


def rename_reserved(m: Dict[str, Any]) -> List[str]:
    """Renames Trackio's reserved keys in place; returns the renamed keys (for a warning)."""
    hits = [k for k in m if k in RESERVED]
    for k in hits:
        m["__" + k] = m.pop(k)
    return hits


_DECODE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def decode_value(v: Any) -> Any:
    """A metric value as read: Trackio's non-finite strings back to floats; anything else unchanged."""
    return _DECODE.get(v, v) if isinstance(v, str) else v


def format_timestamp(seconds: float) -> str:
    """Trackio's form: ``2026-11-28T16:57:00.911818+00:00`` (the fraction dropped when it is zero)."""
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat()


def parse_timestamp(ts: str) -> float:
    """Epoch seconds of an ISO-8601 instant (``Z`` or an offset); for sorting what the server returns."""
    s = ts.strip().replace("Z", "+00:00").replace(" ", "T", 1)
    try:
        return datetime.fromisoformat(s).timestamp()
    except ValueError:
        return 0.0


class Timestamps:
    """Formats epoch seconds in Trackio's form, reusing the formatted second: the sender stamps every entry."""

    def __init__(self) -> None:
        self._sec = -1
        self._prefix = ""

    def format(self, t: float) -> str:
        sec = int(t)
        us = int(round((t - sec) * 1e6))
        if us >= 1_000_000:
            sec, us = sec + 1, us - 1_000_000
        if sec != self._sec:
            self._sec = sec
            self._prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
        return f"{self._prefix}.{us:06d}+00:00" if us else f"{self._prefix}+00:00"


_last = 0.0


def now_monotonic_wall() -> float:
    """Wall-clock seconds, strictly increasing by at least 1 µs: alerts raised together keep their order under ``since``."""
    global _last
    t = max(time.time(), _last + 1e-6)
    _last = t
    return t


def uuid_hex() -> str:
    return uuid.uuid4().hex
