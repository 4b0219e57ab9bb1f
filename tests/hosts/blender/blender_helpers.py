"""Helpers for the Blender tests: run snippets under bpy in a child process.

bpy runs in child processes (never imported into the pytest process, which also hosts Qt
tests): ``run_bpy(code)`` runs a snippet and returns the JSON it prints after ``RESULT:``.
Which Blender: the ``bpy`` module of this Python, or, with $RV_DCC_TEST_BLENDER set to a Blender
executable (e.g. Debian's 3.4.1), that Blender in background mode - the same tests then run on
another Blender version and the batch describe goes through the executable. ``needs_bpy`` skips
a test cleanly when neither is there; ``needs_bpy_module`` marks tests about the module itself.
"""
import functools
import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TEST_BLENDER = os.environ.get("RV_DCC_TEST_BLENDER", "")
HAS_BPY_MODULE = importlib.util.find_spec("bpy") is not None
HAS_BPY = HAS_BPY_MODULE or bool(TEST_BLENDER)
needs_bpy = pytest.mark.skipif(not HAS_BPY, reason="bpy is not installed (pip install bpy, Python 3.11)")
needs_bpy_module = pytest.mark.skipif(not HAS_BPY_MODULE or bool(TEST_BLENDER),
                                      reason="about the bpy module itself (not run with RV_DCC_TEST_BLENDER)")


def _prelude() -> str:
    """What a Blender executable runs before a snippet: this checkout's rv_dcc and rv_dcc_hosts,
    and this Python's site-packages (pydantic...) when Blender runs the same Python minor version."""
    paths = [str(ROOT)]
    site = sysconfig.get_paths()["purelib"]
    return ("import sys, importlib.util\n"
            "sys.path.insert(0, %r)\n"
            "if sys.version_info[:2] == %r:\n    sys.path.append(%r)\n"
            "spec = importlib.util.spec_from_file_location('rv_dcc_hosts', %r, submodule_search_locations=[%r])\n"
            "module = importlib.util.module_from_spec(spec); sys.modules['rv_dcc_hosts'] = module\n"
            "spec.loader.exec_module(module)\n"
            % (paths[0], tuple(sys.version_info[:2]), site, str(ROOT / "hosts" / "__init__.py"), str(ROOT / "hosts")))


def bpy_command(code: str) -> List[str]:
    """argv running the Python ``code`` with bpy."""
    if TEST_BLENDER:
        return [TEST_BLENDER, "-b", "--factory-startup", "--python-exit-code", "3", "--python-expr",
                _prelude() + code]
    return [sys.executable, "-c", code]


def script_command(script: Path, *args: str) -> List[str]:
    """argv running a bpy script file with ``args`` (after "--" for a Blender executable)."""
    if TEST_BLENDER:
        return [TEST_BLENDER, "-b", "--factory-startup", "--python-exit-code", "3", "--python", str(script),
                "--"] + list(args)
    return [sys.executable, str(script)] + list(args)


def run_bpy(code: str, env: Optional[Dict[str, str]] = None, timeout: float = 120) -> Any:
    """Run ``code`` in a fresh process with bpy; return the JSON printed after 'RESULT:'."""
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.run(bpy_command(code), capture_output=True, text=True, timeout=timeout, env=full_env,
                          check=False)
    assert proc.returncode == 0, "bpy snippet failed:\n%s\n%s" % (proc.stdout[-3000:], proc.stderr[-3000:])
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT:"):
            return json.loads(line[len("RESULT:"):])
    raise AssertionError("no RESULT line in:\n" + proc.stdout[-3000:])


@functools.lru_cache(maxsize=None)
def blender_version() -> str:
    """The version of the Blender the tests run ('3.4.1', '5.0.1'), as bpy.app.version says."""
    return run_bpy("import bpy, json\nprint('RESULT:' + json.dumps('.'.join(map(str, bpy.app.version))))")


def use_tested_blender(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make rv_dcc.batch describe with the Blender under test (the executable, else this bpy)."""
    if TEST_BLENDER:
        monkeypatch.setenv("RV_DCC_BLENDER", TEST_BLENDER)
    else:
        monkeypatch.delenv("RV_DCC_BLENDER", raising=False)
