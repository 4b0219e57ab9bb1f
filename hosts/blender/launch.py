"""Open the Qt panel for the open .blend in its own process, and bring its settings back.

Blender ships no Qt and must never run a nested Qt event loop, so the panel runs as
``<python> -m rv_dcc panel --description FILE`` in a separate process: Blender stays responsive
and a crash in Qt cannot take the artist's scene down. The description is written to a fresh
temporary folder together with ``settings.json`` (the scene's stored panel settings); its path
travels in the description as ``settings["rv_dcc_settings_file"]``. When the panel rewrites that
file, ``SettingsWatcher`` notices and Blender stores the new settings in the scene.

Which Python runs the panel: $RV_DCC_PYTHON; else the one recorded by ``rv-dcc install blender``
in ``rv_dcc_config.json`` next to the add-on; else Blender's own Python when it has qtpy and a
Qt binding.
"""
import importlib.util
import json
import logging
import os
import subprocess
import sys
import tempfile
from typing import Any, Dict, List, Optional, Tuple

from rv_dcc.errors import RvDccError

log = logging.getLogger("rv_dcc.hosts.blender.launch")

ENV_PYTHON = "RV_DCC_PYTHON"
CONFIG_FILE = "rv_dcc_config.json"


class LaunchError(RvDccError):
    """The panel cannot be started; the hint says what to install or set."""

    default_hint = ("Run `rv-dcc install blender` from a Python that has rv_dcc and Qt (pip install rv-dcc[qt]), "
                    "or set %s to such a Python." % ENV_PYTHON)


def _has_qt() -> bool:
    return importlib.util.find_spec("qtpy") is not None and any(
        importlib.util.find_spec(name) is not None for name in ("PySide6", "PyQt5", "PySide2"))


def panel_python(config_dir: Optional[str] = None) -> str:
    """The Python that runs ``rv_dcc panel`` (see the module docstring for the order)."""
    explicit = os.environ.get(ENV_PYTHON)
    if explicit:
        if not os.path.isfile(explicit):
            raise LaunchError("%s is set to %r, which does not exist." % (ENV_PYTHON, explicit),
                              hint="Set it to the python executable of a Python with rv_dcc and Qt, or unset it.")
        return explicit
    if config_dir:
        try:
            with open(os.path.join(config_dir, CONFIG_FILE), encoding="utf-8") as handle:
                recorded = json.load(handle).get("python", "")
        except (OSError, ValueError):
            recorded = ""
        if recorded and os.path.isfile(recorded):
            return recorded
    if _has_qt():
        return sys.executable
    raise LaunchError("The Fox Renderfarm panel needs a Python with rv_dcc and Qt (PySide6).")


def write_description(folder: str, description: Dict[str, Any], settings: Dict[str, Any]) -> str:
    """Write ``description.json`` and ``settings.json`` into ``folder``; return the description path."""
    settings_path = os.path.join(folder, "settings.json")
    with open(settings_path, "w", encoding="utf-8") as handle:
        json.dump(settings, handle, indent=2, sort_keys=True)
    description = dict(description)
    description["settings"] = dict(description.get("settings") or {},
                                   rv_dcc_settings=settings, rv_dcc_settings_file=settings_path)
    path = os.path.join(folder, "description.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(description, handle, indent=2)
    return path


def panel_command(python: str, description_path: str) -> List[str]:
    """The argv of the panel process."""
    return [python, "-m", "rv_dcc", "panel", "--description", description_path]


def launch_panel(description: Dict[str, Any], settings: Dict[str, Any],
                 config_dir: Optional[str] = None) -> Tuple["subprocess.Popen[bytes]", str]:
    """Start the panel process for ``description``; return it and its settings file at once."""
    python = panel_python(config_dir)
    folder = tempfile.mkdtemp(prefix="rv_dcc_blender_")
    path = write_description(folder, description, settings)
    env = dict(os.environ)
    from rv_dcc.i18n import HOST_LANGUAGE_VARIABLE, host_language

    if host_language():  # the panel process speaks Blender's interface language (rv_dcc.i18n.language)
        env[HOST_LANGUAGE_VARIABLE] = str(host_language())
    if os.path.abspath(python) != os.path.abspath(sys.executable):
        # Blender's Python home must not leak into another interpreter
        env.pop("PYTHONHOME", None)
        env.pop("PYTHONPATH", None)
    log_file = open(os.path.join(folder, "panel.log"), "wb")  # the child keeps its own handle
    try:
        kwargs: Dict[str, Any] = {"cwd": folder, "env": env, "stdin": subprocess.DEVNULL,
                                  "stdout": log_file, "stderr": subprocess.STDOUT}
        if sys.platform == "win32":
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        else:
            kwargs["start_new_session"] = True  # closing Blender does not kill an open panel
        process = subprocess.Popen(panel_command(python, path), **kwargs)
    finally:
        log_file.close()
    log.info("panel started (pid %s) for %s", process.pid, path)
    return process, os.path.join(folder, "settings.json")


class SettingsWatcher:
    """Notices when the panel process rewrites its settings file (polled from Blender's timer)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._stamp = self._current()

    def _current(self) -> Optional[tuple]:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def changed(self) -> Optional[Dict[str, Any]]:
        """The new settings when the file changed since the last call, else None."""
        stamp = self._current()
        if stamp is None or stamp == self._stamp:
            return None
        try:
            with open(self.path, encoding="utf-8") as handle:
                value = json.load(handle)
        except (OSError, ValueError):
            return None  # half-written: the stamp is kept, so the next tick reads it again
        self._stamp = stamp
        return value if isinstance(value, dict) else None
