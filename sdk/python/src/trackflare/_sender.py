import threading
import time
from collections import deque
from typing import Any, Callable, Deque, Generic, List, Optional, TypeVar

from ._backoff import backoff_seconds
from .errors import APIError, is_retryable

T = TypeVar("T")


class Batch(Generic[T]):
    """Entries taken from a queue together; ``body`` is encoded once, so a retry resends the same bytes."""

    __slots__ = ("items", "body")

    def __init__(self, items: List[T]):
        self.items = items
        self.body: Optional[bytes] = None


class Channel(Generic[T]):
    """One kind of entry (log entries, system metrics, alerts): a bounded FIFO and how to send a batch of it.

    ``push`` is a deque append plus a length check, so ``log()`` stays cheap; past ``capacity`` the oldest
    entry is dropped and counted (reported once, with the count)."""

    def __init__(self, what: str, capacity: int, max_batch: int, send: Callable[[Batch[T]], None], where: Callable[[List[T]], str]):
        self.what = what
        self.capacity = capacity
        self.max_batch = max_batch
        self.send = send
        self.where = where
        self.queue: Deque[T] = deque(maxlen=capacity)
        self.pending: List[Batch[T]] = []
        self.dropped = 0
        self.delivered = 0

    def push(self, item: T) -> int:
        q = self.queue
        if len(q) == self.capacity:
            self.dropped += 1
        q.append(item)
        return len(q)

    @property
    def buffered(self) -> int:
        return len(self.queue) + sum(len(b.items) for b in self.pending)

    def next_batch(self) -> Optional[Batch[T]]:
        if self.pending:
            return self.pending.pop(0)
        q = self.queue
        n = min(len(q), self.max_batch)
        if not n:
            return None
        return Batch([q.popleft() for _ in range(n)])

    def take_dropped(self) -> int:
        n, self.dropped = self.dropped, 0
        return n


class Sender(threading.Thread):
    """The run's background thread: every ``interval`` seconds, or as soon as ``flush_at`` entries wait, it
    sends each channel's entries in batches. Network errors, 5xx, 408 and 429 are retried with backoff and
    jitter, resending the same batch (its ids make the retry idempotent); a 400 or 413 splits the batch to
    isolate the entry the server refuses; any other 4xx drops the batch with a warning. Nothing here raises."""

    def __init__(self, channels: List[Channel[Any]], interval: float, flush_at: int, warn: Callable[[str], None], name: str, on_exit: Callable[[], None]):
        super().__init__(name=name, daemon=True)
        self.channels = channels
        self.interval = interval
        self.flush_at = flush_at
        self.warn = warn
        self.kicked = False
        self._wake = threading.Event()
        self._nudge = threading.Event()
        self._deadline: Optional[float] = None
        self._failures = 0
        self._idle = threading.Event()
        self._on_exit = on_exit

    def kick(self) -> None:
        """Called by log() when ``flush_at`` entries wait: send now rather than at the next tick."""
        self.kicked = True
        self._wake.set()

    def stop(self, deadline: float) -> None:
        """Sends everything left, retrying until ``deadline`` (``time.monotonic()``), then ends the thread."""
        self._deadline = deadline
        self._nudge.set()  # cut a backoff sleep short
        self._wake.set()

    def flush(self, timeout: float = 30.0) -> bool:
        """Blocks until every entry buffered now is delivered or ``timeout`` passes; True when idle."""
        self._idle.clear()
        self._wake.set()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self._idle.wait(0.05) and not any(c.buffered for c in self.channels):
                return True
            self._wake.set()
        return False

    def run(self) -> None:
        while self._deadline is None:
            self._wake.wait(self.interval)
            self._wake.clear()
            self.kicked = False
            self._drain()
            if not any(c.buffered for c in self.channels):
                self._idle.set()
        while time.monotonic() < self._deadline and any(c.buffered for c in self.channels):
            self._drain()
        self._idle.set()
        self._on_exit()

    def _drain(self) -> None:
        for ch in self.channels:
            self._drain_channel(ch)

    def _drain_channel(self, ch: Channel[Any]) -> None:
        while True:
            final = self._deadline is not None
            if final and time.monotonic() >= self._deadline:  # type: ignore[operator]
                return
            batch = ch.next_batch()
            if batch is None:
                return
            try:
                ch.send(batch)
            except Exception as err:  # noqa: BLE001 - the training loop must never see it
                if is_retryable(err):
                    ch.pending.insert(0, batch)
                    if self._failures == 0:
                        self.warn(f"could not deliver {ch.what} ({err}); retrying with backoff, {ch.buffered} buffered")
                    self._failures += 1
                    delay = backoff_seconds(self._failures - 1)
                    if self._deadline is not None:
                        delay = min(delay, max(0.0, self._deadline - time.monotonic()))
                    self._nudge.wait(delay)
                    self._nudge.clear()
                    continue
                if isinstance(err, APIError) and err.status in (400, 413) and len(batch.items) > 1:
                    mid = (len(batch.items) + 1) // 2
                    ch.pending[0:0] = [Batch(batch.items[:mid]), Batch(batch.items[mid:])]
                    continue
                n = len(batch.items)
                what = ch.what if n != 1 else ch.what[:-3] + "y" if ch.what.endswith("ies") else ch.what.rstrip("s")
                where = f" {ch.where(batch.items)}" if batch.items else ""
                self.warn(f"dropped {n} {what}{where}: {err}")
                continue
            ch.delivered += len(batch.items)
            self._failures = 0
            self.report_dropped(ch)
            # Between ticks, stop once fewer than flush_at wait: the timer sends the rest.
            if not final and not ch.pending and len(ch.queue) < self.flush_at:
                return

    def report_dropped(self, ch: Channel[Any]) -> None:
        n = ch.take_dropped()
        if n:
            self.warn(
                f"dropped the {n} oldest {ch.what}: at most {ch.capacity} are buffered (plus one batch in flight) while the server cannot be reached"
            )
