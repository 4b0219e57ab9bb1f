"""Which files a task produced: its output folder on the output storage, walked through the API.

``getOutputUserDirFile`` with a task id lists the task's entries at the top of the output
storage; folders are walked with ``treePath`` (their ``filePath``). The result is a flat list of
:class:`RemoteFile` (path relative to the output root) for ``TransferEngine.download``. Queries
only (safe to repeat). No state.
"""
import logging
from typing import Any, Dict, List, Optional, Set

from rv_dcc.submit.transfer.base import RemoteFile

log = logging.getLogger("rv_dcc.submit.transfer.outputs")

MAX_ENTRIES = 200000  # a bound against a listing that loops


def _entries(value: Any) -> List[Dict[str, Any]]:
    from rv_dcc.submit.recovery import raw

    data = raw(value)
    if isinstance(data, dict):
        data = data.get("items") or data.get("list") or []
    return [e for e in (data or []) if isinstance(e, dict)]


def _is_dir(entry: Dict[str, Any]) -> bool:
    value = entry.get("directory")
    return value is True or str(value).lower() == "true"


def list_outputs(api: Any, task_id: int, limit: Optional[int] = None) -> List[RemoteFile]:
    """Every output file of ``task_id`` (its layer sub-tasks included), sorted by path."""
    files: Dict[str, RemoteFile] = {}
    seen: Set[str] = set()
    pending = list(_entries(api.transmit.get_output_files(task_id=int(task_id))))
    while pending:
        entry = pending.pop()
        path = "/" + str(entry.get("filePath") or entry.get("fileName") or "").lstrip("/")
        if _is_dir(entry):
            if path in seen:
                continue
            seen.add(path)
            pending.extend(_entries(api.transmit.get_output_files(tree_path=path)))
            continue
        size = entry.get("fileSize")
        files[path] = RemoteFile(path, int(size) if size not in (None, "null", "") else None, dict(entry))
        if len(files) >= (limit or MAX_ENTRIES):
            log.warning("output listing of task %s cut at %d files", task_id, len(files))
            break
    return [files[p] for p in sorted(files)]
