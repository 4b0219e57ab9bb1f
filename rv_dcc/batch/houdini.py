"""Describe a .hip/.hiplc/.hipnc by running hython in a separate process (rv_dcc.batch dispatches here).

Finds hython ($RV_DCC_HYTHON, PATH, then the standard SideFX folders, newest Houdini first) and
runs ``rv_dcc_hosts.houdini.batch`` through the shared bootstrap of ``_hostrun``.
"""
from typing import TYPE_CHECKING, List, Optional

from rv_dcc.batch import _hostrun

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription

SPEC = _hostrun.HostSpec(
    key="houdini", label="Houdini", env_var="RV_DCC_HYTHON", programs=("hython",),
    globs={"win32": (r"%ProgramFiles%\Side Effects Software\Houdini *\bin\hython.exe",),
           "darwin": ("/Applications/Houdini/Houdini*/Frameworks/Houdini.framework/Versions/Current/Resources/bin/hython",),
           "linux": ("/opt/hfs*/bin/hython",)},
    install_hint="SideFX Houdini (hython comes with it)",
    arguments=lambda bootstrap, scene: [bootstrap],
)


def find_interpreter() -> Optional[List[str]]:
    """[hython], or None when Houdini is not installed."""
    return _hostrun.find_interpreter(SPEC)


def build_command(scene: str, bootstrap: str) -> List[str]:
    """The argv that runs the bootstrap script in hython."""
    return _hostrun.build_command(SPEC, scene, bootstrap)


def describe_file(path: str, timeout: float = 300) -> "SceneDescription":
    """Load ``path`` in hython and return its description."""
    return _hostrun.describe_file(SPEC, path, timeout)
