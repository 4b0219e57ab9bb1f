"""Which files a task produced: its output folder on the output storage, walked through the API.

``getOutputUserDirFile`` with a task id lists the task's entries at the top of the output
storage; folders are walked with ``treePath`` (their ``filePath``). The result is a flat list of
:class:`RemoteFile` (path relative to the output root) for ``TransferEngine.download``. Queries
only (safe to repeat). No state.

A farm's listing is not trusted: the walk stops with a clear error past ``MAX_DEPTH`` folders deep
or ``MAX_LISTINGS`` listing calls (a folder holding a new folder without end), and an entry
whose fields have the wrong type (a size that is not a number, a name that is not text) is
logged as a farm reply problem and left out or given an unknown size; the rest stays usable.
"""
import logging
from typing import Any, Dict, List, Optional, Set

from rv_dcc.transfer.base import RemoteFile, TransferError

log = logging.getLogger("rv_dcc.transfer.outputs")

MAX_ENTRIES = 200000  # a bound against a listing that loops
MAX_DEPTH = 32  # folders below the task's output folder
MAX_LISTINGS = 2000  # listing calls for one task


def _entries(value: Any) -> List[Dict[str, Any]]:
    from rv_dcc.api.replies import to_wire as raw

    data = raw(value)
    if isinstance(data, dict):
        data = data.get("items") or data.get("list") or []
    return [e for e in (data or []) if isinstance(e, dict)]


def _is_dir(entry: Dict[str, Any]) -> bool:
    value = entry.get("directory")
    return value is True or str(value).lower() == "true"


def _size(entry: Dict[str, Any], path: str) -> Optional[int]:
    size = entry.get("fileSize")
    if size in (None, "null", ""):
        return None
    try:
        value = int(size)
        if value < 0:
            raise ValueError(value)
        return value
    except (TypeError, ValueError):
        log.warning("farm reply problem: output %r has fileSize %r, not a number of bytes; size unknown",
                    path[:200], str(size)[:40])
        return None


def list_outputs(api: Any, task_id: int, limit: Optional[int] = None) -> List[RemoteFile]:
    """Every output file of ``task_id`` (its layer sub-tasks included), sorted by path."""
    files: Dict[str, RemoteFile] = {}
    seen: Set[str] = set()
    pending = list(_entries(api.transmit.get_output_files(task_id=int(task_id))))
    listings = 1
    while pending:
        entry = pending.pop()
        name = entry.get("filePath") or entry.get("fileName") or ""
        if not isinstance(name, str):
            log.warning("farm reply problem: an output of task %s has the name %r, not text; left out",
                        task_id, str(name)[:80])
            continue
        path = "/" + name.lstrip("/")
        if _is_dir(entry):
            if path in seen:
                continue
            seen.add(path)
            depth = len([p for p in path.replace("\\", "/").split("/") if p])
            if depth > MAX_DEPTH or listings >= MAX_LISTINGS:
                how = f"over {MAX_DEPTH} folders deep" if depth > MAX_DEPTH else f"{listings} folders listed"
                raise TransferError(f"the farm's output listing of task {task_id} does not end: {how} "
                                    f"(at {path[:120]!r}); nothing was downloaded",
                                    hint="The farm's reply is wrong; report it to the farm's support.")
            listings += 1
            pending.extend(_entries(api.transmit.get_output_files(tree_path=path)))
            continue
        files[path] = RemoteFile(path, _size(entry, path), dict(entry))
        if len(files) >= (limit or MAX_ENTRIES):
            log.warning("output listing of task %s cut at %d files", task_id, len(files))
            break
    return [files[p] for p in sorted(files)]
