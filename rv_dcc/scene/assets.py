"""Finding and hashing the files a scene description references.

This module owns :func:`expand_tokens` (a token path -> the files that exist; tokens are listed
in :mod:`rv_dcc.scene.tokens`), :func:`scan_assets` (every AssetRef of a description -> the files
found with size, mtime and md5, and the references that match nothing, each with where it came
from and why) and the result types. Folders are listed once per scan (:class:`DirListing`);
md5s come from a :class:`~rv_dcc.scene.hashcache.HashCache`, and files not cached are hashed in
a thread pool (hashlib releases the GIL) so reading and hashing overlap. The threads live only
for the duration of one call.
"""
import logging
import ntpath
import os
import stat as stat_mod
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

from rv_dcc.errors import RvDccError
from rv_dcc.scene.expand import DirListing, expand_pattern, udim_from_number
from rv_dcc.scene.frames import Frames
from rv_dcc.scene.hashcache import HashCache, cache_key_path, default_cache
from rv_dcc.scene.model import AssetRef, SceneDescription
from rv_dcc.scene.paths import has_variable
from rv_dcc.scene.tokens import has_tokens

__all__ = ["expand_tokens", "scan_assets", "AssetScan", "FoundFile", "MissingAsset", "ScanCancelled",
           "HashCache", "default_cache", "DirListing", "udim_from_number"]

log = logging.getLogger("rv_dcc.scene.assets")

Progress = Callable[[int, int], bool]


class ScanCancelled(RvDccError):
    """The progress callback asked to stop; hashes computed so far are kept in the cache."""

    default_hint = "Scan again when ready; files already hashed will not be read again."


class FoundFile(NamedTuple):
    """A file on disk that the scene needs (immutable; a NamedTuple because scans build thousands)."""

    path: str  #: as expanded from the reference (absolute when the reference was)
    size: int
    mtime_ns: int
    md5: Optional[str]  #: md5 hex, None when the scan ran with hash_files=False
    ref: AssetRef  #: the (first) reference that led to it


@dataclass(frozen=True)
class MissingAsset:
    """A reference that matches no file."""

    ref: AssetRef
    expanded: str  #: the path that was looked for (after resolving relative paths)
    reason: str  #: for the artist, e.g. "no file matches 'wood.<UDIM>.exr' in /proj/tex"


@dataclass
class AssetScan:
    """What :func:`scan_assets` found. Each file appears once in ``found``, even if referenced twice."""

    found: List[FoundFile] = field(default_factory=list)
    missing: List[MissingAsset] = field(default_factory=list)
    scene: Optional[FoundFile] = None  #: the scene file itself (hashed too), None when it is missing
    hashed: int = 0  #: files read and hashed during this scan (0 when everything was cached)
    listings: int = 0  #: folders listed during this scan

    @property
    def total_bytes(self) -> int:
        """Total size of the found files (scene excluded)."""
        return sum(f.size for f in self.found)


def expand_tokens(path: str, frames: Optional[Frames] = None, *, udim_numbers: bool = False) -> List[str]:
    """The files that exist for ``path``, sorted: tokens expanded, a plain path kept when it exists.

    ``frames`` limits frame tokens to those frames (None: every frame on disk).
    ``udim_numbers=True`` also treats a 1001-style number in the file name as a UDIM tile
    (``wood.1001.exr`` -> every ``wood.<UDIM>.exr`` on disk); off by default because VFX frame
    numbers start at 1001 too. :func:`scan_assets` turns it on for ``kind == "texture"``.
    """
    files, _reason = expand_pattern(path, DirListing(), frames, udim_numbers)
    return files


def _is_absolute(path: str) -> bool:
    """Absolute for POSIX or Windows (a description may come from either)."""
    return path[:1] == "/" or ntpath.isabs(path) or bool(ntpath.splitdrive(path)[0])


Stats = Dict[str, Tuple[int, int]]


def _expand_ref(ref: AssetRef, desc: SceneDescription, listing: DirListing,
                stats: Stats) -> Tuple[List[str], str, str]:
    """(files, path looked for, reason when none) for one reference."""
    raw = ref.resolved or ref.path
    if raw[:1] in ("$", "%", "[") and has_variable(raw):
        return [], raw, "starts with a variable that was not expanded; the host must resolve it"
    udim = ref.kind == "texture"
    if _is_absolute(raw):
        return _expand_one(raw, listing, udim, stats)
    # Relative: try the project folder, then the scene's folder (Maya resolves against the
    # workspace; most other hosts against the scene).
    bases = [b for b in (desc.project_dir, os.path.dirname(desc.scene_file)) if b]
    if not bases:
        return [], raw, "relative path and the scene has no project folder or saved file to resolve it against"
    first: Optional[Tuple[List[str], str, str]] = None
    for base in bases:
        got = _expand_one(os.path.join(base, raw), listing, udim, stats)
        if got[0]:
            return got
        first = first or got
    assert first is not None
    return first


def _expand_one(path: str, listing: DirListing, udim: bool, stats: Stats) -> Tuple[List[str], str, str]:
    if not has_tokens(path) and not (udim and udim_from_number(path) != path):
        # A plain path: one stat answers "exists?", "folder?" and gives size and mtime.
        try:
            st = os.stat(path)
        except OSError:
            files, reason = expand_pattern(path, listing)  # words the reason
            return files, path, reason
        if stat_mod.S_ISDIR(st.st_mode):
            return _walk(path), path, "the folder is empty"
        stats[path] = (st.st_size, st.st_mtime_ns)
        return [path], path, ""
    files, reason = expand_pattern(path, listing, None, udim)
    return files, path, reason


def _walk(folder: str) -> List[str]:
    """Every file under a referenced folder (caches and volumes are often whole folders)."""
    out: List[str] = []
    for root, _dirs, files in os.walk(folder):
        out.extend(os.path.join(root, f) for f in files)
    return sorted(out)


def _report(progress: Optional[Progress], done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ScanCancelled("asset scan cancelled after {} of {} files".format(done, total))


class _Entry:
    """One distinct file of the scan (mutable while the scan runs)."""

    __slots__ = ("path", "key", "ref", "size", "mtime_ns", "md5")

    def __init__(self, path: str, key: str, ref: AssetRef) -> None:
        self.path, self.key, self.ref = path, key, ref
        self.size = self.mtime_ns = -1
        self.md5: Optional[str] = None


def scan_assets(desc: SceneDescription, cache: Optional[HashCache] = None, hash_files: bool = True,
                progress: Optional[Progress] = None, *, workers: Optional[int] = None) -> AssetScan:
    """Expand every asset of ``desc``, stat the files, and md5 them through ``cache``.

    ``cache=None`` hashes without persisting (pass :func:`default_cache` to remember hashes
    between runs). ``progress(done, total)`` is called as files are statted / hashed; returning
    False raises :class:`ScanCancelled` (hashes done so far are stored first). ``workers``
    defaults to min(8, 2 x CPUs) hashing threads.
    """
    listing = DirListing()
    result = AssetScan()
    stats: Stats = {}
    entries: List[_Entry] = []
    seen = set()
    for ref in desc.assets:
        files, looked_for, reason = _expand_ref(ref, desc, listing, stats)
        if not files:
            result.missing.append(MissingAsset(ref=ref, expanded=looked_for, reason=reason))
            continue
        for path in files:
            key = cache_key_path(path)
            if key not in seen:
                seen.add(key)
                entries.append(_Entry(path, key, ref))
    scene_entry: Optional[_Entry] = None
    if desc.scene_file and os.path.isfile(desc.scene_file):
        scene_ref = AssetRef(path=desc.scene_file, node="scene", attribute="scene_file", kind="other")
        scene_entry = _Entry(desc.scene_file, cache_key_path(desc.scene_file), scene_ref)
        entries.append(scene_entry)
    result.listings = listing.listings

    total = len(entries)
    good: List[_Entry] = []
    for i, entry in enumerate(entries):
        known = stats.get(entry.path)
        if known is None:
            try:
                st = os.stat(entry.path)
            except OSError as exc:
                result.missing.append(MissingAsset(ref=entry.ref, expanded=entry.path,
                                                   reason="cannot read: {}".format(exc.strerror or exc)))
                continue
            known = (st.st_size, st.st_mtime_ns)
        entry.size, entry.mtime_ns = known
        good.append(entry)
        if not hash_files and i % 256 == 0:
            _report(progress, i, total)

    if hash_files:
        use = HashCache(":memory:") if cache is None else cache
        try:
            result.hashed = _hash_all(good, total, use, progress, workers, result)
        finally:
            if cache is None:
                use.close()
    _report(progress, total, total)

    for entry in good:
        if hash_files and entry.md5 is None:
            continue  # could not be read: already reported missing
        found = FoundFile(path=entry.path, size=entry.size, mtime_ns=entry.mtime_ns, md5=entry.md5, ref=entry.ref)
        if entry is scene_entry:
            result.scene = found
        else:
            result.found.append(found)
    log.debug("scanned %d references: %d files, %d missing, %d hashed, %d folders listed",
              len(desc.assets), len(result.found), len(result.missing), result.hashed, result.listings)
    return result


def _hash_batch(cache: HashCache, batch: List[_Entry]) -> List[Tuple[_Entry, Optional[str], object]]:
    """Hash a batch of files in one worker task (fewer tasks: less hand-over between threads)."""
    out: List[Tuple[_Entry, Optional[str], object]] = []
    for entry in batch:
        try:
            digest, row = cache.hash_uncached(entry.path)
            out.append((entry, digest, row))
        except OSError as exc:
            out.append((entry, None, exc))
    return out


def _batches(todo: List[_Entry], max_files: int = 32, max_bytes: int = 32 << 20) -> List[List[_Entry]]:
    batches: List[List[_Entry]] = []
    current: List[_Entry] = []
    size = 0
    for entry in todo:
        if current and (len(current) >= max_files or size + entry.size > max_bytes):
            batches.append(current)
            current, size = [], 0
        current.append(entry)
        size += entry.size
    if current:
        batches.append(current)
    return batches


def _hash_all(good: List[_Entry], total: int, cache: HashCache, progress: Optional[Progress],
              workers: Optional[int], result: AssetScan) -> int:
    """md5 every statted file: cached ones from ``cache``, the rest in a thread pool. Returns files read."""
    known = cache.lookup_normalized({e.key: (e.size, e.mtime_ns) for e in good})
    todo: List[_Entry] = []
    for entry in good:
        entry.md5 = known.get(entry.key)
        if entry.md5 is None:
            todo.append(entry)
    done = len(good) - len(todo) + (total - len(good))
    _report(progress, done, total)
    if not todo:
        return 0
    # Biggest first: the pool finishes together instead of waiting on one large file at the end.
    todo.sort(key=lambda e: -e.size)
    count = workers or min(8, 2 * (os.cpu_count() or 2))
    pending: List[Tuple[str, int, int, str]] = []
    hashed = 0
    pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="rv_dcc-hash")
    try:
        futures = [pool.submit(_hash_batch, cache, batch) for batch in _batches(todo)]
        for fut in as_completed(futures):
            for entry, digest, extra in fut.result():
                done += 1
                if digest is None:
                    exc = extra
                    result.missing.append(MissingAsset(ref=entry.ref, expanded=entry.path, reason="cannot read: {}".format(
                        getattr(exc, "strerror", None) or exc)))
                    continue
                hashed += 1
                entry.md5 = digest
                if extra is not None:
                    row = extra  # type: Tuple[str, int, int, str]  # type: ignore[assignment]
                    pending.append(row)
                    entry.size, entry.mtime_ns = row[1], row[2]
            if len(pending) >= 500:
                cache.store_many(pending)
                pending = []
            _report(progress, done, total)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        cache.store_many(pending)
    return hashed
