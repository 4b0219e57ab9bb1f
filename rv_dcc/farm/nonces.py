"""The farm's memory of accepted requests, so a captured request cannot be sent again.

A request is identified by the signed values ``(accessId, UTCTimestamp, nonce, signature)`` (the
values that were signed: a body key replaces the header of the same name, wire.md §3). A key is
kept for twice the freshness window from when it was accepted — longer than any request whose
timestamp the farm still accepts — in ``nonces.sqlite3`` of the data folder, so a restart does not
forget them. ``claim`` is one ``INSERT OR IGNORE`` (true the first time), atomic even between two
farm processes of the same folder. Only a 16-byte digest of the key is stored.
"""
import hashlib
import logging
import os
import sqlite3
import threading
import time
from typing import Tuple

log = logging.getLogger("rv_dcc.farm.nonces")

FILE = "nonces.sqlite3"


class NonceStore:
    """Accepted request keys of the last ``2 * window`` seconds, persisted."""

    def __init__(self, data_dir: str, window: int) -> None:
        self.window = window
        self.path = os.path.join(data_dir, FILE)
        from rv_dcc.fsutil import private_file

        private_file(self.path)  # owner-only; SQLite gives its -wal and -shm files the same mode
        self._conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS seen (key BLOB PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID")
        self._conn.execute("CREATE INDEX IF NOT EXISTS ix_seen_at ON seen(at)")
        self._lock = threading.Lock()
        self._purged = 0.0

    def claim(self, key: Tuple[str, ...]) -> bool:
        """True the first time ``key`` is seen within the window (and remembers it)."""
        digest = hashlib.sha256("\x00".join(key).encode("utf-8", "surrogatepass")).digest()[:16]
        now = time.time()
        with self._lock:
            if self._conn is None:
                raise RuntimeError("the farm's nonce store is closed")
            if now - self._purged > 30:
                self._conn.execute("DELETE FROM seen WHERE at < ?", (now - 2 * self.window,))
                self._purged = now
            return self._conn.execute("INSERT OR IGNORE INTO seen(key, at) VALUES (?, ?)", (digest, now)).rowcount == 1

    def close(self) -> None:
        """Close the database (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None  # type: ignore[assignment]
