"""The submission journal: one folder per submission, the state machine persisted on disk.

A journal folder holds ``description.json``, ``options.json``, the four task files once the task
id is known, and ``state.json``: the stage (draft -> checked -> task_created -> config_uploaded ->
assets_uploaded -> submitted, or cancelled / abandoned / failed with a reason), the task id, the
per-file completion of the config files and the assets, and two "requested" markers written
*before* the non-repeatable calls (createTask, submit/task) are sent, so that a process killed
between sending and hearing back can find out on resume what the farm did instead of doing it
again. ``state.json`` is replaced atomically (temp file + fsync + ``os.replace``), so a crash
leaves either the old or the new state, never half of one. Nothing secret is ever written here:
the farm is recorded by domain, platform and protocol only. Standard library only.
"""
import json
import logging
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from rv_dcc.errors import RvDccError
# the folder's primitives (where journals live, atomic JSON, scrubbing, the OS lock); atomic_write
# and default_root are also known as journal.atomic_write / journal.default_root
from rv_dcc.submit.journal_files import atomic_write, default_root, json_bytes, now, scrub, try_lock  # noqa: F401

log = logging.getLogger("rv_dcc.submit.journal")

STATE_FILE = "state.json"
LOCK_FILE = ".lock"
DONE_LOG = "assets.done.jsonl"
TASK_FILE_NAMES = ("task.json", "upload.json", "asset.json", "tips.json")
JOURNAL_VERSION = 1

# Stages, in the order a healthy submission passes them.
DRAFT = "draft"
CHECKED = "checked"
TASK_CREATED = "task_created"
CONFIG_UPLOADED = "config_uploaded"
ASSETS_UPLOADED = "assets_uploaded"
SUBMITTED = "submitted"
# Stages that interrupt the flow; cancelled and failed can be resumed, abandoned cannot.
CANCELLED = "cancelled"
ABANDONED = "abandoned"
FAILED = "failed"

ORDER = (DRAFT, CHECKED, TASK_CREATED, CONFIG_UPLOADED, ASSETS_UPLOADED, SUBMITTED)
FINAL_STAGES = frozenset({SUBMITTED, ABANDONED})
class JournalError(RvDccError):
    """A journal folder is missing, unreadable, or being resumed by another process."""

    default_hint = "Run `rv-dcc history` to list the journals and their folders."


class Journal:
    """One submission's folder and its state. Thread-safe: workers may mark files done."""

    def __init__(self, path: Path, state: Dict[str, Any]) -> None:
        self.path = Path(path)
        self.state = state
        self._lock = threading.RLock()
        self._lock_handle: Optional[Any] = None

    # --- creation and loading ------------------------------------------------------------------
    @classmethod
    def create(cls, root: Optional[Path], *, description_json: str, options_json: str,
               scene: str = "", host: str = "", farm: Optional[Dict[str, Any]] = None) -> "Journal":
        """Make a new journal folder under ``root`` in stage ``draft`` and return it."""
        from rv_dcc.fsutil import private_folder

        root = Path(root) if root is not None else default_root()
        private_folder(root)
        jid = uuid.uuid4().hex
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(scene).stem)[:40] or "scene"
        folder = root / f"{time.strftime('%Y%m%d-%H%M%S')}-{stem}-{jid[:8]}"
        folder.mkdir(mode=0o700)
        if os.name != "nt":
            os.chmod(folder, 0o700)  # private whatever the umask: it names the person's files
        atomic_write(folder / "description.json", description_json.encode("utf-8"))
        atomic_write(folder / "options.json", options_json.encode("utf-8"))
        state: Dict[str, Any] = {
            "version": JOURNAL_VERSION,
            "id": jid,
            # The marker rides on createTask (as a task label) so a lost reply can be found again.
            "marker": f"rvdcc-{jid}",
            "scene": scene,
            "host": host,
            "farm": scrub(dict(farm or {})),
            "stage": DRAFT,
            "created_at": now(),
            "updated_at": now(),
            "task_id": None,
            "task_alias": None,
            "user_id": None,
            "checked_at": None,
            "create_requested_at": None,
            "submit_requested_at": None,
            "submitted_at": None,
            "config_files": {},
            "assets": {},
            "issues": [],
            "reason": None,
            "history": [{"stage": DRAFT, "at": now()}],
        }
        journal = cls(folder, state)
        journal.save()
        log.info("journal %s created for %s", folder, scene or "(unsaved scene)")
        return journal

    @classmethod
    def open(cls, path: Path) -> "Journal":
        """Load the journal in folder ``path`` (or the folder holding the ``state.json`` given)."""
        path = Path(path)
        if path.name == STATE_FILE:
            path = path.parent
        state_path = path / STATE_FILE
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise JournalError(f"{path} is not a submission journal (no {STATE_FILE} in it)") from None
        except (OSError, ValueError) as exc:
            raise JournalError(f"the journal state {state_path} cannot be read: {exc}") from None
        if not isinstance(state, dict) or "id" not in state:
            raise JournalError(f"{state_path} is not a journal state file")
        journal = cls(path, state)
        journal._replay_done_log()
        return journal

    # --- persistence ---------------------------------------------------------------------------
    def save(self) -> None:
        """Write state.json atomically."""
        with self._lock:
            self.state["updated_at"] = now()
            atomic_write(self.path / STATE_FILE, json_bytes(scrub(self.state)))

    def lock(self) -> "Journal":
        """Take the journal's exclusive lock (one process works on a submission at a time).

        The lock is an OS file lock, so it disappears with a killed process. Raises JournalError
        when another live process holds it.
        """
        handle = try_lock(self.path / LOCK_FILE)
        if handle is None:
            raise JournalError(f"the submission {self.path.name} is being worked on by another process",
                               hint="Wait for it to finish, or stop that process, then resume.")
        self._lock_handle = handle
        return self

    def unlock(self) -> None:
        """Release the lock taken by :meth:`lock` (closing the file releases it)."""
        if self._lock_handle is not None:
            self._lock_handle.close()
            self._lock_handle = None

    # --- reading -------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return str(self.state["id"])

    @property
    def marker(self) -> str:
        return str(self.state["marker"])

    @property
    def stage(self) -> str:
        return str(self.state["stage"])

    @property
    def task_id(self) -> Optional[int]:
        value = self.state.get("task_id")
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise JournalError(f"the journal {self.path} is damaged: its task id {str(value)[:40]!r} is not a number",
                               hint="Delete that journal folder, or fix task_id in its state.json.") from None

    def description_json(self) -> str:
        return (self.path / "description.json").read_text(encoding="utf-8")

    def options_json(self) -> str:
        return (self.path / "options.json").read_text(encoding="utf-8")

    def task_file(self, name: str) -> Optional[Dict[str, Any]]:
        """A task file written to the journal, or None when it is not there (yet)."""
        try:
            return json.loads((self.path / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def has_task_files(self) -> bool:
        return all((self.path / name).is_file() for name in TASK_FILE_NAMES)

    def config_done(self, name: str) -> bool:
        return bool(self.state["config_files"].get(name, {}).get("done"))

    def asset_done(self, server: str) -> bool:
        return bool(self.state["assets"].get(server, {}).get("done"))

    def progress_stage(self) -> str:
        """The furthest stage of ORDER the recorded facts support (used when resuming)."""
        state = self.state
        assets = state.get("assets") or {}
        if state.get("submitted_at"):
            return SUBMITTED
        if assets and all(a.get("done") for a in assets.values()) and all(map(self.config_done, TASK_FILE_NAMES)):
            return ASSETS_UPLOADED
        if all(map(self.config_done, TASK_FILE_NAMES)):
            return CONFIG_UPLOADED
        if state.get("task_id") is not None:
            return TASK_CREATED
        if state.get("checked_at"):
            return CHECKED
        return DRAFT

    def summary(self) -> Dict[str, Any]:
        """What `rv-dcc history` shows for this journal."""
        assets = self.state.get("assets", {})
        return {
            "journal": str(self.path), "id": self.id, "scene": self.state.get("scene"),
            "host": self.state.get("host"), "stage": self.stage, "task_id": self.task_id,
            "task_alias": self.state.get("task_alias"), "reason": self.state.get("reason"),
            "farm": self.state.get("farm"), "created_at": self.state.get("created_at"),
            "updated_at": self.state.get("updated_at"),
            "assets_done": sum(1 for a in assets.values() if a.get("done")), "assets_total": len(assets),
        }

    # --- transitions ---------------------------------------------------------------------------
    def set_stage(self, stage: str, reason: Optional[str] = None) -> None:
        """Move to ``stage`` (recording ``reason`` for cancelled / abandoned / failed) and save."""
        with self._lock:
            self.state["stage"] = stage
            self.state["reason"] = reason
            self.state["history"].append({"stage": stage, "at": now(), **({"reason": reason} if reason else {})})
            self.save()

    def set_issues(self, issues: List[Dict[str, Any]]) -> None:
        with self._lock:
            self.state["issues"] = issues
            self.save()

    def mark_create_requested(self) -> None:
        """Record, before createTask is sent, that it is about to be: resume then searches first."""
        with self._lock:
            if not self.state.get("create_requested_at"):
                self.state["create_requested_at"] = now()
                self.save()

    def set_task(self, task_id: int, alias: Optional[str] = None, user_id: Optional[Any] = None) -> None:
        """Record the task id (the first thing done when createTask answers)."""
        with self._lock:
            self.state["task_id"] = int(task_id)
            self.state["task_alias"] = alias
            if user_id is not None:
                self.state["user_id"] = str(user_id)
            self.state["stage"] = TASK_CREATED
            self.state["reason"] = None
            self.state["history"].append({"stage": TASK_CREATED, "at": now(), "task_id": int(task_id)})
            self.save()

    def write_task_files(self, files: Dict[str, Any]) -> None:
        """Write the four task files into the journal folder (each atomically)."""
        for name in TASK_FILE_NAMES:
            atomic_write(self.path / name, json_bytes(files[name]))

    def mark_config_done(self, name: str, sha1: str) -> None:
        with self._lock:
            self.state["config_files"][name] = {"done": True, "sha1": sha1, "at": now()}
            if all(self.config_done(n) for n in TASK_FILE_NAMES):
                self._advance(CONFIG_UPLOADED)
            self.save()

    def register_assets(self, items: List[Dict[str, Any]]) -> None:
        """List the files to upload (``{"local", "server", "size"}``), keeping completion already recorded."""
        with self._lock:
            assets = self.state["assets"]
            for item in items:
                entry = assets.setdefault(item["server"], {"done": False})
                entry["local"] = item["local"]
                if item.get("size") is not None:
                    entry["size"] = item["size"]
            self.save()

    def mark_asset_done(self, server: str, *, md5: str, size: int, how: str) -> None:
        """Record one uploaded (or already present) file with its content hash.

        One fsynced line is appended to ``assets.done.jsonl`` per file (cheap with thousands of
        files, where rewriting state.json each time would not be); :meth:`open` replays it.
        state.json itself is rewritten when the last file is done.
        """
        record = {"server": server, "md5": md5, "size": size, "how": how, "at": now()}
        with self._lock:
            from rv_dcc.fsutil import open_private

            with open_private(self.path / DONE_LOG, append_only=True) as handle:
                # A leading newline ends any line a crash left torn, so this record stays whole.
                handle.write(("\n" + json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            self._apply_done(record)
            if all(a.get("done") for a in self.state["assets"].values()):
                self._advance(ASSETS_UPLOADED)
                self.save()

    def _apply_done(self, record: Dict[str, Any]) -> None:
        entry: Dict[str, Any] = self.state["assets"].setdefault(record["server"], {})
        entry["done"] = True
        entry.update({k: record[k] for k in ("md5", "size", "how", "at") if k in record})

    def _replay_done_log(self) -> None:
        """Fold the per-file completion log into the state (a torn last line is ignored)."""
        try:
            lines = (self.path / DONE_LOG).read_bytes().splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                record = json.loads(line.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue  # blank, or a line cut by a crash: that file was not recorded, it is checked again
            if isinstance(record, dict) and record.get("server"):
                self._apply_done(record)

    def mark_submit_requested(self) -> None:
        with self._lock:
            if not self.state.get("submit_requested_at"):
                self.state["submit_requested_at"] = now()
                self.save()

    def mark_submitted(self) -> None:
        with self._lock:
            self.state["submitted_at"] = now()
            self.state["stage"] = SUBMITTED
            self.state["reason"] = None
            self.state["history"].append({"stage": SUBMITTED, "at": now()})
            self.save()

    def _advance(self, stage: str) -> None:
        """Move forward along ORDER only (never backwards), without saving."""
        current = self.stage
        if current in ORDER and ORDER.index(stage) <= ORDER.index(current):
            return
        self.state["stage"] = stage
        self.state["history"].append({"stage": stage, "at": now()})


def iter_journals(root: Optional[Path] = None) -> Iterator[Journal]:
    """Every readable journal under ``root``, newest first; unreadable folders are skipped."""
    root = Path(root) if root is not None else default_root()
    if not root.is_dir():
        return
    folders = sorted((p for p in root.iterdir() if (p / STATE_FILE).is_file()), key=lambda p: p.name, reverse=True)
    for folder in folders:
        try:
            yield Journal.open(folder)
        except JournalError as exc:
            log.warning("skipping %s: %s", folder, exc)


def find_journal(ref: str, root: Optional[Path] = None) -> Journal:
    """A journal by folder path, folder name, id, id prefix (8+ characters) or task id."""
    path = Path(ref)
    if (path / STATE_FILE).is_file() or path.name == STATE_FILE:
        return Journal.open(path)
    matches = [j for j in iter_journals(root)
               if j.path.name == ref or j.id == ref or (len(ref) >= 8 and j.id.startswith(ref))
               or (ref.isdigit() and j.task_id == int(ref))]
    if not matches:
        raise JournalError(f"no submission journal matches {ref!r}")
    if len(matches) > 1:
        raise JournalError(f"{ref!r} matches {len(matches)} journals",
                           hint="Give the journal's folder path (see `rv-dcc history`).")
    return matches[0]
