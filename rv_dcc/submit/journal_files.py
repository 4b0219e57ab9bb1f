"""The on-disk primitives of a submission journal (rv_dcc.submit.journal).

Where journals live (``default_root``), how a file is replaced so a crash leaves the old or the
new one (``atomic_write``), how state becomes bytes with secret-looking keys dropped
(``json_bytes``, ``scrub``), and the OS file lock that lets one process at a time work on a
submission (``try_lock``). Standard library only.
"""
import json
import os
import time
from pathlib import Path
from typing import Any, Optional

#: Keys that must never be written to a journal, whatever a caller passes in.
_SECRET_KEYS = frozenset({"access_key", "accesskey", "password", "signature", "secret", "token"})


def default_root() -> Path:
    """The default journal root: ``<user data dir>/rv_dcc/journals`` (RV_DCC_JOURNALS overrides)."""
    env = os.environ.get("RV_DCC_JOURNALS")
    if env:
        return Path(env)
    from platformdirs import user_data_dir  # lazy: keeps `import rv_dcc.submit` cheap

    return Path(user_data_dir("rv_dcc")) / "journals"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new one, never a mix.

    :func:`rv_dcc.fsutil.atomic_write` (temp file in the same folder, fsync, ``os.replace``,
    folder fsync), owner-only like the rest of the journal.
    """
    from rv_dcc.fsutil import atomic_write as _atomic_write

    _atomic_write(path, data, mode=0o600)


def json_bytes(value: Any) -> bytes:
    """``value`` as the indented UTF-8 JSON a journal file holds."""
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def scrub(value: Any) -> Any:
    """Drop secret-looking keys from dicts (defence in depth: callers should never pass them)."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if str(k).lower() not in _SECRET_KEYS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def now() -> float:
    """The time a journal records (seconds since the epoch, to the millisecond)."""
    return round(time.time(), 3)


def try_lock(path: Path) -> Optional[Any]:
    """An open handle holding the exclusive OS lock of ``path``, or None when another process holds it.

    The lock is an OS file lock, so it disappears with a killed process; closing the handle
    releases it.
    """
    from rv_dcc.fsutil import open_private

    handle = open_private(path)
    try:
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle
