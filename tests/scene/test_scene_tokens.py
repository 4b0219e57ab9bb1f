"""Token expansion against real files: every token, sequences and UDIM sets found on disk (hypothesis)."""
import os
import tempfile
from typing import Callable, List, Set, Tuple

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rv_dcc.scene import expand as expand_mod
from rv_dcc.scene.assets import expand_tokens
from rv_dcc.scene.expand import DirListing, expand_pattern, udim_from_number
from rv_dcc.scene.frames import Frames, parse_frames
from rv_dcc.scene.tokens import ComponentMatcher, has_tokens, strip_tokens

FRAME_STYLES: List[Tuple[str, Callable[[int, int], str]]] = [
    # (token, how a file for frame n is written; the second argument is a random extra padding)
    ("####", lambda n, p: "{:04d}".format(n)),
    ("%04d", lambda n, p: "{:04d}".format(n)),
    ("$F4", lambda n, p: "{:04d}".format(n)),
    ("${F3}", lambda n, p: "{:03d}".format(n)),
    ("<f4>", lambda n, p: "{:04d}".format(n)),
    ("#", lambda n, p: str(n)),
    ("%d", lambda n, p: str(n)),
    ("$F", lambda n, p: str(n)),
    ("<f>", lambda n, p: "{:0{}d}".format(n, p)),  # Maya's <f>: any padding
    ("<frameNum>", lambda n, p: "{:0{}d}".format(n, p)),
]

TILE_STYLES: List[Tuple[str, Callable[[int, int], str]]] = [
    # (token, how the file for 0-based tile (u, v) is written)
    ("<UDIM>", lambda u, v: str(1001 + u + 10 * v)),
    ("<udim>", lambda u, v: str(1001 + u + 10 * v)),
    ("%(UDIM)d", lambda u, v: str(1001 + u + 10 * v)),
    ("_<UVTILE>", lambda u, v: "_u{}_v{}".format(u + 1, v + 1)),
    ("<UVTILE>", lambda u, v: "_u{}_v{}".format(u + 1, v + 1)),  # V-Ray writes the underscore
    ("<tile>", lambda u, v: "_u{}_v{}".format(u + 1, v + 1)),
    ("_<uvtile>", lambda u, v: "_u{}_v{}".format(u, v)),
    ("_%(UVTILE)d", lambda u, v: "_u{}_v{}".format(u + 1, v + 1)),
    ("_u<u>_v<v>", lambda u, v: "_u{}_v{}".format(u, v)),
    ("_u<U>_v<V>", lambda u, v: "_u{}_v{}".format(u + 1, v + 1)),
    ("_$U_$V", lambda u, v: "_{}_{}".format(u + 1, v + 1)),
    ("_$u_$v", lambda u, v: "_{}_{}".format(u, v)),
    ("_$2U_$2V", lambda u, v: "_{:02d}_{:02d}".format(u + 1, v + 1)),
    ("_%(U)02d_%(V)02d", lambda u, v: "_{:02d}_{:02d}".format(u + 1, v + 1)),
    ("$U$V", lambda u, v: "{}{}".format(u + 1, v + 1)),
]


def _touch(path: str, data: bytes = b"x") -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(style=st.sampled_from(FRAME_STYLES),
       numbers=st.sets(st.integers(-50, 20000), min_size=1, max_size=25),
       pad=st.integers(1, 6), data=st.data())
def test_frame_tokens_find_exactly_the_sequence(style, numbers, pad, data):
    token, write = style
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "seq")
        expected: Set[str] = set()
        for n in numbers:
            path = os.path.join(folder, "beauty." + write(n, pad) + ".exr")
            _touch(path)
            expected.add(path)
        # Decoys: another prefix, another extension, a folder with a matching name.
        _touch(os.path.join(folder, "other.0001.exr"))
        _touch(os.path.join(folder, "beauty.0001.exr.bak"))
        os.makedirs(os.path.join(folder, "beauty.{}.exr".format(write(999999, pad))), exist_ok=True)
        pattern = os.path.join(folder, "beauty." + token + ".exr")
        assert expand_tokens(pattern) == sorted(expected)
        subset = data.draw(st.sets(st.sampled_from(sorted(numbers))))
        wanted = sorted(os.path.join(folder, "beauty." + write(n, pad) + ".exr") for n in subset)
        if subset:
            assert expand_tokens(pattern, Frames(subset)) == wanted


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(style=st.sampled_from(TILE_STYLES),
       tiles=st.sets(st.tuples(st.integers(0, 9), st.integers(0, 30)), min_size=1, max_size=20))
def test_tile_tokens_find_exactly_the_tiles(style, tiles):
    token, write = style
    with tempfile.TemporaryDirectory() as tmp:
        expected = set()
        for u, v in tiles:
            path = os.path.join(tmp, "tex", "wood" + write(u, v) + ".tif")
            _touch(path)
            expected.add(path)
        _touch(os.path.join(tmp, "tex", "wood_normal.1001.tif"))
        _touch(os.path.join(tmp, "tex", "stone" + write(0, 0) + ".tif"))
        pattern = os.path.join(tmp, "tex", "wood" + token + ".tif")
        assert expand_tokens(pattern) == sorted(expected)


def test_tokens_in_folders_must_agree(tmp_path):
    for frame, name in [(1, 1), (2, 2), (2, 1), (3, 3)]:
        _touch(str(tmp_path / "cache" / "{:04d}".format(frame) / "sim.{:04d}.bgeo".format(name)))
    found = expand_tokens(str(tmp_path / "cache" / "$F4" / "sim.$F4.bgeo"))
    assert found == [str(tmp_path / "cache" / "{0:04d}".format(f) / "sim.{0:04d}.bgeo".format(f)) for f in (1, 2, 3)]
    assert expand_tokens(str(tmp_path / "cache" / "####" / "sim.0001.bgeo")) == [
        str(tmp_path / "cache" / "0001" / "sim.0001.bgeo"), str(tmp_path / "cache" / "0002" / "sim.0001.bgeo")]
    only2 = expand_tokens(str(tmp_path / "cache" / "$F4" / "sim.$F4.bgeo"), parse_frames("2"))
    assert only2 == [str(tmp_path / "cache" / "0002" / "sim.0002.bgeo")]


def test_frame_and_udim_together(tmp_path):
    for frame in (1, 2):
        for udim in (1001, 1002):
            _touch(str(tmp_path / "anim.{:04d}.{}.exr".format(frame, udim)))
    assert len(expand_tokens(str(tmp_path / "anim.####.<UDIM>.exr"))) == 4
    assert len(expand_tokens(str(tmp_path / "anim.####.<UDIM>.exr"), parse_frames("2"))) == 2


def test_padding_is_exact_but_large_frames_still_match(tmp_path):
    for name in ("a.0001.exr", "a.001.exr", "a.12345.exr", "a.-001.exr", "a.1.exr"):
        _touch(str(tmp_path / name))
    assert [os.path.basename(p) for p in expand_tokens(str(tmp_path / "a.####.exr"))] == [
        "a.-001.exr", "a.0001.exr", "a.12345.exr"]
    assert [os.path.basename(p) for p in expand_tokens(str(tmp_path / "a.$F.exr"))] == ["a.1.exr", "a.12345.exr"]
    assert len(expand_tokens(str(tmp_path / "a.<f>.exr"))) == 5


def test_udim_rejects_non_tiles(tmp_path):
    for name in ("t.1000.exr", "t.0999.exr", "t.01001.exr", "t.1001.exr"):
        _touch(str(tmp_path / name))
    assert [os.path.basename(p) for p in expand_tokens(str(tmp_path / "t.<UDIM>.exr"))] == ["t.1001.exr"]


def test_plain_paths_and_1001_style_numbers(tmp_path):
    for udim in (1001, 1002, 1011):
        _touch(str(tmp_path / "wood.{}.exr".format(udim)))
    plain = str(tmp_path / "wood.1001.exr")
    assert expand_tokens(plain) == [plain]
    assert len(expand_tokens(plain, udim_numbers=True)) == 3
    assert udim_from_number("/a/2001/wood_1011_v2.exr") == "/a/2001/wood_<UDIM>_v2.exr"
    assert udim_from_number("/a/wood_2k.exr") == "/a/wood_2k.exr"
    assert expand_tokens(str(tmp_path / "nope.exr")) == []
    assert expand_tokens(str(tmp_path)) == []  # a folder is not a file


def test_reasons_for_nothing_found(tmp_path):
    _touch(str(tmp_path / "tex" / "a.png"))
    listing = DirListing()
    assert expand_pattern(str(tmp_path / "nope" / "a.####.png"), listing)[1] == "folder {} does not exist".format(
        tmp_path / "nope")
    reason = expand_pattern(str(tmp_path / "tex" / "b.<UDIM>.png"), listing)[1]
    assert "no file matches 'b.<UDIM>.png'" in reason and str(tmp_path / "tex") in reason
    assert expand_pattern(str(tmp_path / "tex" / "c.png"), listing)[1] == "file not found"
    assert "frames 1-3[1]" in expand_pattern(str(tmp_path / "tex" / "a.####.png"), listing, parse_frames("1-3"))[1]


def test_each_folder_is_listed_once(tmp_path, monkeypatch):
    for i in range(1, 51):
        _touch(str(tmp_path / "seq" / "a.{:04d}.exr".format(i)))
        _touch(str(tmp_path / "seq" / "b.{:04d}.exr".format(i)))
    for udim in (1001, 1002):
        _touch(str(tmp_path / "tex" / "w.{}.exr".format(udim)))
    calls = []
    real = os.scandir

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(expand_mod, "_scandir", counting)
    listing = DirListing()
    for pattern in ("seq/a.####.exr", "seq/b.####.exr", "seq/a.%04d.exr", "tex/w.<UDIM>.exr", "tex/w.$U$V.exr"):
        expand_pattern(str(tmp_path / pattern), listing, parse_frames("1-50"))
    assert sorted(calls) == [str(tmp_path / "seq"), str(tmp_path / "tex")]
    assert listing.listings == 2


@pytest.mark.parametrize("text, tokens", [
    ("a.####.exr", True), ("a.$F4.exr", True), ("$FPS", False), ("$USER/a", False), ("a.<UDIM>.exr", True),
    ("plain.exr", False), ("100%.png", False), ("a_<UVTILE>.tif", True), ("<frame>", True), ("$VERSION", False),
])
def test_has_tokens(text, tokens):
    assert has_tokens(text) is tokens


def test_strip_tokens_and_matcher():
    assert strip_tokens("C:\\t\\w.<UDIM>.####.exr") == "C:\\t\\w...exr"
    m = ComponentMatcher("w.<UDIM>.$F4.exr")
    assert m.match("w.1012.0005.exr") == {"u": 1, "v": 1, "frame": 5}
    assert m.match("w.1012.005.exr") is None
    assert ComponentMatcher("w_u<u>_v<v>_<UVTILE>").match("w_u0_v0_u1_v1") == {"u": 0, "v": 0}
    assert ComponentMatcher("w_u<u>_v<v>_<UVTILE>").match("w_u0_v0_u2_v1") is None
