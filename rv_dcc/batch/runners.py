"""The Maya, 3ds Max, Houdini and Cinema 4D batch runners: one table of per-host parts.

Each host differs only in data -- its batch program (mayapy, 3dsmaxbatch, hython, c4dpy), the
variable that points at it, the standard install folders per OS and how the program is given the
bootstrap script -- so that data is a :class:`~rv_dcc.batch._hostrun.HostSpec` in :data:`SPECS`,
and finding, calling and reading back is ``_hostrun``'s one implementation. ``rv_dcc.batch``
dispatches here by file extension; the installers ask :func:`find_interpreter` which version is
installed. Blender is different (a ``bpy`` module or a Blender executable): ``rv_dcc.batch.blender``.
Nothing here imports a DCC module: the host runs in its own process.
"""
from typing import TYPE_CHECKING, Dict, List, Optional

from rv_dcc.batch import _hostrun
from rv_dcc.batch._hostrun import HostSpec

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription


def _script_only(bootstrap: str, scene: str) -> List[str]:
    # mayapy / hython / c4dpy run the bootstrap script, which opens the scene itself
    return [bootstrap]


def _script_and_scene_file(bootstrap: str, scene: str) -> List[str]:
    # 3dsmaxbatch <script> -sceneFile <scene>: 3ds Max opens the scene before the script runs
    return [bootstrap, "-sceneFile", scene]


#: rv_dcc_hosts sub-package -> how to find and call its batch interpreter (newest version first).
SPECS: Dict[str, HostSpec] = {
    "maya": HostSpec(
        key="maya", label="Maya", env_var="RV_DCC_MAYAPY", programs=("mayapy",),
        globs={"win32": (r"%ProgramFiles%\Autodesk\Maya20*\bin\mayapy.exe",),
               "darwin": ("/Applications/Autodesk/maya20*/Maya.app/Contents/bin/mayapy",),
               "linux": ("/usr/autodesk/maya20*/bin/mayapy", "/opt/autodesk/maya20*/bin/mayapy")},
        install_hint="Autodesk Maya (mayapy comes with it)",
        arguments=_script_only),
    # 3ds Max exists on Windows only.
    "max": HostSpec(
        key="max", label="3ds Max", env_var="RV_DCC_3DSMAXBATCH", programs=("3dsmaxbatch",),
        globs={"win32": (r"%ProgramFiles%\Autodesk\3ds Max 20*\3dsmaxbatch.exe",)},
        install_hint="Autodesk 3ds Max 2018 or later on Windows (3dsmaxbatch.exe comes with it)",
        arguments=_script_and_scene_file),
    "houdini": HostSpec(
        key="houdini", label="Houdini", env_var="RV_DCC_HYTHON", programs=("hython",),
        globs={"win32": (r"%ProgramFiles%\Side Effects Software\Houdini *\bin\hython.exe",),
               "darwin": ("/Applications/Houdini/Houdini*/Frameworks/Houdini.framework/Versions/Current/"
                          "Resources/bin/hython",),
               "linux": ("/opt/hfs*/bin/hython",)},
        install_hint="SideFX Houdini (hython comes with it)",
        arguments=_script_only),
    "c4d": HostSpec(
        key="c4d", label="Cinema 4D", env_var="RV_DCC_C4DPY", programs=("c4dpy",),
        globs={"win32": (r"%ProgramFiles%\Maxon Cinema 4D 20*\c4dpy.exe",
                         r"%ProgramFiles%\Maxon Cinema 4D R2*\c4dpy.exe"),
               "darwin": ("/Applications/Maxon Cinema 4D 20*/c4dpy.app/Contents/MacOS/c4dpy",
                          "/Applications/Maxon Cinema 4D R2*/c4dpy.app/Contents/MacOS/c4dpy"),
               "linux": ("/opt/maxon/cinema4d*/bin/c4dpy", "/opt/maxon/cinema4dr*/bin/c4dpy")},
        install_hint="Maxon Cinema 4D R23 or later (c4dpy comes with it)",
        arguments=_script_only),
}


def find_interpreter(host: str) -> Optional[List[str]]:
    """[program] of ``host``'s batch interpreter ("maya", "max", "houdini", "c4d"), or None when not installed."""
    return _hostrun.find_interpreter(SPECS[host])


def build_command(host: str, scene: str, bootstrap: str) -> List[str]:
    """The argv that runs the bootstrap script in ``host``'s batch interpreter."""
    return _hostrun.build_command(SPECS[host], scene, bootstrap)


def describe_file(host: str, path: str, timeout: float = 300) -> "SceneDescription":
    """Open ``path`` in ``host``'s batch interpreter and return its description."""
    return _hostrun.describe_file(SPECS[host], path, timeout)
