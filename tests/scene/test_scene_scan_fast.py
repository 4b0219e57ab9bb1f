"""The warm-scan fast paths: one stat per file, folder-relative stats equal full-path stats,
reference order / first-reference-wins kept, the cache read in bulk both ways, the token prefilter."""
import hashlib
import os
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rv_dcc.scene import assets as assets_mod
from rv_dcc.scene import expand as expand_mod
from rv_dcc.scene.assets import scan_assets
from rv_dcc.scene.expand import may_have_tokens
from rv_dcc.scene.hashcache import HashCache, cache_key_path
from rv_dcc.scene.model import AssetRef, SceneDescription
from rv_dcc.scene.tokens import has_tokens


def _write(path, data: bytes) -> str:
    os.makedirs(os.path.dirname(str(path)), exist_ok=True)
    with open(str(path), "wb") as fh:
        fh.write(data)
    return str(path)


@pytest.fixture
def scene(tmp_path):
    """Runs of plain references in one folder, duplicates, a folder, '..', a dangling link, tokens."""
    root = tmp_path / "p"
    tex = [_write(root / "tex" / "t{}.png".format(i), b"t" * (i + 1)) for i in range(6)]
    seq = [_write(root / "seq" / "a.{:04d}.exr".format(f), b"s%d" % f) for f in range(1, 8)]
    other = _write(root / "other" / "o.bin", b"other")
    _write(root / "vol" / "v1.vdb", b"v1")
    _write(root / "vol" / "deep" / "v2.vdb", b"v2")
    os.symlink(str(root / "seq" / "nowhere.exr"), str(root / "seq" / "a.0008.exr"))  # listed, cannot be statted
    refs = [AssetRef(path=p, node="tex{}".format(i)) for i, p in enumerate(tex)]  # a run in one folder
    refs += [
        AssetRef(path=other, node="other"),
        AssetRef(path=tex[2], node="dup"),  # already found: first reference wins
        AssetRef(path=str(root / "seq" / "a.####.exr"), node="seq", kind="image_sequence"),
        AssetRef(path=str(root / "tex" / ".." / "other" / "o.bin"), node="dotdot"),  # same file, other spelling
        AssetRef(path=str(root / "vol") + "/", node="vol", kind="volume"),  # a folder, trailing separator
        AssetRef(path=str(root / "tex" / "gone.png"), node="gone"),
        AssetRef(path=tex[0], node="dup0"),
    ]
    desc = SceneDescription(host="maya", host_version="2024", project_dir=str(root), assets=refs)
    return root, desc


def _view(scan):
    return ([(f.path, f.size, f.mtime_ns, f.md5, f.ref.node) for f in scan.found],
            [(m.ref.node, m.expanded, m.reason) for m in scan.missing])


def test_order_dedup_and_reasons(scene):
    root, desc = scene
    scan = scan_assets(desc)
    found, missing = _view(scan)
    nodes = [n for *_rest, n in found]
    # "dup", "dup0" and "dotdot" (the same file spelled with '..') find files already found.
    assert nodes == ["tex{}".format(i) for i in range(6)] + ["other"] + ["seq"] * 7 + ["vol", "vol"]
    assert [p for p, *_ in found][-2:] == [str(root / "vol") + "/" + "deep/v2.vdb",
                                           str(root / "vol") + "/" + "v1.vdb"]
    assert cache_key_path(str(root / "tex" / ".." / "other" / "o.bin")) == str(root / "other" / "o.bin")
    assert [n for n, _, _ in missing] == ["gone", "seq"]  # references matching nothing first, then unreadable
    assert missing[0][2] == "file not found"
    assert missing[1][1] == str(root / "seq" / "a.0008.exr") and missing[1][2].startswith("cannot read")
    assert all(md5 for _, _, _, md5, _ in found)


def test_folder_relative_stats_equal_full_path_stats(scene, monkeypatch):
    _root, desc = scene
    fast = _view(scan_assets(desc, hash_files=False))
    monkeypatch.setattr(expand_mod, "_DIR_FD", False)  # as on Windows: full paths only
    slow = _view(scan_assets(desc, hash_files=False))
    assert fast == slow and len(fast[0]) == 16


def test_each_file_is_statted_once_when_warm(scene, tmp_path, monkeypatch):
    root, desc = scene
    db = str(tmp_path / "h.sqlite")
    with HashCache(db) as cache:
        first = scan_assets(desc, cache=cache)
    calls = []
    real = os.stat

    def counting(path, *args, **kwargs):
        calls.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting)
    with HashCache(db) as cache:
        second = scan_assets(desc, cache=cache)
    monkeypatch.setattr(os, "stat", real)
    assert second.hashed == 0 and _view(second) == _view(first)
    names = [os.path.basename(str(c)) for c in calls]
    for f in first.found:  # duplicates ("dup", "dup0", "dotdot") are not statted again
        assert names.count(os.path.basename(f.path)) == 1, (f.path, names)
    # Besides: the missing file (3) and its folder (to word the reason), the folder reference
    # twice, the dangling link once, and the cache's folder and its parent when the cache opens.
    assert len(calls) <= len(first.found) + 9


def test_changed_file_in_a_run_is_read_again(scene, tmp_path):
    root, desc = scene
    with HashCache(str(tmp_path / "h.sqlite")) as cache:
        scan_assets(desc, cache=cache)
        target = str(root / "tex" / "t4.png")
        st = os.stat(target)
        _write(target, b"changed")
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
        again = scan_assets(desc, cache=cache)
    assert again.hashed == 1
    by_path = {f.path: f for f in again.found}
    assert by_path[target].size == 7 and by_path[target].md5 == hashlib.md5(b"changed").hexdigest()


def test_cache_bulk_read_both_ways(tmp_path):
    paths = [_write(tmp_path / "f{}.bin".format(i), b"%d" % i) for i in range(20)]
    with HashCache(str(tmp_path / "h.sqlite")) as cache:
        for p in paths:
            cache.md5(p)
        few = {cache_key_path(p): (os.stat(p).st_size, os.stat(p).st_mtime_ns) for p in paths[:3]}
        many = {cache_key_path(p): (os.stat(p).st_size, os.stat(p).st_mtime_ns) for p in paths}
        # 3 of 20 wanted: looked up by key (IN); 20 of 20: the table is read whole.
        assert set(cache.rows_for(few)) == set(few)
        assert set(cache.rows_for(many)) == set(many)
        assert len(cache.lookup_normalized(few)) == 3 and len(cache.lookup_normalized(many)) == 20
        stale = dict(many)
        stale[cache_key_path(paths[5])] = (many[cache_key_path(paths[5])][0], 1)  # other mtime
        assert cache_key_path(paths[5]) not in cache.lookup_normalized(stale)
        assert cache.rows_for(set()) == {}


def test_texture_run_with_udim_number_is_not_a_plain_file(tmp_path):
    for udim in (1001, 1002):
        _write(tmp_path / "w.{}.exr".format(udim), b"x")
    _write(tmp_path / "plain.exr", b"y")
    desc = SceneDescription(host="maya", host_version="1", assets=[
        AssetRef(path=str(tmp_path / "plain.exr"), kind="texture"),
        AssetRef(path=str(tmp_path / "w.1001.exr"), kind="texture")])
    assert [os.path.basename(f.path) for f in scan_assets(desc).found] == ["plain.exr", "w.1001.exr", "w.1002.exr"]


_ALPHABET = string.ascii_letters + string.digits + "#%$<>{}()_./\\-"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=24))
def test_token_prefilter_agrees_with_the_grammar(text):
    assert may_have_tokens(text) is has_tokens(text)


@pytest.mark.parametrize("text", ["a.####.exr", "a.%04d.exr", "a.$F4.exr", "a.${F4}.exr", "a.<f>.exr", "<frame>",
                                  "<UDIM>", "%(UDIM)d", "<UVTILE>", "%(UVTILE)d", "<u>", "$2U", "%(V)02d", "$v"])
def test_token_prefilter_sees_every_token_kind(text):
    assert has_tokens(text) and may_have_tokens(text)
