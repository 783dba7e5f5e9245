from typing import Any, Dict, List, Optional

from .._encode import decode_value
from .._http import Http, seg


def metric_path(name: str) -> str:
    # Metric names may hold '/' (`train/loss`); the route takes the rest of the path as the name.
    return "/".join(seg(part) for part in name.split("/"))


class Metrics:
    def __init__(self, http: Http):
        self._http = http

    def names(self, project: str, run: str) -> List[str]:
        return self._http.request("GET", f"/v1/projects/{seg(project)}/runs/{seg(run)}/metrics")["metrics"]

    def values(
        self,
        project: str,
        run: str,
        name: str,
        max_points: Optional[int] = None,
        step: Optional[int] = None,
        around: Optional[int] = None,
        window: Optional[int] = None,
    ) -> List[Dict[str, Any]]:
        """``[{"step", "timestamp", "value"}]`` in step order: all points, at ``step``, within ``window`` of
        ``around``, or downsampled to ``max_points`` (keeping the first, last, minima and maxima)."""
        res = self._http.request(
            "GET",
            f"/v1/projects/{seg(project)}/runs/{seg(run)}/metrics/{metric_path(name)}",
            query={"max_points": max_points, "step": step, "around": around, "window": window},
        )
        return [dict(p, value=decode_value(p.get("value"))) for p in res["values"]]
