"""Describe a .max by running 3dsmaxbatch in a separate process (rv_dcc.batch dispatches here).

Finds 3dsmaxbatch ($RV_DCC_3DSMAXBATCH, PATH, then the standard Autodesk folders, newest 3ds Max
first; 3ds Max exists on Windows only) and runs the bootstrap script with ``-sceneFile`` so 3ds
Max opens the scene before ``rv_dcc_hosts.max.batch`` describes it.
"""
from typing import TYPE_CHECKING, List, Optional

from rv_dcc.batch import _hostrun

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription

SPEC = _hostrun.HostSpec(
    key="max", label="3ds Max", env_var="RV_DCC_3DSMAXBATCH", programs=("3dsmaxbatch",),
    globs={"win32": (r"%ProgramFiles%\Autodesk\3ds Max 20*\3dsmaxbatch.exe",)},
    install_hint="Autodesk 3ds Max 2018 or later on Windows (3dsmaxbatch.exe comes with it)",
    arguments=lambda bootstrap, scene: [bootstrap, "-sceneFile", scene],
)


def find_interpreter() -> Optional[List[str]]:
    """[3dsmaxbatch], or None when 3ds Max is not installed."""
    return _hostrun.find_interpreter(SPEC)


def build_command(scene: str, bootstrap: str) -> List[str]:
    """The argv: 3dsmaxbatch <bootstrap.py> -sceneFile <scene>."""
    return _hostrun.build_command(SPEC, scene, bootstrap)


def describe_file(path: str, timeout: float = 300) -> "SceneDescription":
    """Open ``path`` in 3dsmaxbatch and return its description."""
    return _hostrun.describe_file(SPEC, path, timeout)
