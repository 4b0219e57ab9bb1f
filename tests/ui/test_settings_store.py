"""The panel's per-user settings file: merged, written with rv_dcc.fsutil's atomic writer, owner-only."""
import json
import os
import stat
import sys

import pytest

from rv_dcc.ui.settings_store import SettingsStore


def test_save_user_merges_and_leaves_no_temporary_file(tmp_path):
    store = SettingsStore(path=tmp_path / "cfg" / "panel.json")
    store.save_user({"language": "en", "options": {"priority": 60}})
    store.save_user({"options": {"priority": 80}})
    assert json.loads(store.path.read_text(encoding="utf-8")) == {"language": "en", "options": {"priority": 80}}
    assert [p.name for p in store.path.parent.iterdir()] == ["panel.json"]
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    store = SettingsStore(path=tmp_path / "panel.json")
    store.save_user({"language": "en"})

    def refused(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(OSError):
        store.save_user({"language": "zh_CN"})
    monkeypatch.undo()
    assert store.load_user() == {"language": "en"}
    assert [p.name for p in tmp_path.iterdir()] == ["panel.json"]
