from enum import Enum
from typing import Optional, Union


class AlertLevel(str, Enum):
    """Severity of an alert, as in Trackio: ``INFO`` < ``WARN`` < ``ERROR``.

    Agents treat ``ERROR`` as "stop and change approach", ``WARN`` as "tweak" and ``INFO`` as a milestone.
    """

    INFO = "info"
    WARN = "warn"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


LevelLike = Union[AlertLevel, str]


def to_level(level: object) -> Optional[AlertLevel]:
    """An ``AlertLevel`` from a member or a string in any case (``"error"``, ``"ERROR"``); None if neither."""
    if isinstance(level, AlertLevel):
        return level
    if isinstance(level, str):
        try:
            return AlertLevel(level.strip().lower())
        except ValueError:
            return None
    return None
