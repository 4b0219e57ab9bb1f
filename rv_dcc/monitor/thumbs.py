"""Frame thumbnails cached on disk, fetched from the URLs ``loadingFrameThumbnail`` returns.

A finished frame's thumbnail never changes (a re-render gets a new frame record or a new
``recommitFlag``, which is part of the key), so the cache keeps one file per (frame id, render
count) under the user's cache folder and never asks twice. Files are written under a temporary
name and renamed, so a half-downloaded image is never shown. Fetching blocks: call
:meth:`ThumbnailCache.fetch` from a worker. The cache trims itself to a size budget, oldest
first. Standard library only (urllib), no Qt.
"""
import hashlib
import logging
import os
import threading
import urllib.request
from typing import Callable, Iterable, List, Optional

from rv_dcc.fsutil import atomic_write

log = logging.getLogger("rv_dcc.monitor.thumbs")

#: Downloader: url -> bytes. Injected in tests; the default uses urllib with a timeout.
Downloader = Callable[[str], bytes]

_IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tga")


def default_cache_dir() -> str:
    """``<user cache dir>/rv_dcc/thumbnails`` (platformdirs), created on first write only."""
    from platformdirs import user_cache_dir

    return os.path.join(user_cache_dir("rv_dcc", appauthor=False), "thumbnails")


def namespace_for(api: object) -> str:
    """The cache namespace of a client: its farm domain and account (no secret)."""
    return f"{getattr(api, 'domain', '')}|{getattr(api, 'access_id', '')}"


def urllib_download(url: str, timeout: float = 20.0, limit: int = 32 * 1024 * 1024) -> bytes:
    """GET ``url`` and return its body (refuses anything larger than ``limit`` bytes)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url[:80]}")
    with urllib.request.urlopen(url, timeout=timeout) as reply:  # noqa: S310 - scheme checked above
        data = reply.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"thumbnail larger than {limit} bytes: {url.split('?', 1)[0][:80]}")
    return data


class ThumbnailCache:
    """Thumbnails on disk, keyed by frame id and render count (thread-safe)."""

    def __init__(self, directory: Optional[str] = None, download: Optional[Downloader] = None,
                 max_bytes: int = 512 * 1024 * 1024, namespace: str = "") -> None:
        self.directory = directory or default_cache_dir()
        if namespace:
            # frame ids are only unique within one farm account: keep each account's files apart
            self.directory = os.path.join(self.directory, hashlib.sha1(namespace.encode("utf-8")).hexdigest()[:12])
        self.download = download or urllib_download
        self.max_bytes = max_bytes
        self.downloads = 0  #: network fetches made (tests check the cache avoids them)
        self._lock = threading.Lock()

    def path_for(self, frame_id: int, render_count: int = 0, url: str = "") -> str:
        """Where the thumbnail of this frame (this render of it) lives in the cache."""
        ext = os.path.splitext(url.split("?", 1)[0])[1].lower()
        ext = ext if ext in _IMAGE_EXTS else ".img"
        shard = hashlib.sha1(str(frame_id).encode()).hexdigest()[:2]
        return os.path.join(self.directory, shard, f"{int(frame_id)}_{int(render_count)}{ext}")

    def cached(self, frame_id: int, render_count: int = 0) -> Optional[str]:
        """The cached file of this frame, or None (no network)."""
        folder = os.path.dirname(self.path_for(frame_id, render_count))
        prefix = f"{int(frame_id)}_{int(render_count)}."
        try:
            names = os.listdir(folder)
        except OSError:
            return None
        for name in names:
            if name.startswith(prefix):
                return os.path.join(folder, name)
        return None

    def fetch(self, frame_id: int, urls: Iterable[str], render_count: int = 0) -> Optional[str]:
        """The cached path, downloading the first URL that works when not cached yet.

        Returns None when no URL is given; raises the last download error when all fail.
        """
        hit = self.cached(frame_id, render_count)
        if hit:
            return hit
        last_error: Optional[BaseException] = None
        for url in urls:
            try:
                data = self.download(url)
            except Exception as error:  # noqa: BLE001 - try the next URL, report the last failure
                last_error = error
                # The query string of a file URL is a capability (``sig=``): log the path only.
                log.debug("thumbnail %s failed from %s: %s", frame_id, url.split("?", 1)[0][:120], error)
                continue
            with self._lock:
                self.downloads += 1
                due_trim = self.downloads % 64 == 1  # walking the folder costs: not on every file
            path = self.path_for(frame_id, render_count, url)
            self._write(path, data)
            if due_trim:
                self.trim()
            return path
        if last_error is not None:
            raise last_error
        return None

    def _write(self, path: str, data: bytes) -> None:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        # Atomic: readers see no file or the whole image. No fsync: a thumbnail lost to a power
        # cut is fetched again.
        atomic_write(path, data, fsync=False)

    def files(self) -> List[str]:
        """Every cached thumbnail file."""
        found: List[str] = []
        for root, _dirs, names in os.walk(self.directory):
            # ".<name>.*.tmp" files are writes in progress (rv_dcc.fsutil.atomic_write)
            found.extend(os.path.join(root, name) for name in names if not name.startswith("."))
        return found

    def trim(self) -> int:
        """Delete the least recently written files beyond ``max_bytes``; returns files removed."""
        entries = []
        total = 0
        for path in self.files():
            try:
                stat = os.stat(path)
            except OSError:
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
            total += stat.st_size
        removed = 0
        for _mtime, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            try:
                os.unlink(path)
                total -= size
                removed += 1
            except OSError:
                pass
        return removed
