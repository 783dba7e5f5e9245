from typing import Any, Callable, Dict, List, Optional

from .media import Histogram, Table, _MediaFile

Uploader = Callable[[_MediaFile, bytes, str, int, str], Dict[str, Any]]


def resolve_media(items: List[Any], upload: Uploader, warn: Callable[[str], None]) -> None:
    """Replaces the media values of buffered entries (and media cells of tables) with the references the
    server answers for them, uploading each first: an entry is sent only after its files are stored.
    Resolved values stay in the entry, so a retried batch uploads only what is left (a repeated upload with
    the same id is stored once anyway). Upload failures propagate, so the sender retries or isolates the entry
    as for any request; a file that cannot be read or sent at all becomes None, with a warning."""

    def one(f: _MediaFile, step: int, name: str) -> Optional[Dict[str, Any]]:
        try:
            data, ctype = f.load()
        except (OSError, ValueError) as err:
            warn(f"dropped the {f.kind} logged as {name!r} at step {step}: {err}")
            return None
        return upload(f, data, ctype, step, name)

    for s, m, _t, _n in items:
        for name, v in list(m.items()):
            if isinstance(v, _MediaFile):
                m[name] = one(v, s, name)
            elif isinstance(v, Table):
                rows = [{c: (one(x, s, name) if isinstance(x, _MediaFile) else x) for c, x in row.items()} for row in v.rows]
                m[name] = {"_type": "trackio.table", "_value": rows}
            elif isinstance(v, Histogram):
                m[name] = v.to_wire()
