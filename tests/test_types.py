"""mypy over the whole of rv_dcc (rv_dcc/ui included, against PySide6's stubs as pyproject's
[tool.mypy] says) and the Blender add-on, as part of the test command, so CI runs it.

The other four hosts are checked against their DCC stubs in tests/hosts/maya/test_four_hosts_static.py.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("PySide6", reason="rv_dcc/ui is type-checked against PySide6's stubs (./dev setup installs it)")


def _mypy(*paths: str) -> "tuple[int, str]":
    # a cache outside the repo survives between runs: ~15 s the first time, a few seconds after
    cache = os.path.join(tempfile.gettempdir(), "rv_dcc_mypy_cache_core")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", cache, "--no-error-summary",
                           "--show-error-codes", *paths], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=600, check=False)
    return proc.returncode, proc.stdout.decode()


def test_rv_dcc_and_the_blender_add_on_type_check_clean():
    code, output = _mypy("rv_dcc", "hosts/blender")
    assert code == 0, output


def test_calls_through_the_client_namespaces_are_checked(tmp_path):
    script = tmp_path / "uses_the_client.py"
    script.write_text(
        "from rv_dcc.api import RayvisionAPI\n"
        "from rv_dcc.api.status import TaskStatus\n"
        "api = RayvisionAPI('id', 'key')\n"
        "api.query.get_task_list(page_nun=1)\n"                       # a misspelt keyword
        "total: str = api.query.get_task_list().total\n"                  # Optional[int], not str
        "api.task.stop_task(task_param_list=[1])\n"                    # right: no error
        "TaskStatus.FINISHED.is_final()\n")                            # a property, not a method
    code, output = _mypy(str(script))
    assert code != 0
    errors = [line for line in output.splitlines() if ": error:" in line]
    assert any(":4:" in line and "page_nun" in line for line in errors), output
    assert any(":5:" in line and "assignment" in line for line in errors), output
    assert any(":7:" in line for line in errors), output
    assert not any(":6:" in line for line in errors), output
