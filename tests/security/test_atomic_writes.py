"""Files rv_dcc trusts later are written whole or not at all (rv_dcc.fsutil.atomic_write), and no
new direct write sneaks into the core."""
import os
import re
import stat
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Direct writes that are safe as they are, and why. Anything else found by the scan fails the test.
ALLOWED = {
    "rv_dcc/fsutil.py": "the atomic writer itself",
    "rv_dcc/submit/journal.py": "assets.done.jsonl: append-only, fsynced, a torn last line is ignored on replay",
    "rv_dcc/transfer/http.py": "downloads go to <name>.part, os.replace'd onto the name when complete",
    "rv_dcc/batch/_hostrun.py": "a bootstrap script in a TemporaryDirectory, run once, never read back",
    "rv_dcc/farm/embedded.py": "farm.json: written to .part then os.replace'd",
}
#: Folders other engineers own right now (findings reported, not fixed here).
NOT_SCANNED = ("rv_dcc/commands/", "rv_dcc/farm/")
DIRECT = re.compile(r"""\.write_text\(|\.write_bytes\(|open\([^)]*,\s*["'](?:w|wb|a|ab|x|xb|w\+|a\+b)["']""")


def test_no_direct_writes_outside_the_allowed_places():
    found = []
    for path in sorted((ROOT / "rv_dcc").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ALLOWED or rel.startswith(NOT_SCANNED):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DIRECT.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, "write these with rv_dcc.fsutil.atomic_write:\n" + "\n".join(found)


def test_atomic_write_replaces_whole(tmp_path):
    from rv_dcc.fsutil import atomic_write, atomic_write_json

    target = tmp_path / "state.json"
    atomic_write(target, b"old")
    atomic_write_json(target, {"stage": "submitted", "name": "é"})
    assert target.read_text(encoding="utf-8") == '{\n  "stage": "submitted",\n  "name": "é"\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_a_crash_mid_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    from rv_dcc.fsutil import atomic_write

    target = tmp_path / "task.json"
    atomic_write(target, "old")

    def killed(*args):
        raise KeyboardInterrupt("killed between write and rename")

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new" * 10000)
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["task.json"]


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX modes")
def test_modes(tmp_path):
    from rv_dcc.fsutil import atomic_write

    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "public.json", "{}")
        atomic_write(tmp_path / "private.json", "{}", mode=0o600)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "public.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX modes")
def test_account_file_stays_private_and_whole(tmp_path, monkeypatch):
    from rv_dcc.api import credentials

    path = tmp_path / "cfg" / "account.json"
    credentials.save_account(credentials.Credentials("id1", "key1", "d", "2"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        credentials.save_account(credentials.Credentials("id2", "key2", "d", "2"), path)
    monkeypatch.undo()
    loaded = credentials.load_account(path)
    assert (loaded.access_id, loaded.access_key) == ("id1", "key1")
    assert sorted(p.name for p in path.parent.iterdir()) == ["account.json"]


def test_journal_task_files_and_thumbnails_use_the_atomic_writer(tmp_path, monkeypatch):
    """The product's writers go through fsutil: a failed rename leaves no half file behind."""
    from rv_dcc import fsutil
    from rv_dcc.monitor.thumbs import ThumbnailCache
    from rv_dcc.submit import journal

    calls = []
    real = fsutil.atomic_write
    monkeypatch.setattr(fsutil, "atomic_write", lambda *a, **k: (calls.append(str(a[0])), real(*a, **k))[1])
    import rv_dcc.monitor.thumbs as thumbs

    monkeypatch.setattr(thumbs, "atomic_write", fsutil.atomic_write)
    journal.atomic_write(tmp_path / "state.json", b"{}")
    ThumbnailCache(str(tmp_path / "thumbs"), download=lambda url: b"png").fetch(3, ["http://x/a.png"])
    assert any(c.endswith("state.json") for c in calls) and any(c.endswith("3_0.png") for c in calls)
