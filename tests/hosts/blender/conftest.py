"""Fixtures for the Blender tests: a project built with real bpy, and its description."""
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from blender_helpers import HAS_BPY, HERE


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with shot.blend and lib/library.blend (see make_scenes.py)."""
    if not HAS_BPY:
        pytest.skip("bpy is not installed")
    root = tmp_path_factory.mktemp("blender_project")
    subprocess.run([sys.executable, str(HERE / "make_scenes.py"), str(root)], check=True,
                   capture_output=True, timeout=180)
    return root


@pytest.fixture(scope="session")
def shot_description(project: Path) -> Any:
    """The description of shot.blend, read through rv_dcc.batch (bpy in a child process)."""
    from rv_dcc.batch import describe_file

    return describe_file(str(project / "shot.blend"), timeout=120)
