"""Writing files that rv_dcc later trusts, so that a crash never leaves half of one.

:func:`atomic_write` is the one way rv_dcc writes a file it (or a DCC) reads back later -- journal
state, task files, scene descriptions, the account file, thumbnails, install manifests: the bytes
go to a uniquely named temporary file in the same folder, are flushed (and fsynced unless told
otherwise), and the temporary file is renamed over the target with ``os.replace`` (atomic on POSIX
and Windows). A reader sees the old file or the new one, never a mix; a crash mid-write leaves at
most a ``.<name>.*.tmp`` file that nothing reads. The file's permissions are ``mode`` filtered by
the umask, as ``open()`` would give (pass ``0o600`` for a file only its owner may read: it is
created with that mode, so it is never readable by others, not even for a moment). Standard
library only; nothing happens at import. :func:`private_folder`, :func:`private_file` and
:func:`open_private` make folders (0700) and files (0600) only their owner can use, whatever the
umask: journals and the embedded farm's data name the person's files.
"""
import json
import os
import secrets
from typing import Any, Union

__all__ = ["atomic_write", "atomic_write_json", "fsync_dir", "open_private", "private_file", "private_folder"]

PathLike = Union[str, "os.PathLike[str]"]


def fsync_dir(folder: PathLike) -> None:
    """Flush a folder's entries to disk where the platform allows (so a rename survives a power cut)."""
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: folders cannot be opened for fsync; NTFS journals the rename itself
    try:
        fd = os.open(os.fspath(folder), os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a folder; the rename still happened
        pass
    finally:
        os.close(fd)


def atomic_write(path: PathLike, data: Union[bytes, str], *, mode: int = 0o666, fsync: bool = True,
                 encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``data`` (bytes, or text encoded with ``encoding``) atomically.

    ``mode`` is filtered by the umask like ``open()`` does; ``fsync`` False skips the flushes to
    disk (for caches, where losing the newest file after a power cut only costs a re-download).
    The folder must exist. Raises OSError as ``open()`` would; the target is then untouched.
    """
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    payload = data.encode(encoding) if isinstance(data, str) else bytes(data)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    while True:
        temp = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temp, flags, mode)
            break
        except FileExistsError:  # pragma: no cover - 32 random bits collided: draw again
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    if fsync:
        fsync_dir(folder)


def atomic_write_json(path: PathLike, value: Any, *, indent: int = 2, mode: int = 0o666, fsync: bool = True,
                      **dumps: Any) -> None:
    """:func:`atomic_write` of ``value`` as UTF-8 JSON text ending with a newline."""
    dumps.setdefault("ensure_ascii", False)
    atomic_write(path, json.dumps(value, indent=indent, **dumps) + "\n", mode=mode, fsync=fsync)


def private_folder(path: PathLike) -> None:
    """Create ``path`` and its missing parents owner-only (0700); an existing one of this user too."""
    target = os.path.abspath(os.fspath(path))
    missing = []
    folder = target
    while not os.path.exists(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    os.makedirs(target, mode=0o700, exist_ok=True)
    if os.name == "nt":
        return  # NTFS ACLs, not mode bits, protect folders there
    for made in missing:
        os.chmod(made, 0o700)  # makedirs' mode is filtered by the umask and skips the parents
    if target not in missing and os.stat(target).st_uid == os.getuid():
        os.chmod(target, 0o700)


def private_file(path: PathLike) -> None:
    """Make sure ``path`` exists and only its owner may read or write it (0600)."""
    os.close(os.open(os.fspath(path), os.O_CREAT | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600))
    if os.name != "nt":
        os.chmod(path, 0o600)


def open_private(path: PathLike, append_only: bool = False) -> Any:
    """``path`` opened for appending (``a+b``, or ``ab`` with ``append_only``), created 0600 when new."""
    flags = os.O_CREAT | os.O_APPEND | (os.O_WRONLY if append_only else os.O_RDWR) | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(os.fspath(path), flags, 0o600), "ab" if append_only else "a+b")
