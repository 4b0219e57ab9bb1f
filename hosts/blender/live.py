"""Blender's side of the task panel: the timer that drains the poller, thumbnails, drawing.

Loaded the first time the panel is drawn or the artist submits, never at Blender start-up.
``tick`` runs from ``bpy.app.timers`` on the main thread: it applies the poller's results within
a few milliseconds, loads new thumbnails into a ``bpy.utils.previews`` collection (not into
``bpy.data``, so nothing is added to the artist's file), stores settings the panel process
wrote back, and tags the Properties editor for redraw only when something changed.
"""
import logging
from typing import Any, Dict, List, Optional

import bpy

from rv_dcc.api.status import TaskStatus as T
from rv_dcc_hosts.blender.monitor import MonitorState, TaskPoller, drain

log = logging.getLogger("rv_dcc.hosts.blender.live")

#: main-thread time one tick may spend applying results (seconds)
BUDGET = 0.004
#: seconds between ticks
TICK = 0.5
#: tasks drawn in the panel
SHOWN = 8
#: a coloured square per state (icons of Blender 2.91+ and 5.x): waiting yellow, rendering blue,
#: finished green, finished with failed frames / failed red, stopped or abandoned brown
STATE_ICONS = {"waiting": "COLLECTION_COLOR_03", "rendering": "COLLECTION_COLOR_05", "done": "COLLECTION_COLOR_04",
               "failed": "COLLECTION_COLOR_01", "stopped": "COLLECTION_COLOR_08"}
_STATES: Dict[int, str] = {
    T.RENDERING: "rendering", T.FINISHED: "done", T.TEST_FINISHED: "done", T.FINISHED_WITH_FAILURES: "failed",
    T.FAILED: "failed", T.STOPPED: "stopped", T.STOPPED_BY_USER: "stopped", T.STOPPED_ARREARS: "stopped",
    T.STOPPED_TIMEOUT: "stopped", T.ABANDONED: "stopped"}


def state_icon(status: int) -> str:
    """The icon of a task status (spec: getTaskList taskStatus); anything else is waiting."""
    return STATE_ICONS[_STATES.get(status, "waiting")]

state = MonitorState()
_poller: Optional[TaskPoller] = None
_previews: Any = None
_icons: Dict[str, int] = {}  # image path -> preview icon id
_watchers: List[Any] = []


def ensure_poller(poller: Optional[TaskPoller] = None) -> TaskPoller:
    """Start polling (once) and the timer that drains it. ``poller`` is for tests."""
    global _poller
    if _poller is None:
        if poller is None:
            from rv_dcc_hosts.blender.farm import default_poller, preload

            preload()  # on this (main) thread: never a compiled extension's first import on the worker
            poller = default_poller(bpy.data.filepath)
        _poller = poller
        _poller.start()
    if not bpy.app.timers.is_registered(tick):
        bpy.app.timers.register(tick, first_interval=TICK, persistent=True)
    return _poller


def watch_settings(watcher: Any) -> None:
    """Store in the scene whatever settings this watcher's panel process writes back."""
    _watchers.append(watcher)
    if not bpy.app.timers.is_registered(tick):
        bpy.app.timers.register(tick, first_interval=TICK, persistent=True)


def load_thumbnail(path: str) -> int:
    """The preview icon id of an image file, loading it on first use (main thread only)."""
    global _previews
    if _previews is None:
        from bpy.utils import previews

        _previews = previews.new()
    if path not in _previews:
        _previews.load(path, path, "IMAGE")
    _icons[path] = _previews[path].icon_id
    return _icons[path]


def preview(path: str) -> Any:
    """The loaded preview of ``path`` (None before ``load_thumbnail``)."""
    return _previews.get(path) if _previews is not None else None


def _release_unshown() -> None:
    """Free the previews of frames no task shows any more (a long render would pile them up)."""
    shown = set(state.thumbnails.values())
    for path in [p for p in _icons if p not in shown]:
        del _icons[path]
        if _previews is not None and path in _previews:
            del _previews[path]  # ImagePreviewCollection.__delitem__ releases the preview


def step(budget: float = BUDGET) -> List[str]:
    """One tick's work without the redraw: drain, load thumbnails, store returned settings."""
    applied: List[str] = []
    if _poller is not None:
        _poller.set_scene(bpy.data.filepath)  # saved under another name: follow it, drop old replies
        applied = drain(_poller.results, state, budget)
        if "thumbnail" in applied:
            for path in state.thumbnails.values():
                if path not in _icons:
                    load_thumbnail(path)
            _release_unshown()
    for watcher in _watchers:
        settings = watcher.changed()
        if settings is not None:
            from rv_dcc_hosts.blender.adapter import BlenderAdapter

            BlenderAdapter().store_settings(settings)
            applied.append("settings")
    return applied


def tick() -> float:
    """``bpy.app.timers`` callback: returns the delay until the next call."""
    try:
        if step():
            _redraw()
    except Exception:  # a timer that raises is dropped by Blender: log and keep ticking
        log.exception("task panel update failed")
    return TICK


def _redraw() -> None:
    window_manager = bpy.context.window_manager
    for window in getattr(window_manager, "windows", ()):
        for area in window.screen.areas:
            if area.type in {"PROPERTIES", "VIEW_3D"}:
                area.tag_redraw()


def _start() -> None:
    """One-shot timer: start polling for the panel that was drawn (returns None: not repeated)."""
    ensure_poller()


def draw(layout: Any) -> None:
    """Draw the task list into a panel layout (called by the panel's ``draw``)."""
    if _poller is None and not bpy.app.timers.is_registered(_start):
        bpy.app.timers.register(_start, first_interval=0.0)  # not inside a draw: it imports the client
    from rv_dcc.i18n import host_language, set_host_language, text

    locale = bpy.app.translations.locale  # Blender's interface language (bpy.app.translations docs)
    if locale != host_language():  # not every redraw: setting it makes the language be worked out again
        set_host_language(locale)
    row = layout.row(align=True)
    row.operator("rv_dcc.submit", icon="EXPORT")
    row.operator("rv_dcc.refresh", text="", icon="FILE_REFRESH")
    if state.error:
        layout.label(text=state.error, icon="ERROR")
    if not state.order:
        layout.label(text=text("blender.no_tasks") if state.updated else text("blender.asking"))
        return
    for task_id in state.order[:SHOWN]:
        task = state.tasks[task_id]
        box = layout.box()
        # the name on its own line (a narrow Properties editor would cut it short), the state beside the count
        box.label(text="%s  #%s" % (task["name"], task_id), icon=state_icon(task["status"]))
        line = text("blender.progress", n=task["total"], status=task["status_text"] or task["status"],
                    done=task["done"])
        if task["failed"]:
            line += text("blender.failed", n=task["failed"])
        if hasattr(box, "progress"):  # UILayout.progress: Blender 4.0+
            box.progress(factor=state.progress(task_id), type="BAR", text=line)
        else:
            box.label(text=line)
        path = state.thumbnails.get(task_id)
        if path and path in _icons:
            box.template_icon(icon_value=_icons[path], scale=6.0)


def shutdown() -> None:
    """Stop the poller and the timer and free the previews (add-on unregister). Never waits on
    the network: a request in flight finishes in its daemon thread and is discarded."""
    global _poller, _previews
    if _poller is not None:
        _poller.stop()
        _poller = None
    for timer in (tick, _start):
        if bpy.app.timers.is_registered(timer):
            bpy.app.timers.unregister(timer)
    if _previews is not None:
        from bpy.utils import previews

        previews.remove(_previews)
        _previews = None
    _icons.clear()
    _watchers.clear()
    state.__init__()  # type: ignore[misc]
