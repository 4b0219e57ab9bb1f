"""Describe a .ma/.mb by running mayapy in a separate process (rv_dcc.batch dispatches here).

Finds mayapy ($RV_DCC_MAYAPY, PATH, then the standard Autodesk folders, newest Maya first) and
runs ``rv_dcc_hosts.maya.batch`` through the shared bootstrap of ``_hostrun``.
"""
from typing import TYPE_CHECKING, List, Optional

from rv_dcc.batch import _hostrun

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription

SPEC = _hostrun.HostSpec(
    key="maya", label="Maya", env_var="RV_DCC_MAYAPY", programs=("mayapy",),
    globs={"win32": (r"%ProgramFiles%\Autodesk\Maya20*\bin\mayapy.exe",),
           "darwin": ("/Applications/Autodesk/maya20*/Maya.app/Contents/bin/mayapy",),
           "linux": ("/usr/autodesk/maya20*/bin/mayapy", "/opt/autodesk/maya20*/bin/mayapy")},
    install_hint="Autodesk Maya (mayapy comes with it)",
    arguments=lambda bootstrap, scene: [bootstrap],
)


def find_interpreter() -> Optional[List[str]]:
    """[mayapy], or None when Maya is not installed."""
    return _hostrun.find_interpreter(SPEC)


def build_command(scene: str, bootstrap: str) -> List[str]:
    """The argv that runs the bootstrap script in mayapy."""
    return _hostrun.build_command(SPEC, scene, bootstrap)


def describe_file(path: str, timeout: float = 300) -> "SceneDescription":
    """Open ``path`` in mayapy and return its description."""
    return _hostrun.describe_file(SPEC, path, timeout)
