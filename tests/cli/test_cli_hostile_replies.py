"""Issue 15 items 10, 11, 12 at the command line: wrongly typed farm replies and damaged journals
are reported as such (the rest still usable), usage errors exit 2 naming the option, history takes
--journal-root like submit, and journals are private to their user."""
import json
import os
import stat
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))
from security_helpers import CannedServer, wire_envelope  # noqa: E402

BAD = {"id": 19001, "taskStatus": "abc", "sceneName": "a\x00b.ma", "doneFrames": "x", "totalFrames": 3,
       "respRenderingTaskList": [{"id": 19002, "taskStatus": None, "layerName": 5}]}


def _hostile(path, headers, body):
    if "queryTaskInfo" in path:
        return 200, wire_envelope({"items": [BAD]})
    if "getTaskList" in path:
        return 200, wire_envelope({"items": [BAD, {"id": 19003, "taskStatus": 25, "sceneName": "ok.ma"}],
                                   "total": "many"})
    return 200, wire_envelope(None)


@pytest.mark.parametrize("argv", [("status", "19001"), ("status",)])
def test_wrongly_typed_status_replies_are_a_farm_problem_not_a_bug(rv, argv):
    with CannedServer(_hostile) as server:
        result = rv(*argv, "--domain", server.domain).no_traceback()
    assert "internal error" not in result.err and "bug" not in result.err, result.err
    assert result.code == 0, result.err
    assert "19001" in result.out and "'abc'" in result.out and "\x00" not in result.out
    if argv == ("status",):
        assert "19003" in result.out and "finished" in result.out.lower()


def _journal(root, name, state):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")
    return folder


def test_one_damaged_journal_does_not_hide_the_others(rv, tmp_path):
    root = tmp_path / "my journals"
    good = {"id": "a" * 32, "stage": "submitted", "task_id": 19001, "scene": "/p/shot.ma", "created_at": 1.0,
            "assets": {}}
    _journal(root, "20260101-000000-shot-aaaaaaaa", good)
    _journal(root, "20260102-000000-bad-bbbbbbbb", dict(good, id="b" * 32, task_id="abc"))
    _journal(root, "20260103-000000-worse-cccccccc", dict(good, id="c" * 32, created_at="yesterday"))
    result = rv("history", "--journal-root", root, "--json").no_traceback()
    assert result.code == 0, result.err
    rows = {Path(r["journal"]).name: r for r in result.json}
    assert rows["20260101-000000-shot-aaaaaaaa"]["task_id"] == 19001
    assert rows["20260102-000000-bad-bbbbbbbb"]["stage"] == "damaged"
    assert "abc" in rows["20260102-000000-bad-bbbbbbbb"]["reason"]
    assert rows["20260103-000000-worse-cccccccc"]["stage"] == "damaged"
    text = rv("history", "--journal-root", root).no_traceback()
    assert text.code == 0 and "damaged" in text.out and "task 19001" in text.out


@pytest.mark.parametrize("option, value", [("--frame-timeout", "-1"), ("--task-timeout", "-5"),
                                           ("--overtime-reminder", "soon"), ("--frames-per-task", "0")])
def test_bad_option_values_are_usage_errors_naming_the_option(rv, option, value):
    scene = Path(__file__).resolve().parents[2] / "resources" / "samples" / "maya.json"
    result = rv("submit", scene, "--dry-run", option, value).no_traceback()
    assert result.code == 2, (result.code, result.err)
    assert option in result.err and "job_stop_time" not in result.err


def test_journals_are_private(tmp_path):
    from rv_dcc.submit.journal import Journal

    old = os.umask(0o022)
    try:
        journal = Journal.create(tmp_path / "new" / "journals", description_json="{}", options_json="{}",
                                 scene="/p/shot.ma")
        journal.register_assets([{"local": "/p/a.png", "server": "/p/a.png", "size": 1}])
        journal.mark_asset_done("/p/a.png", md5="0" * 32, size=1, how="uploaded")
        journal.lock()
        journal.unlock()
    finally:
        os.umask(old)
    for folder in (tmp_path / "new", tmp_path / "new" / "journals", journal.path):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    files = list(journal.path.iterdir())
    assert {f.name for f in files} >= {"state.json", "assets.done.jsonl", ".lock"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, (path, oct(path.stat().st_mode))
