"""A small JSON file of facts about tasks, by farm and task id (budgets, download folders).

Several processes use it at once (``rv-dcc watch``, ``rv-dcc download``, the panel): the file is
re-read when it changed and written whole with rv_dcc.fsutil.atomic_write_json, so a reader
never sees half of it. A damaged file is logged and read as empty (nothing it held is
lost until the next write). Pure standard library plus platformdirs for the default folder.
"""
import json
import logging
import threading
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Tuple

log = logging.getLogger("rv_dcc.monitor.taskbook")

Entry = Optional[Dict[str, Any]]


def data_dir() -> Path:
    """``<user data dir>/rv_dcc`` (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("rv_dcc", appauthor=False))


def farm_key(api: Any) -> str:
    """Which farm a task id belongs to (ids of the embedded farm and the service may collide)."""
    return f"{getattr(api, 'domain', None) or '-'}|{getattr(api, 'platform', None) or '-'}"


class TaskBook:
    """``{farm|task_id: entry}`` in one JSON file under ``section``; safe to share between threads."""

    def __init__(self, path: Path, section: str) -> None:
        self.path = Path(path)
        self.section = section
        self._lock = threading.Lock()
        self._entries: Dict[str, Dict[str, Any]] = {}
        self._stamp: Optional[Tuple[int, int]] = None

    @staticmethod
    def key(farm: str, task_id: int) -> str:
        """The entry key of a task on a farm."""
        return f"{farm}|{int(task_id)}"

    def _reload(self) -> None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._entries, self._stamp = {}, None
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            entries = data.get(self.section) if isinstance(data, dict) else None
            self._entries = {str(k): dict(v) for k, v in entries.items() if isinstance(v, dict)} \
                if isinstance(entries, dict) else {}
        except (OSError, ValueError) as error:
            log.warning("cannot read %s (%s); the %s in it are not known", self.path, error, self.section)
            self._entries = {}
        self._stamp = stamp

    def _save(self) -> None:
        from rv_dcc.fsutil import atomic_write_json

        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_json(self.path, {"version": 1, self.section: self._entries}, indent=1, sort_keys=True)
        stat = self.path.stat()
        self._stamp = (stat.st_mtime_ns, stat.st_size)

    def get(self, farm: str, task_id: int) -> Entry:
        """A copy of the task's entry, or None."""
        with self._lock:
            self._reload()
            entry = self._entries.get(self.key(farm, task_id))
            return dict(entry) if entry is not None else None

    def entries(self) -> Dict[str, Dict[str, Any]]:
        """Every entry by key (one read of the file at most: for a pass over many tasks)."""
        with self._lock:
            self._reload()
            return {key: dict(entry) for key, entry in self._entries.items()}

    def put(self, farm: str, task_id: int, entry: Entry) -> None:
        """Set (None: remove) the task's entry."""
        self.update(farm, task_id, lambda _old: entry)

    def update(self, farm: str, task_id: int, change: Callable[[Entry], Entry]) -> Tuple[Entry, Entry]:
        """Replace the task's entry with ``change(entry)`` (None removes it); returns (before, after).
        Nothing is written when the entry did not change."""
        with self._lock:
            self._reload()
            key = self.key(farm, task_id)
            before = self._entries.get(key)
            after = change(dict(before) if before is not None else None)
            if after == before:
                return before, after
            if after is None:
                self._entries.pop(key, None)
            else:
                self._entries[key] = dict(after)
            self._save()
            return before, after
