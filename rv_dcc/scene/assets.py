"""Finding and hashing the files a scene description references.

This module owns :func:`expand_tokens` (a token path -> the files that exist; tokens are listed
in :mod:`rv_dcc.scene.tokens`), :func:`scan_assets` (every AssetRef of a description -> the files
found with size, mtime and md5, and the references that match nothing, each with where it came
from and why) and the result types. Folders are listed once per scan (:class:`DirListing`);
every file is statted once, in one pass in reference order (a folder's files in one C-level
pass, relative to the open folder where the OS allows), kept as columns, and looked up in the
cache all at once (:meth:`HashCache.known`): a warm scan is mostly those stats. md5s come from a
:class:`~rv_dcc.scene.hashcache.HashCache`, and files not cached are hashed in a thread pool
(hashlib releases the GIL) so reading and hashing overlap; the threads live for one call only.
"""
import functools
import logging
import ntpath
import os
import stat as stat_mod
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Callable, List, NamedTuple, Optional, Set, Tuple

from rv_dcc.errors import RvDccError
from rv_dcc.i18n import phrase
from rv_dcc.scene.expand import (FD_MIN_FILES, DirListing, expand_grouped, expand_pattern, folder_of,
                                 may_have_tokens, open_folder, udim_from_number)
from rv_dcc.scene.frames import Frames
from rv_dcc.scene.hashcache import HashCache, cache_key_path, default_cache, size_batches
from rv_dcc.scene.model import AssetRef, SceneDescription
from rv_dcc.scene.paths import has_variable

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


Groups = List[Tuple[str, List[str]]]
Seen = Set[str]
_tuple_new = tuple.__new__
_POSIX = os.name == "posix"
_st_size = attrgetter("st_size")
_st_mtime_ns = attrgetter("st_mtime_ns")
_first = itemgetter(0)


def _expand_ref(ref: AssetRef, raw: str, desc: SceneDescription,
                listing: DirListing) -> Tuple[Groups, str, str]:
    """(files grouped by folder, path looked for, reason when none) for a reference that is not a
    plain absolute path (those are statted directly by :func:`_gather`)."""
    if raw[:1] in ("$", "%", "[") and has_variable(raw):
        return [], raw, phrase("asset.unexpanded")
    udim = ref.kind == "texture"
    if _is_absolute(raw):
        return _expand_one(raw, listing, udim)
    # Relative: try the project folder, then the scene's folder (Maya resolves against the
    # workspace; most other hosts against the scene).
    bases = [b for b in (desc.project_dir, os.path.dirname(desc.scene_file)) if b]
    if not bases:
        return [], raw, phrase("asset.relative_unresolved")
    first: Optional[Tuple[Groups, str, str]] = None
    for base in bases:
        got = _expand_one(os.path.join(base, raw), listing, udim)
        if got[0]:
            return got
        first = first or got
    assert first is not None
    return first


def _expand_one(path: str, listing: DirListing, udim: bool) -> Tuple[Groups, str, str]:
    if may_have_tokens(path):
        pattern = path
    elif udim and udim_from_number(path) != path:
        pattern = udim_from_number(path)  # wood.1001.exr stands for every tile
    else:
        # A plain path: one stat answers "exists?", "folder?" (size and mtime are taken later).
        try:
            st = os.stat(path)
        except OSError:
            files, reason = expand_pattern(path, listing)  # words the reason
            return [("", files)] if files else [], path, reason
        if stat_mod.S_ISDIR(st.st_mode):
            files = _walk(path)
            return [("", files)] if files else [], path, "the folder is empty"
        return [("", [path])], path, ""
    found, reason = expand_grouped(pattern, listing)
    return found, path, reason


def _walk(folder: str) -> List[str]:
    """Every file under a referenced folder (caches and volumes are often whole folders)."""
    out: List[str] = []
    for root, _dirs, files in os.walk(folder):
        out.extend(os.path.join(root, f) for f in files)
    return sorted(out)


def _report(progress: Optional[Progress], done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ScanCancelled("asset scan cancelled after {} of {} files".format(done, total))


class _Files:
    """The files found so far, as columns in FoundFile's field order (plus each cache key).

    Columns, not one object per file: a warm scan of 10,000s of files is mostly this
    bookkeeping, and columns let whole folders be added, and the cache be asked, in C.
    """

    __slots__ = ("paths", "sizes", "mtimes", "refs", "keys", "wanted")

    def __init__(self) -> None:
        self.paths: List[str] = []
        self.sizes: List[int] = []
        self.mtimes: List[int] = []
        self.refs: List[AssetRef] = []
        self.keys: List[str] = []  #: cache_key_path of each path
        self.wanted: Seen = set()  #: the keys, to find a file already found

    def add(self, path: str, key: str, st: "os.stat_result", ref: AssetRef) -> None:
        self.paths.append(path)
        self.sizes.append(st.st_size)
        self.mtimes.append(st.st_mtime_ns)
        self.refs.append(ref)
        self.keys.append(key)
        self.wanted.add(key)


def scan_assets(desc: SceneDescription, cache: Optional[HashCache] = None, hash_files: bool = True,
                progress: Optional[Progress] = None, *, workers: Optional[int] = None) -> AssetScan:
    """Expand every asset of ``desc``, stat the files, and md5 them through ``cache``.

    ``cache=None`` hashes without persisting (pass :func:`default_cache` to remember hashes
    between runs). ``progress(done, total)`` is called as files are hashed (the listing and
    stat pass before it is not reported); returning False raises :class:`ScanCancelled`
    (hashes done so far are stored first). ``workers`` defaults to min(8, 2 x CPUs) hashing
    threads.
    """
    listing = DirListing()
    result = AssetScan()
    files = _Files()
    _gather(desc, listing, result, files)
    result.listings = listing.listings
    scene = len(files.paths)  # the scene file is the last row, when it exists
    if desc.scene_file:
        try:
            st = os.stat(desc.scene_file)
        except OSError:
            st = None
        if st is not None and stat_mod.S_ISREG(st.st_mode):
            ref = AssetRef(path=desc.scene_file, node="scene", attribute="scene_file", kind="other")
            files.add(desc.scene_file, cache_key_path(desc.scene_file), st, ref)

    total = len(files.paths)
    md5s: List[Optional[str]] = [None] * total
    if hash_files:
        use = HashCache(":memory:") if cache is None else cache
        try:
            result.hashed = _hash_all(files, md5s, use, progress, workers, result)
        finally:
            if cache is None:
                use.close()
    _report(progress, total, total)

    # One FoundFile per row, built in C; a file that could not be read has no md5 (reported missing).
    rows = list(map(_tuple_new, repeat(FoundFile),
                    zip(files.paths, files.sizes, files.mtimes, md5s, files.refs)))  # type: List[FoundFile]
    if scene < total:
        scene_row = rows.pop()
        if not (hash_files and scene_row.md5 is None):
            result.scene = scene_row
    if hash_files and None in md5s:
        rows = [row for row in rows if row.md5 is not None]
    result.found = rows
    log.debug("scanned %d references: %d files, %d missing, %d hashed, %d folders listed",
              len(desc.assets), len(result.found), len(result.missing), result.hashed, result.listings)
    return result


def _gather(desc: SceneDescription, listing: DirListing, result: AssetScan, files: _Files) -> None:
    """Expand and stat every reference, in reference order, in one pass (the warm scan's hot loop).

    Each distinct file becomes one row of ``files`` (the first reference that finds it wins);
    references matching nothing go to ``result.missing``, files that vanish before their stat
    after them.
    """
    unreadable: List[MissingAsset] = []
    failed: Seen = set()  # keys whose stat failed: a later reference to them is not reported twice
    wanted = files.wanted
    stat = os.stat
    # Plain references often come in runs from one folder (a shader's textures): from the
    # second of a run on, stat relative to the open folder.
    run_folder, run_fd, run_opened, cut = "", -1, False, 0
    try:
        for ref in desc.assets:
            raw = ref.resolved or ref.path
            if ((raw[:1] == "/" or (not _POSIX and _is_absolute(raw))) and not may_have_tokens(raw)
                    and (ref.kind != "texture" or udim_from_number(raw) == raw)):
                # The commonest reference: one absolute file, statted right here. Anything
                # else (missing, a folder) takes the general path below, which words the reason.
                if _POSIX:  # raw starts with "/", so cut >= 0 and raw[cut + 1:] is its name
                    cut = raw.rfind("/")
                    if raw[:cut] != run_folder:
                        if run_fd >= 0:
                            os.close(run_fd)
                        run_folder, run_fd, run_opened = raw[:cut], -1, False
                    elif not run_opened and cut > 0:
                        run_fd, run_opened = open_folder(run_folder), True
                key = cache_key_path(raw)
                if key in wanted:
                    continue  # found already: the first reference wins, no second stat
                try:
                    st = stat(raw[cut + 1:], dir_fd=run_fd) if run_fd >= 0 else stat(raw)
                except OSError:
                    st = None
                if st is not None and not stat_mod.S_ISDIR(st.st_mode):
                    if key not in failed:
                        files.add(raw, key, st, ref)
                    continue
            groups, looked_for, reason = _expand_ref(ref, raw, desc, listing)
            if not groups:
                result.missing.append(MissingAsset(ref=ref, expanded=looked_for, reason=reason))
                continue
            for prefix, names in groups:
                _stat_group(ref, prefix, names, files, failed, unreadable)
    finally:
        if run_fd >= 0:
            os.close(run_fd)
    result.missing.extend(unreadable)  # after the references that match nothing


def _stat_group(ref: AssetRef, prefix: str, names: List[str], files: _Files, failed: Seen,
                unreadable: List[MissingAsset]) -> None:
    """Stat the files ``prefix + name`` of one folder (relative to it when there are several)."""
    fd = open_folder(folder_of(prefix)) if prefix and len(names) >= FD_MIN_FILES else -1
    try:
        # On POSIX a normalised folder + a listed name is already the cache key.
        if prefix and _POSIX and cache_key_path(prefix + "x") == prefix + "x":
            paths = keys = list(map(prefix.__add__, names))
        else:
            paths = list(map(prefix.__add__, names)) if prefix else names
            keys = list(map(cache_key_path, paths))
        wanted = files.wanted
        done = 0
        if wanted.isdisjoint(keys) and failed.isdisjoint(keys) and len(set(keys)) == len(keys):
            # The usual case, a folder met for the first time: stat it whole, in C.
            stats: List[os.stat_result] = []
            try:
                stats.extend(map(functools.partial(os.stat, dir_fd=fd), names) if fd >= 0 else map(os.stat, paths))
            except OSError:
                pass  # from the file that failed on, one by one below (it reports the error)
            done = len(stats)
            files.paths.extend(paths[:done] if done < len(paths) else paths)
            files.keys.extend(keys[:done] if done < len(keys) else keys)
            wanted.update(keys[:done])
            files.sizes.extend(map(_st_size, stats))
            files.mtimes.extend(map(_st_mtime_ns, stats))
            files.refs.extend(repeat(ref, done))
        for i in range(done, len(names)):
            key = keys[i]
            if key in wanted or key in failed:
                continue
            try:
                st = os.stat(names[i], dir_fd=fd) if fd >= 0 else os.stat(paths[i])
            except OSError as exc:
                failed.add(key)
                unreadable.append(MissingAsset(ref=ref, expanded=paths[i],
                                               reason=phrase("asset.cannot_read", error=exc.strerror or str(exc))))
                continue
            files.add(paths[i], key, st, ref)
    finally:
        if fd >= 0:
            os.close(fd)


#: A file to read and hash (only those the cache does not know): (size, row index, path, ref).
_Entry = Tuple[int, int, str, AssetRef]


def _hash_all(files: _Files, md5s: List[Optional[str]], cache: HashCache,
              progress: Optional[Progress], workers: Optional[int], result: AssetScan) -> int:
    """Fill ``md5s`` for every file: cached ones from ``cache``, the rest read in a thread pool.

    Returns how many files were read. A file's size and mtime are updated to what was hashed;
    a file that could not be read keeps md5 None and is reported missing.
    """
    total = len(md5s)
    md5s[:] = cache.known(files.keys, files.sizes, files.mtimes)
    todo: List[_Entry] = [(files.sizes[i], i, files.paths[i], files.refs[i])
                          for i, digest in enumerate(md5s) if digest is None] if None in md5s else []
    done = total - len(todo)
    _report(progress, done, total)
    if not todo:
        return 0
    # Biggest first: the pool finishes together instead of waiting on one large file at the end.
    todo.sort(key=_first, reverse=True)
    count = workers or min(8, 2 * (os.cpu_count() or 2))
    pending: List[Tuple[str, int, int, str]] = []
    hashed = 0
    pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="rv_dcc-hash")
    try:
        futures = [pool.submit(cache.hash_batch, batch) for batch in size_batches(todo)]
        for fut in as_completed(futures):
            for (_size, index, path, ref), digest, extra in fut.result():
                done += 1
                if digest is None:
                    result.missing.append(MissingAsset(ref=ref, expanded=path, reason=phrase(
                        "asset.cannot_read", error=getattr(extra, "strerror", None) or str(extra))))
                    continue
                hashed += 1
                md5s[index] = digest
                if extra is not None:
                    stored = extra  # type: Tuple[str, int, int, str]  # type: ignore[assignment]
                    pending.append(stored)
                    files.sizes[index], files.mtimes[index] = stored[1], stored[2]
            if len(pending) >= 500:
                cache.store_many(pending)
                pending = []
            _report(progress, done, total)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        cache.store_many(pending)
    return hashed
