from typing import Any, Dict, List

from .._http import Http, seg
from ..errors import NotFoundError


class Projects:
    def __init__(self, http: Http):
        self._http = http

    def list(self) -> List[Dict[str, Any]]:
        """Projects with run counts and last activity."""
        return self._http.request("GET", "/v1/projects")["projects"]

    def get(self, project: str) -> Dict[str, Any]:
        """The project's summary; ValueError (as Trackio's ``Api``) when it does not exist."""
        try:
            return self._http.request("GET", f"/v1/projects/{seg(project)}")
        except NotFoundError as err:
            raise ValueError(f"Project '{project}' does not exist") from err

    def require(self, project: str) -> None:
        self.get(project)
