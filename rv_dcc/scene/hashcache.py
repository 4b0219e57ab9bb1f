"""The persistent md5 cache: a file is read and hashed once per (path, size, mtime_ns).

This module owns :func:`md5_file` (the ONLY place rv_dcc reads an asset's bytes to hash them:
chunked, releasing the GIL inside hashlib, so several run in parallel threads), and
:class:`HashCache`, an SQLite table ``(path, size, mtime_ns) -> md5 hex`` shared by every scan,
so describing an unchanged scene again reads no file. :func:`default_cache` puts it under
platformdirs' ``user_cache_dir("rv_dcc")``. A file that changes while it is hashed is not cached
(its stat is compared before and after the read). Limitation: a file rewritten with the same size
within the file system's mtime granularity after being hashed is not noticed (as with make/git).

In-process copy: each database file also has a process-wide dict ``path -> (path, size, mtime_ns,
md5)`` of the rows this process read or wrote (:meth:`HashCache.known`), so a scan repeated in the same
process (the panel re-scans on every change) looks its files up in C and runs no SQL. It needs no
invalidation to stay correct: a row states the md5 of one (path, size, mtime_ns) and never
becomes false (another process can only add or replace rows; a replaced row is for another size
or mtime, which the current stat will not match, so SQLite is asked). It is dropped when the
database file is replaced (deleted to force re-hashing, or moved aside as corrupt): each file
holds a random id, made with it, in a ``meta`` table.
"""
import hashlib
import logging
import os
import sqlite3
import threading
from operator import eq, itemgetter
from typing import Any, Collection, Dict, Iterable, List, Optional, Sequence, Tuple, TypeVar, Union

log = logging.getLogger("rv_dcc.scene.hashcache")

CHUNK_SIZE = 1 << 20
_SCHEMA = 1
_local = threading.local()
_POSIX = os.name == "posix"

#: A cache key: absolute path, size in bytes, modification time in ns.
Key = Tuple[str, int, int]
#: A stored row: (path as made by cache_key_path, size, mtime_ns, md5 hex).
Row = Tuple[str, int, int, str]
_first = itemgetter(0)
T = TypeVar("T")
_size_mtime = itemgetter(1, 2)
_digest = itemgetter(3)

#: path -> stored row (path, size, mtime_ns, md5): the in-process copy of one database's rows
#: (the rows SQLite returned, kept as they are: no new object per row).
Known = Dict[str, Row]
#: Rows kept in one in-process copy at most (~400 bytes each): past it the copy starts afresh.
KNOWN_MAX = 250_000
_known_lock = threading.Lock()
_known: Dict[str, Tuple[str, Known]] = {}  # database path -> (its random id, copy)


def _known_for(db: str, ident: str) -> Known:
    """The process-wide copy of the rows of database ``db`` whose random id is ``ident`` (a new
    database file, even one with the same name and inode, has a new id and so a new copy)."""
    key = os.path.abspath(db)
    with _known_lock:
        got = _known.get(key)
        if got is None or got[0] != ident:
            got = _known[key] = (ident, {})
        return got[1]


def forget_known() -> None:
    """Drop every in-process copy (the next scan reads SQLite again, as a new process would)."""
    with _known_lock:
        _known.clear()


def _new_md5() -> "hashlib._Hash":
    try:  # FIPS builds refuse md5 unless told it is not for security (Python 3.9+)
        return hashlib.md5(usedforsecurity=False)  # type: ignore[call-arg]
    except TypeError:  # pragma: no cover
        return hashlib.md5()


def md5_file(path: str) -> str:
    """The md5 hex digest of the file at ``path``, read in 1 MiB chunks into a reused buffer."""
    buf = getattr(_local, "buf", None)
    if buf is None:
        buf = _local.buf = bytearray(CHUNK_SIZE)
    view = memoryview(buf)
    digest = _new_md5()
    with open(path, "rb", buffering=0) as fh:
        while True:
            n = fh.readinto(buf)
            if not n:
                break
            digest.update(view[:n])
    return digest.hexdigest()


def cache_key_path(path: str) -> str:
    """The path as stored in the cache: absolute and case-normalised where the OS ignores case."""
    if _POSIX and path[:1] == "/" and "/." not in path and "//" not in path and path[-1:] != "/":
        return path  # already what normpath would give: skip the work (scans key 10,000s of files)
    # normpath alone when already absolute: abspath would also ask for the current folder.
    return os.path.normcase(os.path.normpath(path) if os.path.isabs(path) else os.path.abspath(path))


class HashCache:
    """Persistent ``(path, size, mtime_ns) -> md5`` cache in an SQLite file (``":memory:"`` for none).

    Thread-safe (one connection behind a lock). Use as a context manager or call :meth:`close`.
    A corrupt cache file is moved aside and started afresh: it only costs re-hashing.
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"] = ":memory:") -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self.reads = 0  #: files read and hashed through this cache (for tests and benchmarks)
        self._conn = self._open()
        self._known: Known = {} if self.path == ":memory:" else _known_for(self.path, self._ident())

    def _open(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            folder = os.path.dirname(os.path.abspath(self.path))
            try:  # one mkdir, no stat, when the folder exists (the usual case)
                os.mkdir(folder)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if self.path == ":memory:":
                raise
            aside = self.path + ".corrupt"
            log.warning("hash cache %s is unreadable (%s); starting a new one, old file kept as %s",
                        self.path, exc, aside)
            os.replace(self.path, aside)
            return self._connect()

    def _ident(self) -> str:
        """The database's random id, made when the file is (tells a re-created file from the old one)."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'id'").fetchone()
            if row is None:  # a new file, or one made before ids: give it one (a write, once)
                self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('id', hex(randomblob(16)))")
                row = self._conn.execute("SELECT value FROM meta WHERE key = 'id'").fetchone()
        return str(row[0])

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            if self.path != ":memory:":
                # WAL lets the panel and the CLI use one cache at once; NORMAL sync is plenty
                # for a cache (losing the last entries after a power cut only costs re-hashing).
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS md5 (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                         " mtime_ns INTEGER NOT NULL, md5 TEXT NOT NULL)")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            if conn.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:  # a write: only when needed
                conn.execute("PRAGMA user_version={}".format(_SCHEMA))
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        """Close the database (further use raises)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "HashCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM md5").fetchone()[0])

    def lookup(self, path: str, size: int, mtime_ns: int) -> Optional[str]:
        """The cached md5 of ``path`` when its size and mtime still match, else None."""
        return self.known([cache_key_path(path)], [size], [mtime_ns])[0]

    def known(self, keys: Sequence[str], sizes: Sequence[int], mtimes: Sequence[int]) -> List[Optional[str]]:
        """The cached md5 of each file (keys made with :func:`cache_key_path`), None where unknown.

        Looked up in the in-process copy first (in C: no Python code per file), then the misses
        in SQLite in one query; rows read from SQLite join the copy.
        """
        whole = self._all_known(keys, sizes, mtimes)
        if whole is not None:
            return whole  # the usual warm re-scan
        known = self._known
        rows = list(map(known.get, keys))
        misses = [i for i, row in enumerate(rows) if row is None or row[2] != mtimes[i] or row[1] != sizes[i]]
        fetched = self._fetch([keys[i] for i in misses])
        if fetched:
            self._remember(fetched)
            if len(misses) * 4 >= len(keys):  # most were missing (a new process): again, in C
                whole = self._all_known(keys, sizes, mtimes)
                if whole is not None:
                    return whole
        got: List[Optional[str]] = [None if row is None else row[3] for row in rows]
        for i in misses:
            row = known.get(keys[i])
            got[i] = row[3] if row is not None and row[2] == mtimes[i] and row[1] == sizes[i] else None
        return got

    def _all_known(self, keys: Sequence[str], sizes: Sequence[int],
                   mtimes: Sequence[int]) -> Optional[List[Optional[str]]]:
        """Every md5 from the in-process copy, looked up and compared in C; None unless all match."""
        rows: List[Any] = list(map(self._known.get, keys))  # Optional[Row]; Any for map(itemgetter)
        if None in rows or False in map(eq, map(_size_mtime, rows), zip(sizes, mtimes)):
            return None
        return list(map(_digest, rows))

    def _remember(self, rows: Collection[Row]) -> None:
        """Add stored rows to the in-process copy (started afresh past :data:`KNOWN_MAX`)."""
        known = self._known
        with _known_lock:
            if len(known) + len(rows) > KNOWN_MAX:
                known.clear()
            known.update(zip(map(_first, rows), rows))  # built in C; a newer row replaces the older

    def lookup_many(self, keys: Iterable[Key]) -> Dict[str, str]:
        """Cached md5s for the keys that still match, by :func:`cache_key_path`."""
        return self.lookup_normalized({cache_key_path(p): (size, mtime) for p, size, mtime in keys})

    def lookup_normalized(self, wanted: Dict[str, Tuple[int, int]]) -> Dict[str, str]:
        """Like :meth:`lookup_many` for keys already made with :func:`cache_key_path`."""
        table = self.rows_for(wanted)
        found: Dict[str, str] = {}
        for path, (size, mtime) in wanted.items():
            row = table.get(path)
            if row is not None and row[2] == mtime and row[1] == size:
                found[path] = row[3]
        return found

    def rows_for(self, keys: Collection[str]) -> Dict[str, Row]:
        """The stored ``(path, size, mtime_ns, md5)`` rows of ``keys`` (made with :func:`cache_key_path`), by path.

        The caller compares size and mtime. May hold rows of other paths too: when most of the
        table is wanted it is read whole (one sequential read beats thousands of lookups).
        """
        if not keys:
            return {}
        rows = self._fetch(keys)
        return dict(zip(map(_first, rows), rows))  # built in C: no Python code per row

    def _fetch(self, keys: Collection[str]) -> List[Row]:
        """The stored rows of ``keys`` (and maybe of other paths: see :meth:`rows_for`), in one
        query or in batches of 500."""
        if not keys:
            return []
        with self._lock:
            top = self._conn.execute("SELECT max(rowid) FROM md5").fetchone()[0] or 0
            if len(keys) * 4 >= top:
                return self._conn.execute("SELECT path, size, mtime_ns, md5 FROM md5").fetchall()
            names = list(keys)
            rows: List[Row] = []
            for i in range(0, len(names), 500):  # SQLite's bound-parameter limit is 999 on old builds
                batch = names[i:i + 500]
                rows.extend(self._conn.execute("SELECT path, size, mtime_ns, md5 FROM md5 WHERE path IN ({})".format(
                    ",".join("?" * len(batch))), batch).fetchall())
        return rows

    def store_many(self, rows: Iterable[Tuple[str, int, int, str]]) -> None:
        """Record ``(path, size, mtime_ns, md5)`` rows in one transaction."""
        data = [(cache_key_path(p), size, mtime, digest) for p, size, mtime, digest in rows]
        if not data:
            return
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                self._conn.executemany("INSERT OR REPLACE INTO md5 (path, size, mtime_ns, md5) VALUES (?,?,?,?)", data)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        self._remember(data)  # only once committed: the copy never holds more than the file

    def hash_uncached(self, path: str) -> Tuple[str, Optional[Tuple[str, int, int, str]]]:
        """Read and hash ``path``; also return the row to store, or None when it changed meanwhile.

        Safe to call from worker threads; does not write the database (the caller batches that).
        """
        before = os.stat(path)
        digest = md5_file(path)
        after = os.stat(path)
        with self._lock:
            self.reads += 1
        if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
            log.info("%s changed while it was hashed; not caching its md5", path)
            return digest, None
        return digest, (path, after.st_size, after.st_mtime_ns, digest)

    def hash_batch(self, batch: Sequence[Tuple[int, int, str, T]]) -> List[Tuple[Tuple[int, int, str, T], Optional[str], object]]:
        """:meth:`hash_uncached` for ``(size, index, path, anything)`` items, as one worker task
        (fewer tasks: less hand-over between threads): ``(item, md5 or None, row to store or
        the OSError)`` each."""
        out: List[Tuple[Tuple[int, int, str, T], Optional[str], object]] = []
        for item in batch:
            try:
                digest, row = self.hash_uncached(item[2])
                out.append((item, digest, row))
            except OSError as exc:
                out.append((item, None, exc))
        return out

    def md5(self, path: str) -> str:
        """The md5 hex of ``path``: from the cache when size and mtime match, else read and stored."""
        st = os.stat(path)
        cached = self.lookup(path, st.st_size, st.st_mtime_ns)
        if cached is not None:
            return cached
        digest, row = self.hash_uncached(path)
        if row is not None:
            self.store_many([row])
        return digest

    def forget_missing(self) -> int:
        """Drop entries whose file no longer exists; returns how many were dropped."""
        with self._lock:
            paths: List[str] = [r[0] for r in self._conn.execute("SELECT path FROM md5")]
        gone = [(p,) for p in paths if not os.path.exists(p)]
        if gone:
            with self._lock:
                self._conn.executemany("DELETE FROM md5 WHERE path = ?", gone)
            with _known_lock:  # keep the in-process copy no larger than the file
                for (path,) in gone:
                    self._known.pop(path, None)
        return len(gone)


def size_batches(items: Sequence[Tuple[int, int, str, T]], max_files: int = 32,
                 max_bytes: int = 32 << 20) -> List[List[Tuple[int, int, str, T]]]:
    """``(size, ...)`` items cut, in order, into batches of at most ``max_files`` files and about
    ``max_bytes`` bytes (one worker task each)."""
    batches: List[List[Tuple[int, int, str, T]]] = []
    current: List[Tuple[int, int, str, T]] = []
    size = 0
    for item in items:
        if current and (len(current) >= max_files or size + item[0] > max_bytes):
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += item[0]
    if current:
        batches.append(current)
    return batches


def default_cache() -> HashCache:
    """The user's persistent cache: ``<user_cache_dir("rv_dcc")>/hashes.sqlite``."""
    import platformdirs

    return HashCache(os.path.join(platformdirs.user_cache_dir("rv_dcc"), "hashes.sqlite"))
