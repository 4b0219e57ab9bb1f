"""The hash cache's in-process copy: a repeated scan runs no SQL, yet never answers wrongly.

A row of the copy states the md5 of one (path, size, mtime_ns): these tests show the copy is
used (no query, no read), that SQLite is still asked for what the copy does not know (rows
written by another process), that replacing the database file drops the copy, and that the
columns-based scan keeps the order, first-reference-wins and error reporting of a stat-by-stat one.
"""
import hashlib
import os
import sqlite3

import pytest

from rv_dcc.scene import expand as expand_mod
from rv_dcc.scene import hashcache as hashcache_mod
from rv_dcc.scene.assets import scan_assets
from rv_dcc.scene.hashcache import HashCache, cache_key_path, forget_known
from rv_dcc.scene.model import AssetRef, SceneDescription


def _write(path, data: bytes) -> str:
    os.makedirs(os.path.dirname(str(path)), exist_ok=True)
    with open(str(path), "wb") as fh:
        fh.write(data)
    return str(path)


@pytest.fixture
def scene(tmp_path):
    root = tmp_path / "p"
    seq = [_write(root / "seq" / "a.{:04d}.exr".format(f), b"frame %d" % f) for f in range(1, 9)]
    plain = _write(root / "tex" / "t.png", b"texture")
    desc = SceneDescription(host="maya", host_version="2024", assets=[
        AssetRef(path=str(root / "seq" / "a.####.exr"), node="seq", kind="image_sequence"),
        AssetRef(path=plain, node="tex")])
    return root, seq + [plain], desc


@pytest.fixture
def counted(monkeypatch):
    """Counts SQLite reads of rows and files read to hash them."""
    calls = {"fetch": 0, "read": 0}
    real_fetch, real_md5 = HashCache._fetch, hashcache_mod.md5_file

    def fetch(self, keys):
        calls["fetch"] += 1
        return real_fetch(self, keys)

    def md5(path):
        calls["read"] += 1
        return real_md5(path)

    monkeypatch.setattr(HashCache, "_fetch", fetch)
    monkeypatch.setattr(hashcache_mod, "md5_file", md5)
    return calls


def _md5s(scan):
    return [(f.path, f.md5) for f in scan.found]


def test_repeated_scan_in_one_process_runs_no_sql(scene, tmp_path, counted):
    _root, files, desc = scene
    db = str(tmp_path / "h.sqlite")
    with HashCache(db) as cache:
        first = scan_assets(desc, cache=cache)
    assert counted["read"] == len(files) and first.hashed == len(files)
    counted.update(fetch=0, read=0)
    with HashCache(db) as cache:  # reopened, as the panel does for each re-scan
        second = scan_assets(desc, cache=cache)
    assert counted == {"fetch": 0, "read": 0} and second.hashed == 0
    assert _md5s(second) == _md5s(first)
    assert all(md5 == hashlib.md5(open(p, "rb").read()).hexdigest() for p, md5 in _md5s(second))


def test_new_process_reads_sqlite_once(scene, tmp_path, counted):
    _root, files, desc = scene
    db = str(tmp_path / "h.sqlite")
    with HashCache(db) as cache:
        first = scan_assets(desc, cache=cache)
    forget_known()  # what a new process starts with
    counted.update(fetch=0, read=0)
    with HashCache(db) as cache:
        second = scan_assets(desc, cache=cache)
    assert counted == {"fetch": 1, "read": 0} and _md5s(second) == _md5s(first)


def test_rows_written_by_another_process_are_used(scene, tmp_path, counted):
    """The copy holds the old row; the file changed and another process stored its new md5."""
    _root, files, desc = scene
    db = str(tmp_path / "h.sqlite")
    with HashCache(db) as cache:
        scan_assets(desc, cache=cache)
    target = files[3]
    _write(target, b"new content")
    st = os.stat(target)
    with sqlite3.connect(db) as other:  # the other process (its md5 is made up: proves it was not read)
        other.execute("INSERT OR REPLACE INTO md5 VALUES (?,?,?,?)", (cache_key_path(target), st.st_size,
                                                                    st.st_mtime_ns, "f" * 32))
    counted.update(fetch=0, read=0)
    with HashCache(db) as cache:
        again = scan_assets(desc, cache=cache)
    assert counted == {"fetch": 1, "read": 0} and again.hashed == 0
    assert dict(_md5s(again))[target] == "f" * 32


def test_changed_file_is_read_again_despite_the_copy(scene, tmp_path, counted):
    _root, files, desc = scene
    db = str(tmp_path / "h.sqlite")
    with HashCache(db) as cache:
        scan_assets(desc, cache=cache)
        target = files[0]
        st = os.stat(target)
        _write(target, b"frame 1!")
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 7_000_000))
        counted.update(fetch=0, read=0)
        again = scan_assets(desc, cache=cache)
    assert counted["read"] == 1 and again.hashed == 1
    assert dict(_md5s(again))[target] == hashlib.md5(b"frame 1!").hexdigest()


def test_replacing_the_database_drops_the_copy(scene, tmp_path, counted):
    """Deleting the cache file (to force re-hashing) is honoured by a process that keeps running."""
    _root, files, desc = scene
    db = str(tmp_path / "h.sqlite")
    with HashCache(db) as cache:
        scan_assets(desc, cache=cache)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    counted.update(fetch=0, read=0)
    with HashCache(db) as cache:
        again = scan_assets(desc, cache=cache)
    assert counted["read"] == len(files) and again.hashed == len(files)


def test_database_id_survives_reopening_and_differs_between_files(tmp_path):
    with HashCache(str(tmp_path / "a.sqlite")) as a1:
        first = a1._ident()
    with HashCache(str(tmp_path / "a.sqlite")) as a2, HashCache(str(tmp_path / "b.sqlite")) as b:
        assert a2._ident() == first != b._ident() and len(first) == 32


def test_forget_missing_also_forgets_in_process(tmp_path):
    path = _write(tmp_path / "a.bin", b"abc")
    with HashCache(str(tmp_path / "h.sqlite")) as cache:
        cache.md5(path)
        st = os.stat(path)
        os.unlink(path)
        assert cache.forget_missing() == 1
        assert cache.known([cache_key_path(path)], [st.st_size], [st.st_mtime_ns]) == [None]


def test_memory_caches_do_not_share_a_copy(tmp_path):
    path = _write(tmp_path / "a.bin", b"abc")
    with HashCache() as one:
        one.md5(path)
        assert one.reads == 1
    with HashCache() as two:
        two.md5(path)
        assert two.reads == 1  # a new ":memory:" cache knows nothing


def test_copy_starts_afresh_past_its_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(hashcache_mod, "KNOWN_MAX", 3)
    paths = [_write(tmp_path / "f{}.bin".format(i), b"%d" % i) for i in range(5)]
    with HashCache(str(tmp_path / "h.sqlite")) as cache:
        for p in paths:
            cache.md5(p)
        assert 1 <= len(cache._known) <= 3 and len(cache) == 5
        assert [cache.md5(p) for p in paths] == [hashlib.md5(b"%d" % i).hexdigest() for i in range(5)]
        assert cache.reads == 5  # the rows beyond the copy came from SQLite, not from the files


def test_unreadable_file_mid_folder_keeps_order_and_reports_once(tmp_path, monkeypatch):
    """A dangling link in the middle of a sequence: the C-level pass stops there and resumes."""
    seq = tmp_path / "seq"
    for f in (1, 2, 3, 5, 6):
        _write(seq / "a.{:04d}.exr".format(f), b"%d" % f)
    os.symlink(str(seq / "nowhere"), str(seq / "a.0004.exr"))
    desc = SceneDescription(host="maya", host_version="1", assets=[
        AssetRef(path=str(seq / "a.####.exr"), node="seq"), AssetRef(path=str(seq / "a.0002.exr"), node="dup")])

    def view(scan):
        return ([(os.path.basename(f.path), f.ref.node) for f in scan.found],
                [(os.path.basename(m.expanded), m.reason[:11]) for m in scan.missing])

    fast = view(scan_assets(desc))
    assert fast == ([("a.000{}.exr".format(f), "seq") for f in (1, 2, 3, 5, 6)], [("a.0004.exr", "cannot read")])
    monkeypatch.setattr(expand_mod, "_DIR_FD", False)  # full paths, as on Windows
    assert view(scan_assets(desc)) == fast
