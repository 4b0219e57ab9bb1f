"""Turn a scene file into a scene description by running its host in a separate process.

``describe_file(path)`` picks the host by the file's extension and hands over: Maya, 3ds Max,
Houdini and Cinema 4D to ``rv_dcc.batch.runners`` (one implementation, a table of per-host
parts), Blender to ``rv_dcc.batch.blender`` (``find_interpreter()`` and
``describe_file(path, timeout)``); a ``.json`` file is read as a description directly. Runner
modules are imported on first use, so a host whose module is not written yet gives a clear "not
supported yet" instead of an ImportError. Nothing here imports a DCC module: the host runs in
its own process.
"""
import importlib
import os
from typing import TYPE_CHECKING, Dict, Optional

from rv_dcc.batch.errors import BatchError, HostNotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription

#: file extension -> (host: a key of rv_dcc.batch.runners.SPECS or a module under rv_dcc.batch, name for messages)
HOSTS_BY_EXTENSION: Dict[str, tuple] = {
    ".blend": ("blender", "Blender"),
    ".ma": ("maya", "Maya"),
    ".mb": ("maya", "Maya"),
    ".max": ("max", "3ds Max"),
    ".hip": ("houdini", "Houdini"),
    ".hiplc": ("houdini", "Houdini"),
    ".hipnc": ("houdini", "Houdini"),
    ".c4d": ("c4d", "Cinema 4D"),
}




def host_for(path: str) -> Optional[str]:
    """The host key of a scene file ("maya", "blender"...), or None for an unknown extension."""
    entry = HOSTS_BY_EXTENSION.get(os.path.splitext(path)[1].lower())
    return entry[0] if entry else None


def describe_file(path: str, timeout: float = 300) -> "SceneDescription":
    """Describe the scene file ``path`` (any supported host's file, or a description .json)."""
    extension = os.path.splitext(path)[1].lower()
    if not os.path.isfile(path):
        raise BatchError("Scene file not found: %s" % path, hint="check the path and try again")
    if extension == ".json":
        from rv_dcc.scene.io import load_description

        return load_description(path)
    entry = HOSTS_BY_EXTENSION.get(extension)
    if entry is None:
        known = ", ".join(sorted(set(HOSTS_BY_EXTENSION) | {".json"}))
        raise BatchError("Don't know which program opens %r files (%s)." % (extension or path, path),
                         hint="give a scene of one of these kinds: %s" % known)
    module_name, host_label = entry
    from rv_dcc.batch import runners

    if module_name in runners.SPECS:
        return runners.describe_file(module_name, path, timeout)
    try:
        module = importlib.import_module("rv_dcc.batch.%s" % module_name)
    except ModuleNotFoundError as exc:
        if exc.name != "rv_dcc.batch.%s" % module_name:
            raise
        raise HostNotFoundError(
            "Reading %s scenes from the command line is not supported yet." % host_label,
            hint="open the scene in %s and submit from its rv_dcc menu, or export a description .json"
                 % host_label) from None
    return module.describe_file(path, timeout)
