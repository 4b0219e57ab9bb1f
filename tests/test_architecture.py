"""The layering rules of DESIGN.md, kept as tests rather than hopes.

- import-linter contracts in pyproject.toml (api/scene independent, core never imports hosts,
  hosts independent, Qt only in rv_dcc.ui);
- importing rv_dcc (and the client package) loads neither requests, pydantic nor Qt;
- no rv_dcc module outside rv_dcc/ui mentions a Qt binding, none mentions a DCC module.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("requests", "pydantic", "qtpy", "PySide6", "PySide2", "PyQt5")


def _loaded_after(code: str):
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, cwd=str(ROOT)).stdout.split()
    return {m.split(".")[0] for m in out}


@pytest.mark.parametrize("statement", ["import rv_dcc", "import rv_dcc.api", "import rv_dcc.cli",
                                       "import rv_dcc.scene.adapter"])
def test_light_imports_pull_in_nothing_heavy(statement):
    loaded = _loaded_after(statement)
    assert not loaded.intersection(HEAVY), f"{statement} loaded {sorted(loaded.intersection(HEAVY))}"


def test_import_linter_contracts_hold():
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():
        pytest.skip("import-linter not installed (pip install -e '.[dev]')")
    proc = subprocess.run([str(exe), "--no-cache"], capture_output=True, text=True, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stdout + proc.stderr


DCC_MODULES = re.compile(r"^\s*(?:import|from)\s+(maya|pymxs|hou|c4d|bpy|MaxPlus|qtmax)\b", re.M)
QT_MODULES = re.compile(r"^\s*(?:import|from)\s+(qtpy|PySide6|PySide2|PyQt5|shiboken\d?)\b", re.M)


def _core_sources():
    for path in (ROOT / "rv_dcc").rglob("*.py"):
        yield path, path.read_text(encoding="utf-8")


def test_no_dcc_module_in_the_core():
    offenders = [str(p.relative_to(ROOT)) for p, text in _core_sources() if DCC_MODULES.search(text)
                 and "farm" not in p.parts]  # the farm renders Blender scenes with bpy in a subprocess
    assert offenders == []


def test_qt_only_in_ui():
    offenders = [str(p.relative_to(ROOT)) for p, text in _core_sources()
                 if QT_MODULES.search(text) and "ui" not in p.parts]
    assert offenders == []


def test_cli_version_and_help():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    version = subprocess.run([sys.executable, "-m", "rv_dcc", "--version"], capture_output=True, text=True,
                             env=env, check=True).stdout
    from rv_dcc import __version__
    assert version.strip() == f"rv-dcc {__version__}"
    helptext = subprocess.run([sys.executable, "-m", "rv_dcc", "--help"], capture_output=True, text=True,
                              env=env, check=True).stdout
    for option in ("--domain", "--platform", "--protocol", "--json"):
        assert option in helptext


def test_every_package_is_shipped():
    """pyproject lists packages explicitly (hosts/ ships as rv_dcc_hosts): a new one must be added."""
    try:
        import tomllib  # Python 3.11+
    except ImportError:  # pragma: no cover
        pytest.skip("tomllib needs Python 3.11")
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = set()
    for top, name in (("rv_dcc", "rv_dcc"), ("hosts", "rv_dcc_hosts")):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top).parts
            found.add(".".join((name,) + rel))
    assert sorted(found - listed) == []
