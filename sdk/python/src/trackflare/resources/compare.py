from typing import Any, Dict, List, Optional, Sequence

from .._http import Http, seg
from ..errors import NotFoundError


class Compare:
    def __init__(self, http: Http):
        self._http = http

    def runs(
        self,
        project: str,
        runs: Optional[Sequence[str]] = None,
        metrics: Optional[Sequence[str]] = None,
        mode: str = "auto",
        modes: Optional[Dict[str, str]] = None,
        group: Optional[str] = None,
    ) -> Dict[str, Any]:
        query: Dict[str, Any] = {"mode": mode, "group": group}
        if runs is not None:
            query["runs"] = list(runs)
        if metrics is not None:
            query["metrics"] = list(metrics)
        if modes:
            query["modes"] = [f"{name}:{m}" for name, m in modes.items()]
        try:
            return self._http.request("GET", f"/v1/projects/{seg(project)}/compare", query=query)
        except NotFoundError as err:
            raise ValueError(err.message) from err


__all__: List[str] = ["Compare"]
