"""The journal: atomic state, stages, per-file completion, locking, no secrets."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from rv_dcc.submit import journal as jr
from rv_dcc.submit.journal import Journal, JournalError, atomic_write, find_journal, iter_journals


def _new(tmp_path, **kw):
    return Journal.create(tmp_path, description_json='{"host": "blender"}', options_json="{}",
                          scene="/p/shot.blend", host="blender", farm={"domain": "127.0.0.1:1", "platform": "2",
                                                                         "access_key": "SECRET-KEY"}, **kw)


def test_create_writes_folder_and_state(tmp_path):
    journal = _new(tmp_path)
    state = json.loads((journal.path / "state.json").read_text())
    assert state["stage"] == jr.DRAFT
    assert state["marker"] == f"rvdcc-{state['id']}"
    assert (journal.path / "description.json").read_text() == '{"host": "blender"}'
    assert "SECRET-KEY" not in (journal.path / "state.json").read_text()  # scrubbed
    assert state["farm"] == {"domain": "127.0.0.1:1", "platform": "2"}


def test_transitions_and_progress_stage(tmp_path):
    journal = _new(tmp_path)
    journal.mark_create_requested()
    assert Journal.open(journal.path).state["create_requested_at"]
    journal.set_task(19001, "2W19001", 100)
    reopened = Journal.open(journal.path)
    assert reopened.task_id == 19001 and reopened.stage == jr.TASK_CREATED
    for name in jr.TASK_FILE_NAMES:
        journal.mark_config_done(name, "x")
    assert journal.stage == jr.CONFIG_UPLOADED
    journal.register_assets([{"local": "/a", "server": "/a", "size": 1}, {"local": "/b", "server": "/b", "size": 2}])
    journal.mark_asset_done("/a", md5="m", size=1, how="uploaded")
    assert journal.stage == jr.CONFIG_UPLOADED
    journal.set_stage(jr.FAILED, "network down")
    assert journal.progress_stage() == jr.CONFIG_UPLOADED
    journal.mark_asset_done("/b", md5="n", size=2, how="present")
    assert journal.progress_stage() == jr.ASSETS_UPLOADED
    # registering again keeps completion
    journal.register_assets([{"local": "/a", "server": "/a", "size": 1}])
    assert journal.asset_done("/a")
    journal.mark_submitted()
    assert Journal.open(journal.path).stage == jr.SUBMITTED


def test_atomic_write_never_leaves_partial(tmp_path):
    target = tmp_path / "state.json"
    atomic_write(target, b"old")
    # A writer killed mid-way: the old content survives and no temp file is left named as the target.
    code = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(os.getcwd())!r})
        from rv_dcc.submit import journal
        real = os.replace
        def boom(*a): os._exit(9)
        journal.os.replace = boom
        journal.atomic_write(__import__('pathlib').Path({str(target)!r}), b"new" * 1000)
    """)
    proc = subprocess.run([sys.executable, "-c", code])
    assert proc.returncode == 9
    assert target.read_bytes() == b"old"


def test_lock_excludes_a_second_process(tmp_path):
    journal = _new(tmp_path).lock()
    try:
        code = (f"from rv_dcc.submit.journal import Journal, JournalError\n"
                f"try:\n Journal.open({str(journal.path)!r}).lock()\nexcept JournalError as e:\n print('LOCKED', e)\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
        assert "LOCKED" in out and "another process" in out
    finally:
        journal.unlock()
    Journal.open(journal.path).lock().unlock()  # free again


def test_find_and_iter(tmp_path):
    a = _new(tmp_path)
    b = _new(tmp_path)
    b.set_task(19005)
    assert {j.id for j in iter_journals(tmp_path)} == {a.id, b.id}
    assert find_journal(str(a.path)).id == a.id
    assert find_journal(a.id[:10], tmp_path).id == a.id
    assert find_journal("19005", tmp_path).id == b.id
    with pytest.raises(JournalError):
        find_journal("nope", tmp_path)
    with pytest.raises(JournalError, match="not a submission journal"):
        Journal.open(tmp_path)


def test_done_log_survives_reopen_and_ignores_a_torn_line(tmp_path):
    journal = _new(tmp_path)
    journal.register_assets([{"local": f"/f{i}", "server": f"/f{i}", "size": i} for i in range(3)])
    journal.mark_asset_done("/f0", md5="a", size=0, how="uploaded")
    journal.mark_asset_done("/f1", md5="b", size=1, how="present")
    with open(journal.path / jr.DONE_LOG, "ab") as handle:
        handle.write(b'{"server": "/f2", "md5"')  # a crash in the middle of the line
    again = Journal.open(journal.path)
    assert again.asset_done("/f0") and again.asset_done("/f1") and not again.asset_done("/f2")
    assert again.state["assets"]["/f1"]["how"] == "present"
    assert again.summary()["assets_done"] == 2
    again.mark_asset_done("/f2", md5="c", size=2, how="uploaded")  # appended after the torn line
    assert Journal.open(journal.path).asset_done("/f2")
