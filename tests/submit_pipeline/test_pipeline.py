"""The submission pipeline against the embedded farm: progress, cancel, resume, abandon, checks."""
import json
import os

import pytest

from pipeline_helpers import load_sample, tasks_with_marker
from rv_dcc.submit import journal as jr
from rv_dcc.submit.journal import Journal, JournalError
from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.pipeline import CancelToken, SubmissionBlocked, abandon, resume, submit_scene


def test_progress_events_cover_every_stage_with_bytes(api, tmp_path):
    events = []
    result = submit_scene(api, load_sample("houdini"), SubmitOptions(), journal_root=tmp_path, progress=events.append)
    assert result.submitted
    stages = [e.stage for e in events]
    assert stages.index("check") < stages.index("create") < stages.index("config") < stages.index("upload") \
        < stages.index("submit") < stages.index("done")
    uploads = [e for e in events if e.stage == "upload"]
    assert uploads[-1].bytes_done == uploads[-1].bytes_total > 0
    assert uploads[-1].files_done == uploads[-1].files_total == result.uploaded + result.already_there


def test_cancel_during_upload_then_resume_same_task(api, tmp_path):
    token = CancelToken()

    def cancel_on_first_file(event):
        if event.stage == "upload" and event.files_done >= 1:
            token.cancel()

    desc = load_sample("3dsmax")
    result = submit_scene(api, desc, SubmitOptions(), journal_root=tmp_path, progress=cancel_on_first_file,
                          cancel=token)
    assert result.cancelled and result.task_id
    state = json.loads((result.journal / "state.json").read_text())
    assert state["stage"] == jr.CANCELLED and state["reason"] == "cancelled by the user"
    done_before = [s for s, a in state["assets"].items() if a.get("done")]
    assert 1 <= len(done_before) < len(state["assets"])
    resumed = resume(api, result.journal)
    assert resumed.submitted and resumed.task_id == result.task_id
    assert resumed.uploaded + resumed.already_there == len(state["assets"]) - len(done_before)
    assert tasks_with_marker(api, state["marker"]) == [result.task_id]
    # resuming a submitted journal is a no-op
    assert resume(api, result.journal).uploaded == 0


def test_callback_returning_false_cancels_before_any_task(api, tmp_path):
    result = submit_scene(api, load_sample("blender"), SubmitOptions(), journal_root=tmp_path,
                          progress=lambda e: False if e.stage == "create" else None)
    assert result.cancelled and result.task_id is None
    assert Journal.open(result.journal).state["create_requested_at"] is None


def test_abandon_reserved_task(api, tmp_path):
    token = CancelToken()
    result = submit_scene(api, load_sample("maya"), SubmitOptions(), journal_root=tmp_path, cancel=token,
                          progress=lambda e: token.cancel() if e.stage == "config" else None)
    assert result.cancelled and result.task_id
    gone = abandon(api, result.journal)
    assert gone.stage == jr.ABANDONED
    from rv_dcc.submit.recovery import task_record

    assert task_record(api, result.task_id)["taskStatus"] == 35
    with pytest.raises(JournalError, match="abandoned"):
        resume(api, result.journal)


def test_blocking_checks_stop_before_the_farm(api, tmp_path):
    desc = load_sample("blender").model_copy(update={"scene_file": str(tmp_path / "missing.blend")})
    with pytest.raises(SubmissionBlocked) as info:
        submit_scene(api, desc, SubmitOptions(), journal_root=tmp_path)
    assert info.value.issues
    journal = Journal.open(info.value.journal)
    assert journal.stage == jr.FAILED and journal.task_id is None and not journal.state["create_requested_at"]


def test_no_secret_reaches_the_journal(api, farm, tmp_path):
    result = submit_scene(api, load_sample("cinema4d"), SubmitOptions(), journal_root=tmp_path)
    for path in result.journal.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert farm.access_key not in text and farm.transfer_token not in text, path


def test_second_process_cannot_resume_while_one_works(api, tmp_path):
    token = CancelToken()
    result = submit_scene(api, load_sample("blender"), SubmitOptions(), journal_root=tmp_path, cancel=token,
                          progress=lambda e: token.cancel() if e.stage == "config" else None)
    journal = Journal.open(result.journal).lock()
    try:
        with pytest.raises(JournalError, match="another process"):
            resume(api, result.journal)
    finally:
        journal.unlock()
    assert resume(api, result.journal).submitted
