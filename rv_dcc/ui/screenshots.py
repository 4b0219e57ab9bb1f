"""``rv-dcc panel --screenshot DIR``: a local farm with tasks in several states, and PNGs of the panel.

Starts a private local farm in a temporary folder (``start_farm``, given by the composition root:
rv_dcc.app.local_farm), submits the five sample
scenes through the real submission pipeline with different options (a long render still
running, test frames with a pause, a task stopped by the user, frames failing), lets the farm's
clock run, then opens the panel in English and in Simplified Chinese and writes
``submit_<lang>.png``, ``monitor_<lang>.png`` and ``signin_<lang>.png`` once the thumbnails of
the selected task are loaded. Used for the README and to look at the panel without a DCC.
"""
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, ContextManager, Dict, List, Optional, Sequence, Tuple

log = logging.getLogger("rv_dcc.ui.screenshots")

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

#: (sample, option changes, what happens after submitting)
SCENARIOS: Tuple[Tuple[str, Dict[str, Any], Optional[str]], ...] = (
    ("3dsmax", {}, None),
    ("houdini", {"frames_per_task": 2}, None),
    ("cinema4d", {}, "stop"),
    ("blender", {"test_frames": {"first": True, "last": True}, "stop_after_test": True}, None),
    ("maya", {"frames": "1-120"}, None),
)


def seed_farm(api: Any, journal_root: str, samples: Path = SAMPLES) -> Dict[str, int]:
    """Submit the sample scenes with the scenarios' options; returns {sample: task id}."""
    from rv_dcc.scene.io import load_description
    from rv_dcc.submit.options import SubmitOptions
    from rv_dcc.submit.pipeline import submit_scene

    tasks: Dict[str, int] = {}
    for name, changes, then in SCENARIOS:
        desc = load_description(str(samples / f"{name}.json"))
        options = SubmitOptions.model_validate({**SubmitOptions().model_dump(), **changes})
        result = submit_scene(api, desc, options, journal_root=Path(journal_root))
        if result.task_id is None:
            raise RuntimeError(f"{name}: the submission created no task (stopped at {result.stage})")
        tasks[name] = result.task_id
        if then == "stop":
            time.sleep(0.5)
            api.task.stop_task(task_param_list=[result.task_id])
    return tasks


def _with_problems(desc: Any) -> Any:
    """The Maya sample as artists often submit it: unsaved, a texture missing, a plugin a patch behind."""
    from rv_dcc.scene.model import AssetRef, Plugin

    missing = AssetRef(path=os.path.join(os.path.dirname(desc.scene_file), "sourceimages", "wallpaper_<UDIM>.tx"),
                       node="wallpaper_file", attribute="fileTextureName", kind="texture")
    plugins = [Plugin(name=plugin.name, version="5.3.3") if plugin.name == "mtoa" else plugin
               for plugin in desc.plugins]
    return desc.model_copy(update={"scene_saved": False, "assets": list(desc.assets) + [missing],
                                   "plugins": plugins, "frame_end": 240})


class _ShowAdapter:
    """A stand-in host adapter for the pictures, so that the fix buttons a DCC offers (Select, Save
    scene) are shown; nothing is clicked during a screenshot session, and it changes nothing."""

    name = "maya"

    def __init__(self, desc: Any) -> None:
        self._desc, self._settings = desc, {}  # type: Any, Dict[str, Any]

    def app_version(self) -> str:
        return str(self._desc.host_version)

    def describe_scene(self) -> Any:
        return self._desc

    def save_scene(self) -> None:
        self._desc = self._desc.model_copy(update={"scene_saved": True})

    def main_window(self) -> Any:
        return None

    def load_settings(self) -> Dict[str, Any]:
        return dict(self._settings)

    def store_settings(self, settings: Dict[str, Any]) -> None:
        self._settings = dict(settings)

    def select(self, node: str) -> bool:
        return True


def _pump(app: Any, seconds: float, until: Any = None) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if until is not None and until():
            return True
        time.sleep(0.02)
    return until is None


def _check(widget: Any, path: Path, found: Dict[str, List[str]]) -> None:
    """Record the text ``widget`` cuts off (rv_dcc.ui.clipping) under the picture's name."""
    from rv_dcc.ui.clipping import clipped

    found[path.name] = clipped(widget)


def _grab(widget: Any, path: Path) -> str:
    widget.repaint()
    pixmap = widget.grab()
    pixmap.save(str(path))
    log.info("wrote %s (%dx%d)", path, pixmap.width(), pixmap.height())
    return str(path)


def take(out_dir: str, start_farm: Callable[..., ContextManager[Any]], languages: Sequence[str] = ("en", "zh_CN"),
         speed: float = 30.0, settle: float = 5.0) -> List[str]:
    """Run the whole screenshot session; returns the PNG paths written.

    ``start_farm(data_dir, speed=, fail_rate=)`` is a context manager yielding a running local
    farm with its client as ``.api`` (rv_dcc.app.local_farm.local_farm).
    """
    from qtpy import QtWidgets

    from rv_dcc.scene.io import load_description

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    written: List[str] = []
    found: Dict[str, List[str]] = {}  # picture -> text cut off in it
    with tempfile.TemporaryDirectory(prefix="rv_dcc_screens_") as temp:
        os.environ.setdefault("RV_DCC_CONFIG_DIR", os.path.join(temp, "config"))
        with start_farm(os.path.join(temp, "farm"), speed=speed, fail_rate=0.06) as farm:
            api = farm.api
            tasks = seed_farm(api, os.path.join(temp, "journals"))
            time.sleep(settle)
            desc = _with_problems(load_description(str(SAMPLES / "maya.json")))
            for lang in languages:
                _one_language(app, api, desc, tasks, lang, temp, out, written, found)
    from rv_dcc.fsutil import atomic_write_json

    clipped_file = out / "clipped.json"
    atomic_write_json(str(clipped_file), found)
    written.append(str(clipped_file))
    return written



def _one_language(app: Any, api: Any, desc: Any, tasks: Dict[str, int], lang: str, temp: str, out: Path,
                  written: List[str], found: Dict[str, List[str]]) -> None:
    """The submit view, the monitor and the sign-in dialog in ``lang``; the window is shut down
    whatever happens (a window left polling at exit takes the interpreter down)."""
    from rv_dcc.monitor.thumbs import ThumbnailCache
    from rv_dcc.ui import i18n, style
    from rv_dcc.ui.monitor_controller import MonitorController
    from rv_dcc.ui.panel import PanelWindow
    from rv_dcc.ui.signin_dialog import SignInDialog
    from rv_dcc.ui.submit_controller import SubmitController

    i18n.set_language(lang)
    monitor = MonitorController(api, thumbnails=ThumbnailCache(os.path.join(temp, "thumbs")), fast=1.0)
    submit = SubmitController(desc, api, _ShowAdapter(desc))
    window = PanelWindow(api, None, desc, monitor=monitor, submit=submit)
    dialog = None
    try:
        window.resize(1280, 820)
        window.show()
        _pump(app, 30, lambda: submit.catalog is not None and submit.scan is not None and submit.funds is not None)
        _pump(app, 0.5)
        written.append(_grab(window, out / f"submit_{lang}.png"))
        _check(window, out / f"submit_{lang}.png", found)
        window.tabs.setCurrentWidget(window.monitor)
        view = window.monitor
        _pump(app, 15, lambda: view.tasks.rowCount() >= len(tasks))
        view.tree.expandAll()
        view.select_task(tasks["maya"])
        view.tree.setFocus()
        _pump(app, 20, lambda: view.thumbs.rowCount() > 0 and view.thumbs.loaded() >= min(
            view.thumbs.rowCount(), 24))
        _pump(app, 1.0)
        written.append(_grab(window, out / f"monitor_{lang}.png"))
        _check(window, out / f"monitor_{lang}.png", found)
        dialog = SignInDialog(window, access_id="", domain="jop.foxrenderfarm.com", platform="2")
        style.apply(dialog, lang)
        dialog.show()
        _pump(app, 0.3)
        written.append(_grab(dialog, out / f"signin_{lang}.png"))
        _check(dialog, out / f"signin_{lang}.png", found)
    finally:
        if dialog is not None:
            dialog.close()
        window.shutdown()
        window.close()
        window.deleteLater()
        _pump(app, 0.2)


def main(out_dir: str, start_farm: Callable[..., ContextManager[Any]], lang: Optional[str] = None) -> List[str]:
    """Entry point for the command: both languages unless ``lang`` names one."""
    languages = [lang] if lang and lang != "auto" else ["en", "zh_CN"]
    return take(out_dir, start_farm, languages)
