"""The one-regex-per-pattern fast path (ComponentMatcher.exact) agrees with the binder-based match.

Proven three ways: every token kind/padding/base against its binder over all short digit strings;
random patterns and names (hypothesis) against ComponentMatcher.match; whole folders expanded
through the fast path and through the per-name path giving the same files.
"""
import itertools
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rv_dcc.scene import expand as expand_mod
from rv_dcc.scene.expand import DirListing, expand_pattern
from rv_dcc.scene.tokens import ComponentMatcher, _binder, _valid_re

_DIGITS = ["".join(t) for n in range(1, 6) for t in itertools.product("0129", repeat=n)]


@pytest.mark.parametrize("kind", ["frame", "udim", "u", "v"])
@pytest.mark.parametrize("pad", [None, 0, 1, 2, 3, 4])
@pytest.mark.parametrize("base", [0, 1])
def test_token_regex_accepts_exactly_what_its_binder_accepts(kind, pad, base):
    rx = re.compile(_valid_re(kind, pad, base, False))
    bind = _binder(kind, pad, base)
    for text in _DIGITS + ["-" + d for d in _DIGITS] + ["1001", "1010", "1100", "10000", "-0", "00"]:
        want = bind([text]) is not None if (kind == "frame" or text[0] != "-") else False
        assert (rx.fullmatch(text) is not None) is want, (kind, pad, base, text)


@pytest.mark.parametrize("pad", [None, 2])
@pytest.mark.parametrize("base", [0, 1])
def test_uvtile_regex_accepts_exactly_what_its_binder_accepts(pad, base):
    rx = re.compile(_valid_re("uvtile", pad, base, True))
    bind = _binder("uvtile", pad, base)
    for u, v in itertools.product(_DIGITS[:60], repeat=2):
        for lead in ("", "_"):
            assert (rx.fullmatch("{}u{}_v{}".format(lead, u, v)) is not None) is (bind([u, v]) is not None), (u, v)


_TOKENS = ["#", "##", "####", "%d", "%03d", "$F", "$F4", "${F2}", "<f>", "<f3>", "<frame>", "<UDIM>", "%(UDIM)d",
           "<UVTILE>", "<uvtile>", "<tile>", "%(UVTILE)d", "<u>", "<V>", "$U", "$2v", "%(U)02d", "_u<u>_v<v>"]
_LITERALS = ["", ".", "_", "-", "a", "tex.", ".exr", "u", "_v", "1", "0"]
_NAME_BITS = ["", ".", "_", "-", "a", "tex.", ".exr", "u", "_v", "_u", "0", "1", "2", "9", "01", "10", "100", "1001",
              "1000", "1012", "0042", "-1", "-003", "12345"]


@settings(max_examples=600, deadline=None)
@given(pattern=st.lists(st.one_of(st.sampled_from(_TOKENS), st.sampled_from(_LITERALS)), min_size=1, max_size=5),
       name=st.lists(st.sampled_from(_NAME_BITS), max_size=8), data=st.data())
def test_exact_regex_agrees_with_match(pattern, name, data):
    component = "".join(pattern)
    m = ComponentMatcher(component)
    if m.exact is None:
        return  # a quantity bound twice: the scan keeps the per-name path (checked below)
    # Half the time, a name written from the pattern itself, so that matches are common.
    if data.draw(st.booleans()):
        text = "".join(data.draw(st.sampled_from(_NAME_BITS)) if part in _TOKENS else part for part in pattern)
    else:
        text = "".join(name)
    assert (m.exact.fullmatch(text) is not None) is (m.match(text) is not None), (component, text)


@pytest.mark.parametrize("component, has_exact", [
    ("a.####.exr", True), ("w.<UDIM>.$F4.exr", True), ("w_$U$V.tif", True), ("a.$F4.b.####", False),
    ("w_u<u>_v<v>_<UVTILE>", False), ("w.<UDIM>_<u>", False), ("plain", True),
])
def test_exact_only_when_each_quantity_is_bound_once(component, has_exact):
    assert (ComponentMatcher(component).exact is not None) is has_exact


def _touch(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(b"x")


@pytest.mark.parametrize("pattern", ["a.####.exr", "a.#.exr", "a.<f>.exr", "w.<UDIM>.exr", "w_$U$V.exr", "w<UVTILE>.exr"])
@pytest.mark.parametrize("non_ascii", [False, True])
def test_folder_fast_path_equals_per_name_path(tmp_path, monkeypatch, pattern, non_ascii):
    names = ["a.0001.exr", "a.0002.exr", "a.1.exr", "a.01.exr", "a.12345.exr", "a.-001.exr", "a.-1.exr",
             "a.00001.exr", "w.1001.exr", "w.1000.exr", "w.1010.exr", "w.0999.exr", "w.01001.exr", "w_11.exr", "w_110.exr",
             "w_u1_v1.exr", "w_u0_v1.exr", "wu2_v3.exr", "a.0003.exr.bak", "A.0004.exr"]
    if non_ascii:
        names += ["a.\u0661\u0662.exr", "w.\u0661\u0660\u0660\u0661.exr", "木.0001.exr"]  # Arabic-Indic digits
    for n in names:
        _touch(str(tmp_path / "f" / n))
    os.makedirs(str(tmp_path / "f" / "a.0005.exr"))  # a folder named like a frame is not a file
    fast, _ = expand_pattern(str(tmp_path / "f" / pattern), DirListing())
    real = ComponentMatcher.__init__

    def no_exact(self, component, flags=0):
        real(self, component, flags)
        self.exact = None

    monkeypatch.setattr(ComponentMatcher, "__init__", no_exact)
    monkeypatch.setattr(expand_mod, "_MATCHERS", {})
    slow, _ = expand_pattern(str(tmp_path / "f" / pattern), DirListing())
    assert fast == slow and fast
    assert str(tmp_path / "f" / "a.0005.exr") not in fast


def test_listing_files_exclude_folders_and_flag_non_ascii(tmp_path):
    _touch(str(tmp_path / "a.txt"))
    os.makedirs(str(tmp_path / "sub"))
    listing = DirListing()
    assert listing.files(str(tmp_path)) == (["a.txt"], True)
    _touch(str(tmp_path / "n" / "é.txt"))
    assert listing.files(str(tmp_path / "n")) == (["é.txt"], False)
    assert listing.files(str(tmp_path / "missing")) == ([], True) and listing.entries(str(tmp_path / "missing")) is None
    assert listing.listings == 3
