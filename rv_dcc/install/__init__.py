"""Install the rv_dcc plugin into a DCC: one module per host, chosen by name, loaded on demand.

Each ``rv_dcc.install.<host>`` module offers ``install(version, prefix, uninstall=False) ->
List[str]`` (the paths written or removed) and ``NEXT_STEP`` (what the artist does next in the DCC,
see ``next_step``). A host whose module is not written yet gives a
clear "not supported yet" error instead of an ImportError.
"""
import importlib
from types import ModuleType
from typing import Dict

from rv_dcc.errors import RvDccError

#: name on the command line -> (module under rv_dcc.install, name for messages)
INSTALLERS: Dict[str, tuple] = {
    "blender": ("blender", "Blender"),
    "maya": ("maya", "Maya"),
    "max": ("max", "3ds Max"),
    "3dsmax": ("max", "3ds Max"),
    "houdini": ("houdini", "Houdini"),
    "c4d": ("c4d", "Cinema 4D"),
    "cinema4d": ("c4d", "Cinema 4D"),
}


class InstallError(RvDccError):
    """The plugin could not be installed or removed; the message names the path or the fix."""


def installer(dcc: str) -> ModuleType:
    """The installer module for ``dcc`` (e.g. "blender")."""
    entry = INSTALLERS.get(dcc.lower())
    if entry is None:
        raise InstallError("Unknown DCC %r." % dcc, hint="choose one of: %s" % ", ".join(sorted(INSTALLERS)))
    module_name, label = entry
    try:
        return importlib.import_module("rv_dcc.install.%s" % module_name)
    except ModuleNotFoundError as exc:
        if exc.name != "rv_dcc.install.%s" % module_name:
            raise
        raise InstallError("Installing into %s is not supported yet." % label,
                           hint="see README for a manual installation") from None


def next_step(dcc: str) -> str:
    """What the artist does in ``dcc`` after an install (each installer's NEXT_STEP; "" when none)."""
    return str(getattr(installer(dcc), "NEXT_STEP", "") or "")
