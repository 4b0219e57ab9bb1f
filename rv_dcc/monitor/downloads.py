"""Bringing a task's outputs home from the monitor, once or again every time frames finish.

Lists the task's output files (``getOutputUserDirFile`` through rv_dcc.transfer.outputs)
and downloads the ones not already complete in the folder through the farm's transfer engine,
which resumes partial files and never leaves a half-written file under its final name. Calling
it again after more frames finished fetches only the new files: that is auto-download. The folder
is recorded per task (``rv-dcc open`` shows it). Blocking: run it in a worker. No Qt.
"""
import logging
from pathlib import Path
from typing import Any, List, Optional

log = logging.getLogger("rv_dcc.monitor.downloads")


def _complete(local: Path, remote: Any) -> bool:
    return local.is_file() and (remote.size is None or local.stat().st_size == remote.size)


def download_outputs(api: Any, task_id: int, folder: str, progress: Optional[Any] = None,
                     engine: Optional[Any] = None) -> List[str]:
    """Download the outputs of ``task_id`` missing from ``folder``; returns the paths written now."""
    from rv_dcc.transfer import engine_for
    from rv_dcc.transfer.base import UnsafePathError, local_target
    from rv_dcc.transfer.outputs import list_outputs

    target = Path(folder)
    remote = []
    for item in list_outputs(api, int(task_id)):
        try:  # a farm-supplied name that would land outside the folder is refused, the rest still comes
            local = local_target(target, item.path)
        except UnsafePathError as error:
            log.warning("not downloading an output of task %s: %s", task_id, error)
            continue
        if not _complete(local, item):
            remote.append(item)
    remember_folder(api, int(task_id), str(target))
    if not remote:
        return []
    own = engine is None
    engine = engine or engine_for(api)
    try:
        paths = engine.download(remote, target, progress)
    finally:
        if own:
            engine.close()
    log.info("downloaded %d output file(s) of task %s to %s", len(paths), task_id, folder)
    return [str(path) for path in paths]


def _book() -> Any:
    from rv_dcc.monitor.taskbook import TaskBook, data_dir

    return TaskBook(data_dir() / "downloads.json", "downloads")


def remember_folder(api: Any, task_id: int, folder: str) -> None:
    """Record where a task's outputs go (``rv-dcc open`` shows that folder); never fails a download."""
    import time

    from rv_dcc.monitor.taskbook import farm_key

    try:
        _book().put(farm_key(api), task_id, {"folder": str(Path(folder).resolve()), "at": time.time()})
    except OSError as error:
        log.warning("could not record where task %s downloads to: %s", task_id, error)


def downloaded_folder(api: Any, task_id: int) -> Optional[str]:
    """The folder a task's outputs were last downloaded to, when it still exists; else None."""
    from rv_dcc.monitor.taskbook import farm_key

    entry = _book().get(farm_key(api), task_id) or {}
    folder = entry.get("folder")
    return folder if isinstance(folder, str) and Path(folder).is_dir() else None
