"""Media values, as Trackio's: ``Image``, ``Audio``, ``Video``, ``Table`` and ``Histogram``.

``run.log({"samples/pred": trackflare.Image("pred.png", caption="epoch 3")})`` returns at once; the file is
uploaded in the background before the entry that holds it, and the entry carries Trackio's reference
(``{"_type": "trackio.image", "file_path", "caption", ...}``)."""

import io
import math
import os
import uuid
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

#: The largest file the server stores.
MAX_MEDIA_BYTES = 50 * 1024 * 1024

# Extension and kind of each content type the server stores (src/contract/media.ts).
_TYPES: Dict[str, Tuple[str, str]] = {
    "image/png": ("png", "image"),
    "image/jpeg": ("jpg", "image"),
    "image/gif": ("gif", "image"),
    "image/webp": ("webp", "image"),
    "image/svg+xml": ("svg", "image"),
    "audio/wav": ("wav", "audio"),
    "audio/mpeg": ("mp3", "audio"),
    "audio/ogg": ("ogg", "audio"),
    "audio/flac": ("flac", "audio"),
    "video/mp4": ("mp4", "video"),
    "video/webm": ("webm", "video"),
}
_BY_EXT = {ext: t for t, (ext, _) in _TYPES.items()}
_BY_EXT.update({"jpeg": "image/jpeg", "oga": "audio/ogg"})

Source = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", Any]


def _sniff(b: bytes) -> Optional[str]:
    if b.startswith(b"\x89PNG"):
        return "image/png"
    if b.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if b.startswith(b"GIF8"):
        return "image/gif"
    if b[:4] == b"RIFF" and b[8:12] == b"WEBP":
        return "image/webp"
    if b[:4] == b"RIFF" and b[8:12] == b"WAVE":
        return "audio/wav"
    if b.startswith(b"OggS"):
        return "audio/ogg"
    if b.startswith(b"fLaC"):
        return "audio/flac"
    if b.startswith(b"ID3") or (len(b) > 1 and b[0] == 0xFF and b[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if b[4:8] == b"ftyp":
        return "video/mp4"
    if b.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if b.lstrip()[:4] in (b"<svg", b"<?xm"):
        return "image/svg+xml"
    return None


class _MediaFile:
    _kind = ""

    def __init__(self, value: Source, caption: Optional[str] = None, content_type: Optional[str] = None):
        self._value = value
        self.caption = caption
        self._content_type = content_type
        #: Fixed here, so a retried upload of this file stores it once.
        self.upload_id = uuid.uuid4().hex

    @property
    def kind(self) -> str:
        return self._kind

    def _bytes(self) -> Tuple[bytes, Optional[str]]:
        v = self._value
        if isinstance(v, (bytes, bytearray, memoryview)):
            return bytes(v), None
        if isinstance(v, (str, os.PathLike)):
            path = os.fspath(v)
            with open(path, "rb") as f:
                data = f.read(MAX_MEDIA_BYTES + 1)
            return data, _BY_EXT.get(os.path.splitext(path)[1][1:].lower())
        save = getattr(v, "save", None)
        if callable(save) and self._kind == "image":  # a PIL image
            buf = io.BytesIO()
            save(buf, format="PNG")
            return buf.getvalue(), "image/png"
        raise ValueError(f"a {self._kind} needs bytes, a file path or a PIL image, not {type(v).__name__}")

    def load(self) -> Tuple[bytes, str]:
        """The bytes and content type to upload; raises ``ValueError``/``OSError`` for a file that cannot be sent."""
        data, named = self._bytes()
        if len(data) > MAX_MEDIA_BYTES:
            raise ValueError("the file is larger than the 50 MB the server stores")
        asked = (self._content_type or "").split(";")[0].strip().lower() or None
        ctype = asked if asked in _TYPES else named or _sniff(data[:16])
        if not ctype:
            raise ValueError(f"its type is not one the server stores ({', '.join(_TYPES)}); pass content_type")
        natural = _TYPES[ctype][1]
        if natural != self._kind and not (self._kind == "video" and ctype == "image/gif"):
            raise ValueError(f"a {ctype} file cannot be logged as {self._kind}")
        return data, ctype


class Image(_MediaFile):
    """An image (png, jpeg, gif, webp, svg; or a PIL image, sent as png), as ``trackio.Image``."""

    _kind = "image"


class Audio(_MediaFile):
    """A sound (wav, mp3, ogg, flac), as ``trackio.Audio``."""

    _kind = "audio"


class Video(_MediaFile):
    """A clip (mp4, webm, or a gif as Trackio writes them), as ``trackio.Video``."""

    _kind = "video"


class Table:
    """A table, as ``trackio.Table``: ``columns`` and ``data`` (rows as lists), ``rows`` (dicts) or a pandas
    ``dataframe``. Cells may hold ``Image``, ``Audio`` or ``Video``, uploaded like any media value."""

    def __init__(self, columns: Optional[Sequence[str]] = None, data: Optional[Sequence[Sequence[Any]]] = None, dataframe: Any = None, rows: Optional[Sequence[Dict[str, Any]]] = None):
        if dataframe is not None:
            self.rows: List[Dict[str, Any]] = [dict(r) for r in dataframe.to_dict("records")]
        elif rows is not None:
            self.rows = [dict(r) for r in rows]
        else:
            cols = list(columns or [])
            self.rows = [{c: (row[i] if i < len(row) else None) for i, c in enumerate(cols)} for row in (data or [])]


class Histogram:
    """A histogram, as ``trackio.Histogram``: from a ``sequence`` of values (``num_bins`` equal bins, default
    64, numpy's rule) or from ``np_histogram=(counts, bin_edges)``."""

    def __init__(self, sequence: Optional[Sequence[float]] = None, np_histogram: Optional[Tuple[Sequence[float], Sequence[float]]] = None, num_bins: int = 64):
        if np_histogram is not None:
            counts, edges = np_histogram
            self.values = [float(c) if not float(c).is_integer() else int(c) for c in counts]
            self.bins = [float(e) for e in edges]
            if len(self.bins) != len(self.values) + 1:
                raise ValueError("Histogram: bin_edges must have one more edge than counts")
            return
        vals = [float(v) for v in (sequence or []) if math.isfinite(float(v))]
        n = max(1, int(num_bins))
        lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        width = (hi - lo) / n
        self.bins = [lo + i * width for i in range(n + 1)]
        self.values = [0] * n
        for v in vals:
            self.values[min(n - 1, int((v - lo) / width))] += 1

    def to_wire(self) -> Dict[str, Any]:
        return {"_type": "trackio.histogram", "bins": self.bins, "values": self.values}
