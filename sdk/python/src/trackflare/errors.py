from typing import Any, Dict, List, Optional


class TrackflareError(Exception):
    """Base class of every error this package raises."""


class TrackflareWarning(UserWarning):
    """Problems met after ``init``: tracking never raises into the training loop, it warns with this category."""


class APIError(TrackflareError):
    """The server answered with an error status; ``body`` is the parsed JSON answer (the API's one error shape)."""

    def __init__(self, status: int, code: str, message: str, details: Optional[List[Dict[str, Any]]] = None, body: Any = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.body = body

    def __str__(self) -> str:
        parts = [f"{d.get('path')}: {d.get('message')}" if d.get("path") else str(d.get("message")) for d in self.details[:5] if isinstance(d, dict)]
        missing = [p for p in parts if p not in self.message]
        return f"HTTP {self.status}: {self.message}" + (f" ({'; '.join(missing)})" if missing else "")

    @staticmethod
    def from_response(status: int, body: Any) -> "APIError":
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict) and isinstance(err.get("message"), str):
            code, message, details = str(err.get("code", "unknown")), err["message"], err.get("details")
        else:
            code, message, details = "unknown", f"HTTP {status}", None
        cls = _ERROR_FOR_STATUS.get(status) or (InternalServerError if status >= 500 else APIError)
        return cls(status, code, message, details if isinstance(details, list) else None, body)


class BadRequestError(APIError):
    pass


class AuthenticationError(APIError):
    pass


class PermissionDeniedError(APIError):
    pass


class NotFoundError(APIError):
    pass


class ConflictError(APIError):
    pass


class PayloadTooLargeError(APIError):
    pass


class RateLimitError(APIError):
    pass


class InternalServerError(APIError):
    pass


_ERROR_FOR_STATUS = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitError,
}


class APIConnectionError(TrackflareError):
    """The server could not be reached (refused, reset, DNS) or did not answer in time."""


class APITimeoutError(APIConnectionError):
    pass


def is_retryable(err: BaseException) -> bool:
    """Whether a failed request may succeed if sent again unchanged: network errors, 5xx, 408, 429."""
    if isinstance(err, APIConnectionError):
        return True
    if isinstance(err, APIError):
        return err.status >= 500 or err.status in (408, 429)
    return False
