"""Fixtures for the Blender tests: a project built with real bpy, and its description."""
import subprocess
from pathlib import Path
from typing import Any

import pytest

from blender_helpers import HAS_BPY, HERE, TEST_BLENDER, script_command


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with shot.blend and lib/library.blend (see make_scenes.py)."""
    if not HAS_BPY:
        pytest.skip("bpy is not installed")
    root = tmp_path_factory.mktemp("blender_project")
    subprocess.run(script_command(HERE / "make_scenes.py", str(root)), check=True, capture_output=True, timeout=180)
    return root


@pytest.fixture(scope="session")
def shot_description(project: Path) -> Any:
    """The description of shot.blend, read through rv_dcc.batch (bpy in a child process)."""
    from rv_dcc.batch import describe_file

    with pytest.MonkeyPatch.context() as patch:
        if TEST_BLENDER:  # described by that Blender executable, not by this Python's bpy
            patch.setenv("RV_DCC_BLENDER", TEST_BLENDER)
        return describe_file(str(project / "shot.blend"), timeout=120)


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    """The real-window tests (marker ``blender_gui``: Blender, Xvfb, minutes) run only when asked
    for with ``-m blender_gui`` (.ci/run's Blender step), never as part of the default run."""
    if "blender_gui" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="a real Blender window: run with -m blender_gui (needs blender and xvfb)")
    for item in items:
        if "blender_gui" in item.keywords:
            item.add_marker(skip)
