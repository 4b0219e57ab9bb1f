"""Fix buttons of the checks list, as data: which fixes an Issue offers and what each one does.

Plain Python (no Qt), used by :class:`~rv_dcc.ui.submit_controller.SubmitController`. ``fixes_for``
turns an Issue into zero or more :class:`Fix` (an id, a label in the panel's language and an
argument); the view draws one button per Fix and hands a click back to the controller, which
calls ``apply_fix`` and re-runs the checks. A fix either changes the submit options (a picked
software version, frames per machine, the render node OS, the memory asked for), calls the host
adapter (select the culprit; save the scene — only ever because the artist clicked), or asks the
view to do something only it can (focus a field, put a path on the clipboard) through
:class:`FixResult`. Nothing here touches the scene otherwise (LESSONS 2).
"""
import logging
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from rv_dcc.scene.adapter import NodeSelector, SceneDescriber, SceneSaver
from rv_dcc.ui.i18n import tr

log = logging.getLogger("rv_dcc.ui.submit_fixes")

# Fix ids (the view and the tests refer to them by these names).
SELECT = "select"
SAVE_SCENE = "save_scene"
USE_HOST = "use_host"
USE_PLUGIN = "use_plugin"
FOCUS = "focus"
RESET_FRAMES = "reset_frames"
FRAMES_PER_TASK = "frames_per_task"
COPY_PATH = "copy_path"
USE_WINDOWS = "use_windows"
SET_RAM = "set_ram"

#: issue code -> the dialog field that fixes it (FixResult.focus names these).
_FOCUS = {"frames.bad_spec": "frames", "frames.bad_test_spec": "test_custom", "frames.test_outside": "test_custom",
          "output.none": "output", "layers.none": "layers", "layers.unknown": "layers", "camera.unknown": "cameras",
          "node.hardware_unknown": "machine", "node.hardware_refuses": "machine", "node.gpu_on_cpu": "machine"}
#: issue codes whose node is not something the host can select (plugin names, "scene file", ...).
_NOT_SELECTABLE = ("software.", "paths.", "scene.", "node.")


@dataclass(frozen=True)
class Fix:
    """One button on an issue: ``id`` says what it does, ``arg`` with what."""

    id: str
    label: str
    arg: Any = None


@dataclass
class FixResult:
    """What happened, and what the view still has to do."""

    ok: bool = True
    focus: str = ""            #: name of the field to focus ("frames", "output", ...)
    clipboard: str = ""        #: text to put on the clipboard
    message: str = ""          #: a line for the dialog's status
    rescan: bool = False       #: the scene changed on disk (saved): describe and scan again
    reload_catalog: bool = False  #: the render node OS changed: read the catalog again


def fixes_for(issue: Any, controller: Any) -> List[Fix]:
    """The fixes offered for ``issue`` in the state of ``controller`` (adapter, catalog, options)."""
    fixes: List[Fix] = []
    code = issue.code
    adapter = controller.adapter
    if issue.node and isinstance(adapter, NodeSelector) and not code.startswith(_NOT_SELECTABLE):
        fixes.append(Fix(SELECT, tr("submit.select"), issue.node))
    if code in ("scene.modified", "scene.missing") and isinstance(adapter, SceneSaver):
        fixes.append(Fix(SAVE_SCENE, tr("fix.save_scene")))
    if code == "assets.missing" and issue.detail:
        fixes.append(Fix(COPY_PATH, tr("fix.copy_path"), issue.detail))
    if code == "software.host_nearest":
        chosen = _env_item(controller, "host")
        if chosen is not None and chosen.chosen:
            fixes.append(Fix(USE_HOST, tr("fix.use", version=f"{chosen.name} {chosen.chosen}"), chosen.chosen))
    if code == "software.plugin_nearest":
        plugin = _env_item(controller, issue.node)
        if plugin is not None and plugin.chosen:
            fixes.append(Fix(USE_PLUGIN, tr("fix.use", version=f"{plugin.name} {plugin.chosen}"),
                             (plugin.name, plugin.chosen)))
    if code == "software.plugin_missing":
        version = host_version_with_plugin(controller, issue.node)
        if version:
            host = controller.env.software.name if controller.env is not None else ""
            fixes.append(Fix(USE_HOST, tr("fix.use", version=f"{host} {version}".strip()), version))
    if code in _FOCUS:
        fixes.append(Fix(FOCUS, tr("fix.focus." + _FOCUS[code]), _FOCUS[code]))
    if code == "frames.bad_spec":
        fixes.append(Fix(RESET_FRAMES, tr("fix.reset_frames")))
    if code == "frames.one_per_machine":
        per = int(issue.params.get("per", 0) or 0)
        if per > 1:
            fixes.append(Fix(FRAMES_PER_TASK, tr("fix.frames_per_task", n=per), per))
    if code == "node.os_unsupported":
        fixes.append(Fix(USE_WINDOWS, tr("fix.use_windows")))
    if code == "node.ram_mismatch" and issue.params.get("has") in ("64", "128"):
        fixes.append(Fix(SET_RAM, tr("fix.set_ram", gb=issue.params["has"]), issue.params["has"]))
    return fixes


def apply_fix(controller: Any, issue: Any, fix: Fix) -> FixResult:
    """Do ``fix`` for ``issue``; the controller re-runs the checks afterwards."""
    if fix.id == SELECT:
        ok = controller.select(fix.arg)
        return FixResult(ok=ok, message="" if ok else tr("fix.select_failed", node=fix.arg))
    if fix.id == SAVE_SCENE:
        return _save_scene(controller)
    if fix.id == COPY_PATH:
        return FixResult(clipboard=str(fix.arg), message=tr("fix.copied", path=fix.arg))
    if fix.id == USE_HOST:
        return _options(controller, cg_version=fix.arg, plugin_versions={})
    if fix.id == USE_PLUGIN:
        name, version = fix.arg
        return _options(controller, plugin_versions={**controller.options.plugin_versions, name: version})
    if fix.id == FOCUS:
        return FixResult(focus=str(fix.arg))
    if fix.id == RESET_FRAMES:
        return _options(controller, frames=None)
    if fix.id == FRAMES_PER_TASK:
        return _options(controller, frames_per_task=int(fix.arg))
    if fix.id == USE_WINDOWS:
        result = _options(controller, os_name="1")
        result.reload_catalog = result.ok
        return result
    if fix.id == SET_RAM:
        return _options(controller, ram=str(fix.arg))
    raise ValueError(f"unknown fix {fix.id!r}")


def _options(controller: Any, **changes: Any) -> FixResult:
    errors = controller.update(**changes)
    return FixResult(ok=not errors, message="; ".join(errors))


def _save_scene(controller: Any) -> FixResult:
    adapter = controller.adapter
    if not isinstance(adapter, SceneSaver):  # offered only when it is one (fixes_for)
        return FixResult(ok=False)
    try:
        adapter.save_scene()
    except Exception as error:  # noqa: BLE001 - the host refused (read-only file, ...): say so, keep going
        log.info("could not save the scene: %s", error)
        return FixResult(ok=False, message=tr("fix.save_failed", error=error))
    desc: Optional[Any] = None
    try:
        if isinstance(adapter, SceneDescriber):
            desc = adapter.describe_scene()  # the saved scene, as the host now reports it
    except Exception as error:  # noqa: BLE001
        log.info("could not describe the saved scene: %s", error)
    if desc is None:
        desc = controller.desc.model_copy(update={"scene_saved": True})
    controller.set_description(desc)
    return FixResult(rescan=True, message=tr("fix.saved"))


def _env_item(controller: Any, name: str) -> Optional[Any]:
    env = controller.env
    if env is None:
        return None
    if name == "host":
        return env.software
    return next((p for p in env.plugins if p.name == name), None)


def host_version_with_plugin(controller: Any, plugin: str) -> Optional[str]:
    """The offered host version nearest to the scene's that offers ``plugin`` (None: none does)."""
    from rv_dcc.submit.render_env import version_numbers

    catalog, desc = controller.catalog, controller.desc
    if catalog is None or desc is None or not plugin:
        return None
    wanted = version_numbers(desc.host_version)
    candidates: List[Tuple[Tuple[int, ...], Tuple[int, ...], str]] = []
    for version in catalog.versions:
        if catalog.plugin_versions(version.id, plugin):
            got = version_numbers(version.cg_version)
            width = max(len(got), len(wanted))
            a, b = got + (0,) * (width - len(got)), wanted + (0,) * (width - len(wanted))
            # nearest first, major number first; on a tie the newer (as render_env.match_version)
            candidates.append((tuple(abs(x - y) for x, y in zip(a, b)), tuple(-n for n in a), version.cg_version))
    return min(candidates)[2] if candidates else None
