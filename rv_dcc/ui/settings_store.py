"""Where the panel's choices persist: in the scene (through the host adapter) and per user.

Per scene: the whole set of submit options, through ``adapter.store_settings`` (the host stores
it natively, readable without the plugin), saved on every change (LESSONS 9). Per user: the
last-used values that make sense across scenes (priority, machine, timeouts, project, labels,
frames per machine, render node OS, language, refresh rates) in ``panel.json`` beside the
account file in the user config folder, written atomically. No Qt.
"""
import json
import logging
from pathlib import Path
from typing import Any, Dict, Optional

from rv_dcc.scene.adapter import SettingsKeeper

log = logging.getLogger("rv_dcc.ui.settings")

#: Option fields worth carrying from one scene to the next.
USER_FIELDS = ("frames_per_task", "priority", "hardware_config_id", "ram", "job_stop_time", "task_stop_time",
               "time_out", "project_name", "project_id", "labels", "os_name", "stop_after_test", "test_frames")
SCENE_KEY = "rv_dcc_submit"


def user_settings_path() -> Path:
    """``<user config dir>/rv_dcc/panel.json`` (RV_DCC_CONFIG_DIR overrides the folder)."""
    from rv_dcc.api.credentials import config_dir

    return config_dir() / "panel.json"


class SettingsStore:
    """Reads and writes the panel's settings (scene through ``adapter``, user in a JSON file)."""

    def __init__(self, adapter: Optional[object] = None, path: Optional[Path] = None) -> None:
        self.adapter = adapter
        self.path = Path(path) if path is not None else user_settings_path()

    # --- per user ----------------------------------------------------------------------------------
    def load_user(self) -> Dict[str, Any]:
        """The per-user settings ({} when none or unreadable)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable panel settings %s: %s", self.path, error)
            return {}
        return data if isinstance(data, dict) else {}

    def save_user(self, values: Dict[str, Any]) -> None:
        """Merge ``values`` into the per-user settings file (atomic replace, owner-only like the account file)."""
        from rv_dcc.fsutil import atomic_write_json

        data = self.load_user()
        data.update(values)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # fsync=False: the last-used values, not state anyone resumes from (a power cut costs the newest)
        atomic_write_json(self.path, data, sort_keys=True, mode=0o600, fsync=False)

    # --- per scene ---------------------------------------------------------------------------------
    def load_scene(self) -> Dict[str, Any]:
        """The options stored in the open scene ({} standalone or when none)."""
        if not isinstance(self.adapter, SettingsKeeper):  # standalone, or a host that keeps none
            return {}
        try:
            stored = self.adapter.load_settings() or {}
        except Exception as error:  # noqa: BLE001 - a host failure must not stop the dialog
            log.warning("could not read the panel settings from the scene: %s", error)
            return {}
        value = stored.get(SCENE_KEY, stored)
        return value if isinstance(value, dict) else {}

    def save_scene(self, options: Dict[str, Any]) -> None:
        """Store the options in the open scene (no-op standalone)."""
        if not isinstance(self.adapter, SettingsKeeper):
            return
        try:
            self.adapter.store_settings({SCENE_KEY: options})
        except Exception as error:  # noqa: BLE001 - keep working; the user file still has them
            log.warning("could not store the panel settings in the scene: %s", error)

    def initial_options(self) -> Dict[str, Any]:
        """Options to start the dialog with: user's last-used values, then the scene's on top."""
        user = {key: value for key, value in self.load_user().get("options", {}).items() if key in USER_FIELDS}
        user.update(self.load_scene())
        return user

    def remember(self, options: Dict[str, Any]) -> None:
        """Save the options to the scene and the reusable part to the user file."""
        self.save_scene(options)
        self.save_user({"options": {key: options[key] for key in USER_FIELDS if key in options}})
