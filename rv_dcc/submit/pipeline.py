"""Submission: a scene description to a task rendering on the farm, surviving anything on the way.

``submit_scene`` makes a journal (rv_dcc.submit.journal) and walks it through the call sequence
of spec/task_files.md §1: checks -> createTask -> taskJsonFile x4 -> asset upload -> submit/task.
``resume`` picks a journal up wherever it stopped (a killed process, a cut connection, a
cancel) and finishes the *same* task; ``abandon`` gives the reserved task up on the farm.
Every step is driven by what the journal records, never by guessing: the task id is written
before anything else happens, createTask and submit/task are marked "requested" before they are
sent, and a lost reply is settled by asking the farm (rv_dcc.submit.recovery) instead of
repeating the call. Plain Python, safe in any worker thread. From the panel::

    token = CancelToken()                     # Cancel button: token.cancel() (any thread)
    def work():                               # in a QRunnable / worker thread
        return submit_scene(api, desc, options, catalog=catalog, scan=scan,
                            progress=lambda ev: signals.progress.emit(ev), cancel=token)
    # ProgressEvent: stage, message, file, bytes_done/bytes_total, files_done/files_total, eta
    # result.stage "cancelled" -> offer resume(api, result.journal) or abandon(api, result.journal)
"""
import logging
from pathlib import Path
from typing import Any, Dict, Optional

from rv_dcc.submit import journal as jr
from rv_dcc.submit import recovery
from rv_dcc.submit.journal import Journal, JournalError
from rv_dcc.submit.steps import Run, SubmissionBlocked, SubmitResult
from rv_dcc.transfer.base import Cancelled, CancelToken, ProgressCallback, ProgressEvent, TransferEngine

log = logging.getLogger("rv_dcc.submit.pipeline")

__all__ = ["SubmitResult", "SubmissionBlocked", "submit_scene", "resume", "abandon", "CancelToken",
           "ProgressEvent", "Cancelled"]


def farm_of(api: Any) -> Dict[str, Any]:
    """The farm an API talks to, as the journal records it (never the key)."""
    return {"domain": getattr(api, "domain", None), "platform": getattr(api, "platform", None),
            "protocol": getattr(api, "protocol", None)}


def submit_scene(api: Any, desc: Any, options: Any, *, journal_root: Optional[Path] = None,
                 progress: Optional[ProgressCallback] = None, cancel: Optional[CancelToken] = None,
                 transfer: Optional[TransferEngine] = None, catalog: Any = None, scan: Any = None,
                 use_hash_cache: bool = True) -> SubmitResult:
    """Check ``desc`` with ``options``, then create, fill and submit one task on the farm.

    Returns a SubmitResult (stage ``submitted``, or ``cancelled`` when the callback returned
    False / the token was set). Raises SubmissionBlocked when checks find errors, and the
    client's / transfer's errors otherwise; in every case the journal says where it stopped and
    :func:`resume` finishes it. ``catalog`` / ``scan`` may be given when the caller has them
    (the panel's checks already made them); ``use_hash_cache`` False skips the persistent cache.
    """
    journal = Journal.create(journal_root, description_json=desc.to_json(),
                             options_json=options.model_dump_json(indent=2), scene=desc.scene_file,
                             host=desc.host, farm=farm_of(api))
    return Run(api, journal, progress, cancel, transfer, desc, options, catalog, scan, use_hash_cache).run()


def resume(api: Any, journal_dir: Path, *, progress: Optional[ProgressCallback] = None,
           cancel: Optional[CancelToken] = None, transfer: Optional[TransferEngine] = None) -> SubmitResult:
    """Finish the submission recorded in ``journal_dir``: never a second task, never a second upload."""
    journal = Journal.open(Path(journal_dir))
    if journal.stage == jr.ABANDONED:
        raise JournalError(f"the submission {journal.path.name} was abandoned; it cannot be resumed",
                           hint="Submit the scene again to render it.")
    return Run(api, journal, progress, cancel, transfer).run()


def abandon(api: Any, journal_dir: Path, reason: str = "abandoned by the user") -> SubmitResult:
    """Give up a submission: its reserved task (if the farm has one) is abandoned with abortTask."""
    journal = Journal.open(Path(journal_dir)).lock()
    try:
        task_id = journal.task_id
        if task_id is None and journal.state.get("create_requested_at"):
            found = recovery.find_task_by_marker(api, journal.marker)
            if found is not None:
                journal.set_task(int(found["id"]), found.get("taskAlias"))
                task_id = journal.task_id
        if task_id is not None and journal.stage != jr.ABANDONED:
            api.task.abort_task(task_param_list=[task_id])
            log.info("task %s abandoned on the farm", task_id)
        journal.set_stage(jr.ABANDONED, reason)
        return SubmitResult(journal.path, journal.stage, journal.task_id, journal.state.get("task_alias"))
    finally:
        journal.unlock()
