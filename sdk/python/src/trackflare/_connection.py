import json
import os
from pathlib import Path
from typing import NamedTuple, Optional
from urllib.parse import parse_qs, urlsplit, urlunsplit

from .errors import TrackflareError


class Connection(NamedTuple):
    url: str
    token: Optional[str]


def _env(name: str) -> Optional[str]:
    return os.environ.get(name) or None


def config_path() -> Path:
    """The CLI's config file: $TRACKFLARE_CONFIG, else $XDG_CONFIG_HOME/trackflare/config.json, else ~/.config/…"""
    explicit = _env("TRACKFLARE_CONFIG")
    if explicit:
        return Path(explicit)
    base = _env("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "trackflare" / "config.json"


def _config_file() -> dict:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def resolve_connection(url: Optional[str] = None, token: Optional[str] = None) -> Connection:
    """Arguments first, then TRACKFLARE_URL/TRACKFLARE_TOKEN, then Trackio's TRACKIO_SERVER_URL/TRACKIO_WRITE_TOKEN,
    then the CLI's config file (``trackflare login``). A ``?write_token=`` in the URL (Trackio's share links) becomes the token."""
    file = None
    raw = url or _env("TRACKFLARE_URL") or _env("TRACKIO_SERVER_URL")
    if not raw:
        file = _config_file()
        raw = file.get("url") if isinstance(file.get("url"), str) else None
    if not raw:
        raise TrackflareError("No server URL: pass url=, set TRACKFLARE_URL (or TRACKIO_SERVER_URL), or run 'trackflare login'")
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TrackflareError(f"Invalid server URL '{raw}': it must be an http(s) URL")
    query = parse_qs(parts.query)
    url_token = (query.get("write_token") or query.get("token") or [None])[0]
    clean = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    key = token or url_token or _env("TRACKFLARE_TOKEN") or _env("TRACKIO_WRITE_TOKEN")
    if not key:
        file = _config_file() if file is None else file
        key = file.get("token") if isinstance(file.get("token"), str) else None
    return Connection(clean, key)
