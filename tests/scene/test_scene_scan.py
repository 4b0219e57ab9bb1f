"""scan_assets and HashCache on real files: found/missing, md5s, and 'no file is read twice' proven."""
import hashlib
import os
import sqlite3
import threading

import pytest

from rv_dcc.scene import hashcache as hashcache_mod
from rv_dcc.scene.assets import ScanCancelled, scan_assets
from rv_dcc.scene.hashcache import HashCache, md5_file
from rv_dcc.scene.model import AssetRef, SceneDescription


def _write(path, data: bytes) -> str:
    os.makedirs(os.path.dirname(str(path)), exist_ok=True)
    with open(str(path), "wb") as fh:
        fh.write(data)
    return str(path)


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


@pytest.fixture
def project(tmp_path):
    """A small project: a scene, a UDIM set, a sequence, a plain texture, a cache folder."""
    root = tmp_path / "proj"
    files = {}
    files["scene"] = _write(root / "scenes" / "shot.ma", b"//Maya ASCII scene")
    for udim in (1001, 1002, 1011):
        files["udim%d" % udim] = _write(root / "tex" / "wood.{}.exr".format(udim), b"tile %d" % udim)
    for frame in range(1, 6):
        files["seq%d" % frame] = _write(root / "seq" / "fire.{:04d}.png".format(frame), b"f" * frame * 1000)
    files["plain"] = _write(root / "tex" / "木头.png", b"\x00" * 3_000_000)  # over one 1 MiB chunk
    files["vdb1"] = _write(root / "cache" / "smoke" / "a.vdb", b"vdb a")
    files["vdb2"] = _write(root / "cache" / "smoke" / "sub" / "b.vdb", b"vdb b")
    desc = SceneDescription(
        host="maya", host_version="2024", scene_file=files["scene"], project_dir=str(root),
        assets=[
            AssetRef(path=str(root / "tex" / "wood.<UDIM>.exr"), node="file1", attribute="fileTextureName",
                     kind="texture"),
            AssetRef(path=str(root / "seq" / "fire.####.png"), node="file2", kind="image_sequence"),
            AssetRef(path="tex/木头.png", node="file3"),  # relative: resolved against project_dir
            AssetRef(path=str(root / "tex" / "木头.png"), node="file4"),  # same file again
            AssetRef(path=str(root / "cache" / "smoke"), node="vol1", kind="volume"),  # a folder
            AssetRef(path=str(root / "tex" / "gone.png"), node="file5", attribute="fileTextureName"),
            AssetRef(path=str(root / "tex" / "rock.<UDIM>.exr"), node="file6", kind="texture"),
            AssetRef(path="$HIP/tex/x.png", node="file7"),
        ])
    return root, files, desc


def test_scan_finds_and_reports(project):
    root, files, desc = project
    scan = scan_assets(desc)
    paths = [f.path for f in scan.found]
    assert paths == [files["udim1001"], files["udim1002"], files["udim1011"]] + \
        [files["seq%d" % i] for i in range(1, 6)] + [files["plain"], files["vdb1"], files["vdb2"]]
    by_path = {f.path: f for f in scan.found}
    with open(files["plain"], "rb") as fh:
        assert by_path[files["plain"]].md5 == _md5(fh.read())
    assert by_path[files["plain"]].size == 3_000_000
    assert by_path[files["plain"]].ref.node == "file3"  # first reference wins, file listed once
    assert by_path[files["seq3"]].md5 == _md5(b"f" * 3000)
    assert by_path[files["udim1011"]].ref.attribute == "fileTextureName"
    assert scan.scene is not None and scan.scene.md5 == _md5(b"//Maya ASCII scene")
    missing = {m.ref.node: m for m in scan.missing}
    assert set(missing) == {"file5", "file6", "file7"}
    assert missing["file5"].reason == "file not found" and missing["file5"].ref.attribute == "fileTextureName"
    assert "no file matches 'rock.<UDIM>.exr'" in missing["file6"].reason
    assert "variable" in missing["file7"].reason
    assert scan.total_bytes == sum(f.size for f in scan.found)
    assert scan.hashed == len(scan.found) + 1


def test_1001_style_texture_path_finds_its_tiles(tmp_path):
    for udim in (1001, 1002):
        _write(tmp_path / "w.{}.exr".format(udim), b"x")
    desc = SceneDescription(host="maya", host_version="1", assets=[
        AssetRef(path=str(tmp_path / "w.1001.exr"), kind="texture"),
        AssetRef(path=str(tmp_path / "w.1002.exr"), kind="other")])
    assert [os.path.basename(f.path) for f in scan_assets(desc).found] == ["w.1001.exr", "w.1002.exr"]


def test_without_hashing_reads_nothing(project, monkeypatch):
    _, files, desc = project
    monkeypatch.setattr(hashcache_mod, "md5_file", _forbidden)
    scan = scan_assets(desc, hash_files=False)
    assert scan.found and all(f.md5 is None for f in scan.found) and scan.hashed == 0


def _forbidden(path):
    raise AssertionError("read " + path)


def test_unchanged_scene_reads_no_file_twice(project, tmp_path, monkeypatch):
    _, files, desc = project
    reads = []
    real = hashcache_mod.md5_file

    def counting(path):
        reads.append(path)
        return real(path)

    monkeypatch.setattr(hashcache_mod, "md5_file", counting)
    db = str(tmp_path / "cache" / "hashes.sqlite")
    with HashCache(db) as cache:
        first = scan_assets(desc, cache=cache)
    assert sorted(reads) == sorted([f.path for f in first.found] + [files["scene"]])
    assert len(set(reads)) == len(reads)  # even the file referenced twice was read once

    reads.clear()
    with HashCache(db) as cache:  # a new process would open the same file
        second = scan_assets(desc, cache=cache)
        assert reads == [] and second.hashed == 0
        assert [(f.path, f.md5) for f in second.found] == [(f.path, f.md5) for f in first.found]
        # Change one file: only that one is read again.
        _write(files["seq2"], b"changed!")
        third = scan_assets(desc, cache=cache)
    assert reads == [files["seq2"]] and third.hashed == 1
    assert {f.path: f.md5 for f in third.found}[files["seq2"]] == _md5(b"changed!")


def test_cache_hit_is_provably_not_a_read(project, tmp_path):
    """Same size and mtime but new bytes: the old md5 comes back, so the file was not read."""
    _, files, desc = project
    target = files["udim1002"]
    with HashCache(str(tmp_path / "h.sqlite")) as cache:
        before = {f.path: f.md5 for f in scan_assets(desc, cache=cache).found}
        st = os.stat(target)
        _write(target, b"TILE 1002")  # same length as b"tile 1002"
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        after = {f.path: f.md5 for f in scan_assets(desc, cache=cache).found}
        assert after[target] == before[target] != _md5(b"TILE 1002")
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
        touched = {f.path: f.md5 for f in scan_assets(desc, cache=cache).found}
        assert touched[target] == _md5(b"TILE 1002")


def test_cancel_keeps_what_was_hashed(project, tmp_path):
    _, files, desc = project
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done < 3

    with HashCache(str(tmp_path / "h.sqlite")) as cache:
        with pytest.raises(ScanCancelled):
            scan_assets(desc, cache=cache, progress=progress, workers=1)
        kept = len(cache)
        assert kept >= 3
        scan = scan_assets(desc, cache=cache)
        assert scan.hashed == len(scan.found) + 1 - kept
    totals = {t for _, t in calls}
    assert totals == {len(scan.found) + 1}


def test_progress_reaches_the_total(project):
    _, _, desc = project
    seen = []
    scan = scan_assets(desc, progress=lambda d, t: seen.append((d, t)) or True)
    total = len(scan.found) + 1
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_worker_count_does_not_change_results(project):
    _, _, desc = project
    one = scan_assets(desc, workers=1)
    many = scan_assets(desc, workers=6)
    assert one.found == many.found


def test_file_changing_while_hashed_is_not_cached(tmp_path, monkeypatch):
    path = _write(tmp_path / "a.bin", b"abc")
    real = hashcache_mod.md5_file

    def racing(p):
        digest = real(p)
        _write(p, b"abcd")  # someone saves the texture mid-read
        return digest

    monkeypatch.setattr(hashcache_mod, "md5_file", racing)
    with HashCache() as cache:
        cache.md5(path)
        assert len(cache) == 0
        monkeypatch.setattr(hashcache_mod, "md5_file", real)
        assert cache.md5(path) == _md5(b"abcd")
        assert len(cache) == 1 and cache.reads == 2


def test_hashcache_basics(tmp_path):
    data = os.urandom(5 * (1 << 20) + 17)
    path = _write(tmp_path / "big.bin", data)
    assert md5_file(path) == _md5(data)
    db = str(tmp_path / "sub" / "h.sqlite")
    with HashCache(db) as cache:
        assert cache.md5(path) == _md5(data) and cache.reads == 1
        assert cache.md5(path) == _md5(data) and cache.reads == 1
        st = os.stat(path)
        assert cache.lookup(path, st.st_size, st.st_mtime_ns) == _md5(data)
        assert cache.lookup(path, st.st_size + 1, st.st_mtime_ns) is None
        os.unlink(path)
        assert cache.forget_missing() == 1 and len(cache) == 0


def test_corrupt_cache_is_replaced(tmp_path):
    db = tmp_path / "h.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    path = _write(tmp_path / "a.txt", b"hello")
    with HashCache(str(db)) as cache:
        assert cache.md5(path) == _md5(b"hello")
    assert (tmp_path / "h.sqlite.corrupt").exists()
    with sqlite3.connect(str(db)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM md5").fetchone()[0] == 1


def test_cache_is_thread_safe(tmp_path):
    paths = [_write(tmp_path / "f{}.bin".format(i), b"%d" % i) for i in range(40)]
    errors = []
    with HashCache(str(tmp_path / "h.sqlite")) as cache:
        def work():
            try:
                for p in paths:
                    cache.md5(p)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors and len(cache) == 40


def test_no_threads_left_behind(project):
    _, _, desc = project
    before = threading.active_count()
    scan_assets(desc, workers=4)
    assert threading.active_count() == before


def test_default_cache_location(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda name: str(tmp_path / name))
    with hashcache_mod.default_cache() as cache:
        assert cache.path == str(tmp_path / "rv_dcc" / "hashes.sqlite")
    assert os.path.exists(cache.path)
