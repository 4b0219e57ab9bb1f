"""The one transfer interface, and the progress / cancellation plumbing shared by submission.

``TransferEngine`` is what the pipeline and the download command call: ``upload(items)`` moves
local files to server paths of the input storage, ``download(files, local_dir)`` brings outputs
back. Engines report through a :class:`Progress` object (thread-safe: upload workers report
bytes from several threads) that turns raw counts into :class:`ProgressEvent` values with an
ETA, hands them to the caller's callback (one call at a time, from whichever thread reports), and raises :class:`Cancelled` when the callback returns
``False`` or the :class:`CancelToken` is set. The panel drives this from a worker thread: its
callback emits a queued signal and its Cancel button sets the token. Standard library only.
"""
import hashlib
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

from rv_dcc.errors import RvDccError

log = logging.getLogger("rv_dcc.transfer")


class Cancelled(RvDccError):
    """The person (or a callback) cancelled the work; nothing is lost, it can be resumed."""

    default_hint = "Resume it with `rv-dcc submit --resume JOURNAL`, or abandon it."


class TransferError(RvDccError):
    """A file could not be moved."""

    default_hint = "Check the network and that the file is readable, then resume; finished files are kept."


class UnsafePathError(TransferError):
    """A name the farm supplied would land outside the folder it must stay in."""

    default_hint = ("The farm listed an output name that leaves the download folder; it was not written. "
                    "Report it to the farm's support; the other files are downloaded.")


_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def local_target(local_dir: "os.PathLike[str] | str", remote_path: str) -> Path:
    """Where the farm file ``remote_path`` goes under ``local_dir``; raises :class:`UnsafePathError`.

    The one rule of every engine: the name is relative to the output root (one leading ``/`` or
    ``\\`` allowed), uses ``/`` or ``\\`` as separators, has no ``..`` part, no drive letter (``C:``),
    no UNC or ``//`` start, no ``:`` (NTFS streams), no NUL or control character, and resolved
    (symbolic links followed) it stays inside ``local_dir``.
    """
    text = str(remote_path)
    shown = repr(text[:200])
    if not text or any(ord(ch) < 32 for ch in text):
        raise UnsafePathError(f"refusing the farm file name {shown}: empty or with control characters")
    unified = text.replace("\\", "/")
    if unified.startswith("//") or _DRIVE_RE.match(unified) or ":" in unified:
        raise UnsafePathError(f"refusing the farm file name {shown}: a drive, UNC or stream name, not a "
                              "path inside the download folder")
    parts = [part for part in unified.lstrip("/").split("/") if part not in ("", ".")]
    if not parts or any(part == ".." or part.strip(" .") == "" for part in parts):
        raise UnsafePathError(f"refusing the farm file name {shown}: it leaves the download folder")
    base = Path(os.path.realpath(os.fspath(local_dir)))
    target = Path(os.path.realpath(os.path.join(base, *parts)))
    if target == base or base not in target.parents:
        raise UnsafePathError(f"refusing the farm file name {shown}: it resolves outside {base}")
    return Path(local_dir).joinpath(*parts)


def relative_name(remote_path: str) -> str:
    """The ``/``-separated relative form of a farm file name already accepted by :func:`local_target`."""
    return "/".join(p for p in str(remote_path).replace("\\", "/").split("/") if p not in ("", "."))


class CancelToken:
    """A flag another thread sets to stop long work at the next safe point."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True as soon as cancelled (an interruptible sleep)."""
        return self._event.wait(seconds)


@dataclass
class ProgressEvent:
    """One report: what stage, which file, how many bytes of how many, and the time left."""

    stage: str                      #: check, create, config, upload, submit, download, done
    message: str = ""
    file: Optional[str] = None      #: the file being moved (server path for uploads)
    bytes_done: int = 0
    bytes_total: int = 0
    files_done: int = 0
    files_total: int = 0
    eta: Optional[float] = None     #: seconds left, None when unknown

    @property
    def fraction(self) -> Optional[float]:
        """bytes_done / bytes_total (files when there are no byte counts), None when unknown."""
        if self.bytes_total > 0:
            return min(1.0, self.bytes_done / self.bytes_total)
        if self.files_total > 0:
            return min(1.0, self.files_done / self.files_total)
        return None


#: A progress callback: return False to cancel (None / True go on).
ProgressCallback = Callable[[ProgressEvent], Optional[bool]]


class Progress:
    """Turns counts into events, estimates the ETA, and enforces cancellation. Thread-safe.

    ``clock`` (seconds, monotonic) times the ETA and the reporting interval; tests pass their own.
    """

    def __init__(self, callback: Optional[ProgressCallback] = None, cancel: Optional[CancelToken] = None,
                 *, min_interval: float = 0.1, clock: Callable[[], float] = time.monotonic) -> None:
        self.callback = callback
        self.cancel_token = cancel or CancelToken()
        self.min_interval = min_interval
        self.clock = clock
        self._lock = threading.Lock()
        self._callback_lock = threading.Lock()
        self._stage = ""
        self._bytes_total = 0
        self._bytes_done = 0
        self._files_total = 0
        self._files_done = 0
        self._started = 0.0
        self._last_emit = 0.0
        self._base_bytes = 0  # bytes already there when the stage began (resume): not counted in speed

    # --- stages and counters -------------------------------------------------------------------
    def stage(self, stage: str, message: str = "", *, files_total: int = 0, bytes_total: int = 0,
              bytes_done: int = 0, files_done: int = 0) -> None:
        """Start a stage (resets the counters) and report it."""
        with self._lock:
            self._stage = stage
            self._files_total, self._files_done = files_total, files_done
            self._bytes_total, self._bytes_done = bytes_total, bytes_done
            self._base_bytes = bytes_done
            self._started = self.clock()
        self._emit(message, force=True)

    def message(self, message: str, file: Optional[str] = None) -> None:
        """Report a line of news in the current stage."""
        self._emit(message, file=file, force=True)

    def add_bytes(self, count: int, file: Optional[str] = None) -> None:
        """Count bytes moved (from any thread); reports at most every ``min_interval`` seconds."""
        with self._lock:
            self._bytes_done += count
        self._emit("", file=file)

    def file_done(self, file: Optional[str] = None, message: str = "") -> None:
        """Count one finished file and report it."""
        with self._lock:
            self._files_done += 1
        self._emit(message, file=file, force=True)

    def check(self) -> None:
        """Raise Cancelled if the token was set (cheap: call it often)."""
        if self.cancel_token.cancelled:
            raise Cancelled("cancelled")

    # --- internals -----------------------------------------------------------------------------
    def eta(self) -> Optional[float]:
        """Seconds left from the speed since the stage began (bytes already there excluded)."""
        with self._lock:
            moved = self._bytes_done - self._base_bytes
            left = self._bytes_total - self._bytes_done
            elapsed = self.clock() - self._started
        if left <= 0:
            return 0.0 if self._bytes_total else None
        if moved <= 0 or elapsed <= 0.05:
            return None
        return left / (moved / elapsed)

    def snapshot(self, message: str = "", file: Optional[str] = None) -> ProgressEvent:
        eta = self.eta()
        with self._lock:
            return ProgressEvent(self._stage, message, file, self._bytes_done, self._bytes_total,
                                 self._files_done, self._files_total, eta)

    def _emit(self, message: str, file: Optional[str] = None, force: bool = False) -> None:
        self.check()
        now = self.clock()
        if not force and now - self._last_emit < self.min_interval:
            return
        self._last_emit = now
        if self.callback is None:
            return
        with self._callback_lock:  # never two calls at once: upload workers report in parallel
            answer = self.callback(self.snapshot(message, file))
        if answer is False:
            self.cancel_token.cancel()
            raise Cancelled("cancelled")


@dataclass
class UploadItem:
    """A local file and the path it must have on the input storage (upload.json's pair)."""

    local: str
    server: str
    size: int = -1
    md5: Optional[str] = None


@dataclass
class UploadResult:
    """How an upload ended: ``uploaded`` (bytes sent) or ``present`` (the storage had it)."""

    item: UploadItem
    md5: str
    size: int
    how: str


@dataclass
class RemoteFile:
    """A file of the output storage: path relative to its root (``/``-separated)."""

    path: str
    size: Optional[int] = None
    extra: dict = field(default_factory=dict)


class TransferEngine:
    """Moves files to and from the farm's storage. Subclasses implement both directions."""

    name = "abstract"

    def upload(self, items: Sequence[UploadItem], progress: Optional[Progress] = None,
               on_done: Optional[Callable[[UploadResult], None]] = None) -> List[UploadResult]:
        """Upload every item; ``on_done`` is called (from any thread) as each file completes.

        A file whose content the storage already holds is not sent again. Raises Cancelled or
        TransferError; files completed before that were reported through ``on_done``.
        """
        raise NotImplementedError

    def download(self, files: Sequence[RemoteFile], local_dir: Path, progress: Optional[Progress] = None,
                 on_done: Optional[Callable[[Path], None]] = None) -> List[Path]:
        """Download ``files`` under ``local_dir`` (keeping their relative paths), resumably.

        A file appears under its final name only when complete (``<name>.part`` until then).
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release connections and worker pools."""


def local_facts(item: "UploadItem", progress: Optional[Progress] = None) -> Tuple[int, str]:
    """(size, md5) of an item's local file before it is sent (its md5 as known, else computed);
    a missing file is a TransferError that says what to do (every engine checks the same way)."""
    if progress is not None:
        progress.check()
    if not os.path.isfile(item.local):
        raise TransferError(f"{item.local} does not exist or is not a file",
                            hint="Restore the file (or fix the scene), then resume.")
    return os.path.getsize(item.local), item.md5 or file_md5(item.local, progress=progress)


def file_md5(path: str, chunk: int = 1 << 20, progress: Optional[Progress] = None) -> str:
    """MD5 hex of a file, read in chunks (checks for cancellation between chunks)."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                break
            digest.update(block)
            if progress is not None:
                progress.check()
    return digest.hexdigest()
