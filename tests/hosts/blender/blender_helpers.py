"""Helpers for the Blender tests: run snippets under bpy in a child process.

bpy runs in child processes (never imported into the pytest process, which also hosts Qt
tests): ``run_bpy(code)`` runs a snippet with the same Python and returns the JSON it prints
after ``RESULT:``. ``needs_bpy`` skips a test cleanly when bpy is not installed.
"""
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

HERE = Path(__file__).resolve().parent
HAS_BPY = importlib.util.find_spec("bpy") is not None
needs_bpy = pytest.mark.skipif(not HAS_BPY, reason="bpy is not installed (pip install bpy, Python 3.11)")


def run_bpy(code: str, env: Optional[Dict[str, str]] = None, timeout: float = 120) -> Any:
    """Run ``code`` in a fresh Python with bpy; return the JSON printed after 'RESULT:'."""
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          env=full_env, check=False)
    assert proc.returncode == 0, "bpy snippet failed:\n%s\n%s" % (proc.stdout[-3000:], proc.stderr[-3000:])
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT:"):
            return json.loads(line[len("RESULT:"):])
    raise AssertionError("no RESULT line in:\n" + proc.stdout[-3000:])
