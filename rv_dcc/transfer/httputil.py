"""Small pieces of the HTTP transfer engine (rv_dcc.transfer.http): retry and wait
signals, the wait for another upload of the same file, capped reply reads, progress counting.
Standard library only.
"""
import time
from typing import Any, Optional, Sequence

from rv_dcc.transfer.base import Cancelled, Progress, TransferError

#: Seconds to wait for another upload of the same file (busy / pending) that shows no progress.
SHARED_WAIT = 120.0


class _Retry(Exception):
    """A transient failure worth another attempt."""


class _Busy(Exception):
    """Another upload of the same file is in progress at the farm (``size``: its progress, -1 unknown)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class _Waiting:
    """Backoff while another upload progresses; gives up after SHARED_WAIT s without progress."""

    def __init__(self, what: str) -> None:
        self.what, self.size, self.since, self.delay = what, -2, time.monotonic(), 0.05

    def stalled(self) -> bool:
        return self.size == -1 and time.monotonic() - self.since > SHARED_WAIT

    def next(self, size: int) -> float:
        now = time.monotonic()
        if size != self.size:
            self.size, self.since = size, now
        elif now - self.since > SHARED_WAIT:
            raise TransferError(f"another upload of {self.what} made no progress for {SHARED_WAIT:.0f} s",
                                hint="Resume later; the farm lets another upload take over once it stalls.")
        self.delay = min(2.0, self.delay * 2)
        return self.delay


def _read_capped(reply: Any, limit: int, where: str) -> bytes:
    """Read a control reply, refusing one over ``limit`` bytes before it is all in memory."""
    declared = str(reply.headers.get("Content-Length") or "")
    parts, size = [], 0
    if not (declared.isdigit() and int(declared) > limit):
        for block in reply.iter_content(1 << 16):
            size += len(block)
            if size > limit:
                break
            parts.append(block)
    if size > limit or (declared.isdigit() and int(declared) > limit):
        reply.close()
        raise TransferError(f"the transfer endpoint {where} sent a reply of more than {limit // 1024} KiB; refused",
                            hint="The farm's reply is wrong; report it to the farm's support.")
    content = b"".join(parts)
    reply._content, reply._content_consumed = content, True
    return content


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


class _Counter:
    """Reports one file's bytes to Progress as a high-water mark, so retries never count twice."""

    def __init__(self, progress: Optional[Progress], file: str) -> None:
        self.progress, self.file, self.reported = progress, file, 0

    def to(self, done: int) -> None:
        if self.progress is not None and done > self.reported:
            self.progress.add_bytes(done - self.reported, self.file)
            self.reported = done


def _raise_first(errors: Sequence[Optional[BaseException]]) -> None:
    """Raise a cancellation if any worker saw one, else the first error; nothing when all went well."""
    found = [e for e in errors if e is not None]
    if found:
        raise next((e for e in found if isinstance(e, Cancelled)), found[0])
