"""The farm's state: one SQLite database (WAL) under the data folder, and its file areas.

Owns the schema, the connection pool and the folder layout of ``--data``::

    farm.sqlite3            tasks, frames, labels, envs, task files, uploads, records
    storage/input/...       input storage (uploads, at the "server" paths of upload.json)
    storage/output/<taskId>_<scene>/...   output storage (rendered frames)
    storage/config/<taskId>/cfg/...       the four task files as uploaded
    thumbs/<taskId>/...     frame thumbnails

Every write runs in ``with store.write() as conn:`` — one process-wide writer (a lock plus
``BEGIN IMMEDIATE``), committed before the request is answered, so killing the process loses
nothing acknowledged (WAL, ``synchronous=NORMAL``: durable across a process kill; a power cut
may lose the last transactions). Reads use pooled connections and never block the writer. The
data folder, its areas and the database are private to the user who runs the farm (folders
0700, database files 0600): they hold the scenes, the renders and the account's state.
"""
import logging
import os
import sqlite3
import threading
from contextlib import contextmanager
from typing import Any, Iterator, List, Optional

from rv_dcc.fsutil import private_file, private_folder

log = logging.getLogger("rv_dcc.farm.store")

#: The first task id a fresh farm hands out (aliases look like 2W19001).
FIRST_TASK_ID = 19001

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL DEFAULT 0,
    submitted INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 50,
    hold INTEGER NOT NULL DEFAULT 0,
    is_delete INTEGER NOT NULL DEFAULT 1,
    cg_id INTEGER, scene_name TEXT NOT NULL DEFAULT '', layer_name TEXT NOT NULL DEFAULT '',
    camera TEXT NOT NULL DEFAULT '', frames_range TEXT NOT NULL DEFAULT '', project_name TEXT NOT NULL DEFAULT '',
    task_user_level INTEGER NOT NULL DEFAULT 50, task_limit INTEGER NOT NULL DEFAULT 200,
    full_speed INTEGER NOT NULL DEFAULT 0, over_time_stop INTEGER NOT NULL DEFAULT 0,
    task_over_time INTEGER NOT NULL DEFAULT 43200, job_stop_time INTEGER NOT NULL DEFAULT 259200,
    stop_after_test INTEGER NOT NULL DEFAULT 0,
    hardware_ids TEXT NOT NULL DEFAULT '[301]', ram INTEGER NOT NULL DEFAULT 64, gpu INTEGER NOT NULL DEFAULT 0,
    producer TEXT, artist TEXT, out_user_id INTEGER, clone_original_id INTEGER,
    created_ms INTEGER NOT NULL, submit_ms INTEGER, start_ms INTEGER, completed_ms INTEGER,
    render_seconds INTEGER NOT NULL DEFAULT 0, fee REAL NOT NULL DEFAULT 0, coupon_fee REAL NOT NULL DEFAULT 0,
    total_frames INTEGER NOT NULL DEFAULT 0, done_frames INTEGER NOT NULL DEFAULT 0,
    failed_frames INTEGER NOT NULL DEFAULT 0, executing_frames INTEGER NOT NULL DEFAULT 0,
    waiting_frames INTEGER NOT NULL DEFAULT 0, abort_frames INTEGER NOT NULL DEFAULT 0,
    output_name TEXT NOT NULL DEFAULT '', blend_path TEXT NOT NULL DEFAULT '', render_options TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS ix_tasks_list ON tasks(parent_id, is_delete, id);
CREATE TABLE IF NOT EXISTS frames (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL,
    frame_index TEXT NOT NULL, frame_numbers TEXT NOT NULL, frame_type INTEGER NOT NULL DEFAULT 5,
    status INTEGER NOT NULL DEFAULT 1,
    sim_seconds INTEGER NOT NULL DEFAULT 60, start_ms INTEGER NOT NULL DEFAULT 0, end_ms INTEGER NOT NULL DEFAULT 0,
    due_ms INTEGER NOT NULL DEFAULT 0, execute_seconds INTEGER NOT NULL DEFAULT 0,
    fee REAL, coupon_fee REAL, recommit INTEGER NOT NULL DEFAULT 0, gop_name TEXT,
    outputs TEXT NOT NULL DEFAULT '[]', thumbs TEXT NOT NULL DEFAULT '[]', log TEXT NOT NULL DEFAULT '',
    render_job INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_frames_task ON frames(task_id, id);
CREATE INDEX IF NOT EXISTS ix_frames_task_status ON frames(task_id, status);
CREATE INDEX IF NOT EXISTS ix_frames_waiting ON frames(task_id, frame_type, id) WHERE status = 1;
CREATE INDEX IF NOT EXISTS ix_frames_rendering ON frames(due_ms) WHERE status = 2;
CREATE INDEX IF NOT EXISTS ix_frames_held ON frames(task_id) WHERE status = 8;
CREATE TABLE IF NOT EXISTS labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, status INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS task_labels (task_id INTEGER NOT NULL, label_id INTEGER NOT NULL,
    PRIMARY KEY (task_id, label_id));
CREATE INDEX IF NOT EXISTS ix_task_labels_label ON task_labels(label_id);
CREATE TABLE IF NOT EXISTS envs (edit_name TEXT PRIMARY KEY, cg_id INTEGER NOT NULL, cg_name TEXT NOT NULL,
    cg_version TEXT NOT NULL, render_layer_type INTEGER NOT NULL DEFAULT 0, os_name INTEGER NOT NULL DEFAULT 1,
    plugin_ids TEXT NOT NULL DEFAULT '[]', project_path TEXT NOT NULL DEFAULT '', is_default INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS task_files (task_id INTEGER NOT NULL, file_name TEXT NOT NULL, content TEXT NOT NULL,
    PRIMARY KEY (task_id, file_name));
CREATE TABLE IF NOT EXISTS uploads (storage TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL DEFAULT 0,
    total INTEGER, sha256 TEXT, md5 TEXT, complete INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER NOT NULL,
    PRIMARY KEY (storage, path));
CREATE INDEX IF NOT EXISTS ix_uploads_sha ON uploads(sha256) WHERE complete = 1;
CREATE INDEX IF NOT EXISTS ix_uploads_md5 ON uploads(md5) WHERE complete = 1;
CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, time_ms INTEGER NOT NULL,
    text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_records_kind ON records(kind, id);
"""

#: Account values that change (balance, coupon, settings); everything else is catalog data.
ACCOUNT_DEFAULTS = {"usdbalance": "500.0", "coupon": "49.93", "consumed": "0", "taskOverTimeSec": "43200",
                    "next_task_id": str(FIRST_TASK_ID)}


class Store:
    """The database and file areas of one farm data folder."""

    def __init__(self, data_dir: str) -> None:
        self.data_dir = os.path.abspath(data_dir)
        self.db_path = os.path.join(self.data_dir, "farm.sqlite3")
        self._pool: List[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._closed = False
        private_folder(self.data_dir)
        for area in ("storage", "storage/input", "storage/output", "storage/config", "thumbs", "tmp"):
            private_folder(self.path(area))
        private_file(self.db_path)  # SQLite gives its -wal and -shm files the database's mode
        conn = self._connect()
        conn.executescript(SCHEMA)
        for key, value in ACCOUNT_DEFAULTS.items():
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", (key, value))
        self._release(conn)

    def path(self, *parts: str) -> str:
        """An absolute path inside the data folder."""
        return os.path.join(self.data_dir, *parts)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA cache_size=-32000")
        return conn

    def _acquire(self) -> sqlite3.Connection:
        with self._pool_lock:
            if self._closed:
                raise RuntimeError("the farm store is closed")
            if self._pool:
                return self._pool.pop()
        return self._connect()

    def _release(self, conn: sqlite3.Connection) -> None:
        with self._pool_lock:
            if not self._closed and len(self._pool) < 16:
                self._pool.append(conn)
                return
        conn.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A pooled connection for reads (a consistent snapshot inside one ``BEGIN``)."""
        conn = self._acquire()
        try:
            conn.execute("BEGIN")
            yield conn
        finally:
            try:
                conn.execute("COMMIT")
            except sqlite3.Error:
                pass
            self._release(conn)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """The single writer: a transaction committed on exit, rolled back on an exception."""
        with self._write_lock:
            conn = self._acquire()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                self._release(conn)

    def close(self) -> None:
        """Close every pooled connection (the store is unusable afterwards)."""
        with self._pool_lock:
            self._closed = True
            pool, self._pool = self._pool, []
        if pool:
            try:  # fold the WAL into the database so the next start reads one file
                pool[0].execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                pass
        for conn in pool:
            conn.close()

    # -- small shared helpers ---------------------------------------------------------------
    @staticmethod
    def meta(conn: sqlite3.Connection, key: str, default: Optional[str] = None) -> Optional[str]:
        """A value of the meta table."""
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @staticmethod
    def set_meta(conn: sqlite3.Connection, key: str, value: Any) -> None:
        """Set a meta value (inside a write transaction)."""
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     (key, str(value)))

    def reserve_task_ids(self, conn: sqlite3.Connection, count: int) -> List[int]:
        """Hand out ``count`` new task ids (inside a write transaction)."""
        first = int(self.meta(conn, "next_task_id", str(FIRST_TASK_ID)) or FIRST_TASK_ID)
        top = conn.execute("SELECT COALESCE(MAX(id), 0) FROM tasks").fetchone()[0]
        first = max(first, top + 1)
        self.set_meta(conn, "next_task_id", first + count)
        return list(range(first, first + count))

    @staticmethod
    def record(conn: sqlite3.Connection, kind: str, time_ms: int, text: str) -> None:
        """Append an operation record (taskRecord / loginRecord)."""
        conn.execute("INSERT INTO records(kind, time_ms, text) VALUES (?, ?, ?)", (kind, time_ms, text))
