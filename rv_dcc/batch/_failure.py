"""What a failed batch interpreter run becomes: a short error naming a full log file.

A host's batch interpreter that fails prints a traceback or pages of start-up noise. The error
an artist reads keeps only the last meaningful line(s) -- the exception line of a traceback, or
the last lines printed -- and the child's whole output goes to a log file under the user's cache
folder (``<user_cache_dir("rv_dcc")>/logs/batch-<host>-<time>.log``), whose path the message
names so support can ask for it. Only the newest few such logs are kept.
"""
import logging
import os
import time
from typing import List, Optional

from rv_dcc.batch.errors import BatchError

log = logging.getLogger("rv_dcc.batch.failure")

_TRACEBACK_HEAD = "Traceback (most recent call last):"
#: Batch logs kept in the log folder (older ones are removed when a new one is written).
KEEP_LOGS = 20
_MAX_LINE = 300


def log_dir() -> str:
    """The folder of batch logs: ``<user cache dir of rv_dcc>/logs``."""
    from platformdirs import user_cache_dir

    return os.path.join(user_cache_dir("rv_dcc", appauthor=False), "logs")


def last_meaningful(output: str, lines: int = 2) -> List[str]:
    """The line(s) that say what went wrong: a traceback's exception line, else the last lines."""
    text = output.replace("\r\n", "\n").strip()
    if _TRACEBACK_HEAD in text:
        rest = text.rsplit(_TRACEBACK_HEAD, 1)[1].splitlines()
        # The exception line is the first line after the indented frames that is not indented;
        # a chained or multi-line message keeps its following lines up to ``lines``.
        body = [line for line in rest if line.strip()]
        start = next((i for i, line in enumerate(body) if not line[:1].isspace()), None)
        if start is not None:
            return [_short(line) for line in body[start:start + lines]]
    tail = [line.strip() for line in text.splitlines() if line.strip()]
    return [_short(line) for line in tail[-lines:]]


def _short(line: str) -> str:
    line = line.strip()
    return line if len(line) <= _MAX_LINE else line[:_MAX_LINE - 1] + "…"


def write_log(host: str, scene: str, returncode: Optional[int], output: str) -> Optional[str]:
    """Write the child's whole output to a new log file; its path, or None when it could not be written."""
    folder = log_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = os.path.join(folder, f"batch-{host}-{stamp}-{os.getpid()}.log")
    text = f"rv_dcc batch run of {host} on {scene}: exit status {returncode}\n\n{output}"
    if not text.endswith("\n"):
        text += "\n"
    try:
        from rv_dcc.fsutil import atomic_write

        os.makedirs(folder, exist_ok=True)
        # fsync=False: a diagnostic log, not state anyone resumes from
        atomic_write(path, text.encode("utf-8", "replace"), fsync=False)
    except OSError as exc:
        log.warning("could not write the batch log %s: %s", path, exc)
        return None
    _prune(folder, host)
    return path


def _prune(folder: str, host: str) -> None:
    # A scene that fails every time must not fill the disk with logs: keep the newest few.
    try:
        logs = sorted((os.path.join(folder, name) for name in os.listdir(folder)
                       if name.startswith(f"batch-{host}-") and name.endswith(".log")), key=os.path.getmtime)
        for old in logs[:-KEEP_LOGS]:
            os.remove(old)
    except OSError as exc:
        log.debug("could not prune batch logs in %s: %s", folder, exc)


def child_failed(host: str, label: str, scene: str, returncode: Optional[int], output: str,
                 hint: str) -> BatchError:
    """The error of a batch run that exited with ``returncode`` (or wrote no description).

    The message keeps the last meaningful line(s) of ``output`` and names the log file holding
    all of it (or, when no log could be written, keeps the last few lines instead).
    """
    path = write_log(host, scene, returncode, output)
    reason = last_meaningful(output, 2 if path else 5)
    message = f"{label} could not read {scene} (exit status {returncode})"
    if reason:
        message += ": " + " / ".join(reason)
    else:
        message += " and printed nothing"
    if path:
        message += f". Full output: {path}"
    return BatchError(message, hint=hint)
