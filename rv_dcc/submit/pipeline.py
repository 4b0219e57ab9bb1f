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
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from rv_dcc.errors import RvDccError
from rv_dcc.submit import journal as jr
from rv_dcc.submit import recovery
from rv_dcc.submit.journal import Journal, JournalError
from rv_dcc.submit.transfer.base import (Cancelled, CancelToken, Progress, ProgressCallback, ProgressEvent,
                                         TransferEngine, UploadItem)

log = logging.getLogger("rv_dcc.submit.pipeline")

__all__ = ["SubmitResult", "SubmissionBlocked", "submit_scene", "resume", "abandon", "CancelToken",
           "ProgressEvent", "Cancelled"]

#: Test hook: "stage" names where the process crashes on purpose (fault-injection runs only).
CRASH_ENV = "RV_DCC_CRASH_AT"
#: Seconds after a createTask was requested during which "no task found" is checked once more.
CREATE_GRACE = 3.0


class SubmissionBlocked(RvDccError):
    """The checks found errors that must be fixed before anything is sent."""

    default_hint = "Fix the errors listed, then submit again."

    def __init__(self, message: str, issues: List[Any], journal: Optional[Path] = None) -> None:
        super().__init__(message)
        self.issues = issues
        self.journal = journal


@dataclass
class SubmitResult:
    """Where a submission stands after submit_scene / resume / abandon returned."""

    journal: Path
    stage: str
    task_id: Optional[int] = None
    task_alias: Optional[str] = None
    issues: List[Dict[str, Any]] = field(default_factory=list)
    uploaded: int = 0          #: files sent in this run
    already_there: int = 0     #: files the storage held already (not sent again)

    @property
    def submitted(self) -> bool:
        return self.stage == jr.SUBMITTED

    @property
    def cancelled(self) -> bool:
        return self.stage == jr.CANCELLED

    def to_dict(self) -> Dict[str, Any]:
        return {"journal": str(self.journal), "stage": self.stage, "task_id": self.task_id,
                "task_alias": self.task_alias, "uploaded": self.uploaded, "already_there": self.already_there,
                "issues": self.issues}


def _crash_point(name: str) -> None:
    """Die here when RV_DCC_CRASH_AT names this point (simulates a killed process in fault runs)."""
    if os.environ.get(CRASH_ENV) == name:
        log.warning("crash injected at %s", name)
        os._exit(77)


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
    return _Run(api, journal, progress, cancel, transfer, desc, options, catalog, scan, use_hash_cache).run()


def resume(api: Any, journal_dir: Path, *, progress: Optional[ProgressCallback] = None,
           cancel: Optional[CancelToken] = None, transfer: Optional[TransferEngine] = None) -> SubmitResult:
    """Finish the submission recorded in ``journal_dir``: never a second task, never a second upload."""
    journal = Journal.open(Path(journal_dir))
    if journal.stage == jr.ABANDONED:
        raise JournalError(f"the submission {journal.path.name} was abandoned; it cannot be resumed",
                           hint="Submit the scene again to render it.")
    return _Run(api, journal, progress, cancel, transfer).run()


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


class _Run:
    """One pass over a journal: each step checks what is recorded and does only what is missing."""

    def __init__(self, api: Any, journal: Journal, callback: Optional[ProgressCallback],
                 cancel: Optional[CancelToken], transfer: Optional[TransferEngine], desc: Any = None,
                 options: Any = None, catalog: Any = None, scan: Any = None, use_hash_cache: bool = True) -> None:
        self.api = api
        self.journal = journal
        self.progress = Progress(callback, cancel)
        self.transfer = transfer
        self._own_transfer = transfer is None
        self.desc = desc
        self.options = options
        self.catalog = catalog
        self.scan = scan
        self.use_hash_cache = use_hash_cache
        self.issues: Optional[List[Any]] = None
        self.uploaded = 0
        self.already_there = 0

    # --- driver ---------------------------------------------------------------------------------
    def run(self) -> SubmitResult:
        journal = self.journal.lock()
        try:
            if journal.stage == jr.SUBMITTED:
                return self._result()
            if journal.stage in (jr.CANCELLED, jr.FAILED):
                journal.set_stage(journal.progress_stage(), None)
            self._load_inputs()
            if not journal.state.get("checked_at"):
                self._check()
            self._create_task()
            self._remember_budget()
            self._task_files()
            self._config_files()
            self._assets()
            self._submit()
            try:
                self.progress.stage("done", f"task {journal.task_id} submitted")
            except Cancelled:
                pass  # too late to cancel: the task is submitted
            return self._result()
        except Cancelled:
            journal.set_stage(jr.CANCELLED, "cancelled by the user")
            log.info("submission %s cancelled; resume or abandon it", journal.path.name)
            return self._result()
        except KeyboardInterrupt:
            journal.set_stage(jr.CANCELLED, "interrupted (Ctrl-C)")
            raise
        except SubmissionBlocked:
            journal.set_stage(jr.FAILED, "blocked by the checks")
            raise
        except BaseException as exc:
            # Record why, in words fit for `rv-dcc history` (never a secret: errors carry none).
            journal.set_stage(jr.FAILED, f"{type(exc).__name__}: {exc}"[:500])
            raise
        finally:
            if self._own_transfer and self.transfer is not None:
                self.transfer.close()
            journal.unlock()

    def _result(self) -> SubmitResult:
        state = self.journal.state
        return SubmitResult(self.journal.path, self.journal.stage, self.journal.task_id, state.get("task_alias"),
                            state.get("issues", []), self.uploaded, self.already_there)

    # --- inputs -----------------------------------------------------------------------------------
    def _load_inputs(self) -> None:
        """Description and options from the journal (the journal, not the caller, is the truth)."""
        if self.desc is None:
            from rv_dcc.scene.model import SceneDescription

            self.desc = SceneDescription.from_json(self.journal.description_json())
        if self.options is None:
            from rv_dcc.submit.options import SubmitOptions

            self.options = SubmitOptions.model_validate_json(self.journal.options_json())

    def _need_catalog(self) -> Any:
        if self.catalog is None:
            from rv_dcc.submit.prepare import catalog_for

            self.progress.message("reading the farm's software catalog")
            self.catalog = catalog_for(self.desc, self.options.os_name, api=self.api)
        return self.catalog

    def _need_scan(self) -> Any:
        if self.scan is None:
            from rv_dcc.scene.assets import ScanCancelled
            from rv_dcc.submit.prepare import scan

            self.progress.stage("check", "scanning the scene's files")
            try:
                self.scan = scan(self.desc, use_cache=self.use_hash_cache,
                                 progress=lambda done, total: not self.progress.cancel_token.cancelled)
            except ScanCancelled:
                raise Cancelled("cancelled") from None
        return self.scan

    # --- steps ------------------------------------------------------------------------------------
    def _check(self) -> None:
        from rv_dcc.submit.checks import blocking, run_checks

        scan = self._need_scan()
        catalog = self._need_catalog()
        self.progress.stage("check", "checking the scene")
        issues = run_checks(self.desc, self.options, catalog, scan)
        self.issues = issues
        self.journal.set_issues([_issue_dict(i) for i in issues])
        errors = blocking(issues)
        if errors:
            raise SubmissionBlocked(f"{len(errors)} problem(s) must be fixed before submitting: "
                                    + "; ".join(getattr(i, "title", str(i)) for i in errors[:5]),
                                    issues, self.journal.path)
        from rv_dcc.submit.render_env import ensure_render_env, match_render_env

        ensure_render_env(self.api, match_render_env(self.desc, catalog, self.options.render_env,
                                                     self.options.cg_version, self.options.plugin_versions))
        self.journal.state["checked_at"] = jr._now()
        self.journal.set_stage(jr.CHECKED)
        _crash_point("checked")

    def _create_task(self) -> None:
        journal = self.journal
        if journal.task_id is not None:
            return
        self.progress.stage("create", "reserving a task on the farm")
        if journal.state.get("create_requested_at"):
            # A createTask may have reached the farm without its reply reaching us: look first.
            found = recovery.find_task_by_marker(self.api, journal.marker)
            wait = float(journal.state["create_requested_at"]) + CREATE_GRACE - jr._now()
            if found is None and wait > 0:
                # A request sent moments ago by a killed process may still be in the farm's hands.
                self.progress.message(f"checking again in {wait:.0f} s for a task created by the interrupted run")
                if self.progress.cancel_token.wait(wait):
                    raise Cancelled("cancelled")
                found = recovery.find_task_by_marker(self.api, journal.marker)
            if found is not None:
                log.info("found task %s created by an interrupted run", found.get("id"))
                journal.set_task(int(found["id"]), found.get("taskAlias"), recovery.user_id(self.api))
                return
        journal.mark_create_requested()
        _crash_point("create_requested")
        labels = [journal.marker] + [label for label in self.options.labels if label != journal.marker]
        try:
            reply = recovery.raw(self.api.task.create_task(count=1, task_user_level=self.options.priority,
                                                           labels=labels))
            task_id, alias, user = recovery.created_task(reply)
        except Exception as exc:
            from rv_dcc.api.errors import TransportError

            if not isinstance(exc, TransportError):
                raise
            # The reply was lost: the farm may have made the task. Ask before anything else.
            log.warning("createTask reply lost (%s); asking the farm", exc)
            found = recovery.find_task_by_marker(self.api, journal.marker)
            if found is None:
                raise
            journal.set_task(int(found["id"]), found.get("taskAlias"), recovery.user_id(self.api))
            return
        journal.set_task(task_id, alias, user)
        _crash_point("task_created")

    def _remember_budget(self) -> None:
        """The budget, if any, is known to the watchers before the task renders (monitor.budget)."""
        from rv_dcc.monitor.budget import remember

        remember(self.api, self.journal.task_id, getattr(self.options, "budget", None))

    def _task_files(self) -> None:
        journal = self.journal
        if journal.has_task_files():
            return
        from rv_dcc.submit.taskfiles import build_task_files

        user = journal.state.get("user_id") or recovery.user_id(self.api) or "0"
        if journal.state.get("user_id") is None:
            journal.state["user_id"] = str(user)
        files = build_task_files(self.desc, self.options, self._need_catalog(), self._need_scan(),
                                 journal.task_id, str(user), str(getattr(self.api, "platform", "")),
                                 issues=self.issues)
        journal.write_task_files({"task.json": files.task_json, "upload.json": files.upload_json,
                                  "asset.json": files.asset_json, "tips.json": files.tips_json})
        journal.save()

    def _config_files(self) -> None:
        journal = self.journal
        names = [n for n in jr.TASK_FILE_NAMES if not journal.config_done(n)]
        self.progress.stage("config", "sending the task files", files_total=len(jr.TASK_FILE_NAMES),
                            files_done=len(jr.TASK_FILE_NAMES) - len(names))
        for name in names:
            self.progress.check()
            content = (journal.path / name).read_text(encoding="utf-8")
            # The same content for the same task and name: re-sending after a lost reply only
            # overwrites the farm's copy with identical bytes, so no lookup is needed here.
            content = json.dumps(json.loads(content), ensure_ascii=False)
            self.api.task.upload_task_json(task_id=journal.task_id, file_name=name, content=content)
            journal.mark_config_done(name, hashlib.sha1(content.encode("utf-8")).hexdigest())
            self.progress.file_done(name)
            _crash_point(f"config:{name}")

    def _assets(self) -> None:
        journal = self.journal
        upload = journal.task_file("upload.json") or {}
        pairs: Dict[str, Dict[str, Any]] = {}
        for entry in list(upload.get("scene") or []) + list(upload.get("asset") or []):
            pairs.setdefault(entry["server"], entry)
        items = []
        for server, entry in pairs.items():
            size = os.path.getsize(entry["local"]) if os.path.isfile(entry["local"]) else None
            items.append({"local": entry["local"], "server": server, "size": size})
        journal.register_assets(items)
        todo = [UploadItem(e["local"], e["server"], e["size"] if e["size"] is not None else -1,
                           pairs[e["server"]].get("hash") or self._known_md5(e["local"]))
                for e in items if not journal.asset_done(e["server"])]
        done_bytes = sum((journal.state["assets"][s].get("size") or 0) for s in pairs if journal.asset_done(s))
        total_bytes = done_bytes + sum(max(i.size, 0) for i in todo)
        self.progress.stage("upload", f"uploading {len(todo)} file(s)", files_total=len(pairs),
                            files_done=len(pairs) - len(todo), bytes_total=total_bytes, bytes_done=done_bytes)
        if not todo:
            return
        engine = self._engine()

        def on_done(result: Any) -> None:
            journal.mark_asset_done(result.item.server, md5=result.md5, size=result.size, how=result.how)
            if result.how == "present":
                self.already_there += 1
            else:
                self.uploaded += 1
            _crash_point("asset")

        engine.upload(todo, self.progress, on_done)

    def _known_md5(self, local: str) -> Optional[str]:
        for found in getattr(self.scan, "found", None) or []:
            if getattr(found, "path", None) == local and getattr(found, "md5", None):
                return str(found.md5)
        return None

    def _engine(self) -> TransferEngine:
        if self.transfer is None:
            from rv_dcc.submit.transfer import engine_for

            self.transfer = engine_for(self.api, user_id=self.journal.state.get("user_id"))
        return self.transfer

    def _submit(self) -> None:
        journal = self.journal
        task_id = journal.task_id
        assert task_id is not None  # _create_task ran first
        self.progress.stage("submit", f"starting task {task_id}")
        if journal.state.get("submit_requested_at"):
            if recovery.is_submitted(recovery.task_record(self.api, task_id)):
                log.info("task %s was already submitted by an interrupted run", task_id)
                journal.mark_submitted()
                return
        journal.mark_submit_requested()
        _crash_point("submit_requested")
        try:
            self.api.task.submit_task(task_id=task_id)
        except Exception as exc:
            from rv_dcc.api.errors import ApiError

            # A lost reply, or a farm that refuses a second submit: the task's record decides.
            if not isinstance(exc, ApiError) or not recovery.is_submitted(recovery.task_record(self.api, task_id)):
                raise
            log.warning("submit/task answered %s but the task is submitted", type(exc).__name__)
        journal.mark_submitted()


def _issue_dict(issue: Any) -> Dict[str, Any]:
    """An Issue as plain JSON for the journal."""
    if hasattr(issue, "model_dump"):
        return issue.model_dump()
    if hasattr(issue, "__dict__"):
        return {k: v for k, v in vars(issue).items() if not k.startswith("_")}
    if hasattr(issue, "_asdict"):
        return dict(issue._asdict())
    return {"title": str(issue)}



def submit_from_args(args: Any, prepare_from_args: Any = None) -> int:
    """The command line's entry (``rv-dcc submit`` without --dry-run); see rv_dcc.commands.submitting."""
    from rv_dcc.commands.submitting import submit_from_args as run_cli

    return run_cli(args, prepare_from_args)
