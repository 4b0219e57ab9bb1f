"""The persistent md5 cache: a file is read and hashed once per (path, size, mtime_ns).

This module owns :func:`md5_file` (the ONLY place rv_dcc reads an asset's bytes to hash them:
chunked, releasing the GIL inside hashlib, so several run in parallel threads), and
:class:`HashCache`, an SQLite table ``(path, size, mtime_ns) -> md5 hex`` shared by every scan,
so describing an unchanged scene again reads no file. :func:`default_cache` puts it under
platformdirs' ``user_cache_dir("rv_dcc")``. A file that changes while it is hashed is not cached
(its stat is compared before and after the read). Limitation: a file rewritten with the same size
within the file system's mtime granularity after being hashed is not noticed (as with make/git).
"""
import hashlib
import logging
import os
import sqlite3
import threading
from operator import itemgetter
from typing import Collection, Dict, Iterable, List, Optional, Tuple, Union

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

    def _open(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            folder = os.path.dirname(os.path.abspath(self.path))
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
        return self.lookup_many([(path, size, mtime_ns)]).get(cache_key_path(path))

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
        with self._lock:
            top = self._conn.execute("SELECT max(rowid) FROM md5").fetchone()[0] or 0
            if len(keys) * 4 >= top:
                rows = self._conn.execute("SELECT path, size, mtime_ns, md5 FROM md5").fetchall()
            else:
                names = list(keys)
                rows = []
                for i in range(0, len(names), 500):  # SQLite's bound-parameter limit is 999 on old builds
                    batch = names[i:i + 500]
                    rows.extend(self._conn.execute("SELECT path, size, mtime_ns, md5 FROM md5 WHERE path IN ({})".format(
                        ",".join("?" * len(batch))), batch).fetchall())
        return dict(zip(map(_first, rows), rows))  # built in C: no Python code per row

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
        return len(gone)


def default_cache() -> HashCache:
    """The user's persistent cache: ``<user_cache_dir("rv_dcc")>/hashes.sqlite``."""
    import platformdirs

    return HashCache(os.path.join(platformdirs.user_cache_dir("rv_dcc"), "hashes.sqlite"))
