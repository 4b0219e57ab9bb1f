"""Describe a .c4d by running c4dpy in a separate process (rv_dcc.batch dispatches here).

Finds c4dpy ($RV_DCC_C4DPY, PATH, then the standard Maxon folders, newest Cinema 4D first) and
runs ``rv_dcc_hosts.c4d.batch`` through the shared bootstrap of ``_hostrun``.
"""
from typing import TYPE_CHECKING, List, Optional

from rv_dcc.batch import _hostrun

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription

SPEC = _hostrun.HostSpec(
    key="c4d", label="Cinema 4D", env_var="RV_DCC_C4DPY", programs=("c4dpy",),
    globs={"win32": (r"%ProgramFiles%\Maxon Cinema 4D 20*\c4dpy.exe", r"%ProgramFiles%\Maxon Cinema 4D R2*\c4dpy.exe"),
           "darwin": ("/Applications/Maxon Cinema 4D 20*/c4dpy.app/Contents/MacOS/c4dpy",
                      "/Applications/Maxon Cinema 4D R2*/c4dpy.app/Contents/MacOS/c4dpy"),
           "linux": ("/opt/maxon/cinema4d*/bin/c4dpy", "/opt/maxon/cinema4dr*/bin/c4dpy")},
    install_hint="Maxon Cinema 4D R23 or later (c4dpy comes with it)",
    arguments=lambda bootstrap, scene: [bootstrap],
)


def find_interpreter() -> Optional[List[str]]:
    """[c4dpy], or None when Cinema 4D is not installed."""
    return _hostrun.find_interpreter(SPEC)


def build_command(scene: str, bootstrap: str) -> List[str]:
    """The argv that runs the bootstrap script in c4dpy."""
    return _hostrun.build_command(SPEC, scene, bootstrap)


def describe_file(path: str, timeout: float = 300) -> "SceneDescription":
    """Load ``path`` in c4dpy and return its description."""
    return _hostrun.describe_file(SPEC, path, timeout)
