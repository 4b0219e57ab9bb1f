"""Drives a real Blender window the way an artist would (run by test_blender_gui.py, inside Blender).

``blender --factory-startup SCENE --python gui_driver.py`` under Xvfb, with $RV_DCC_GUI_OUT the
artifacts folder. A ``bpy.app.timers`` function walks through the steps, one per call, so
Blender keeps drawing between them: the big editor switched to Preferences > Add-ons, search
"Fox", enable the add-on, back to the 3D view;
Properties > Render, search "Fox" (which opens the matching, default-closed panel); press
Submit and Refresh (operators invoked with 'INVOKE_DEFAULT' under the window's context
override, as a click runs them); wait until the panel has the task's progress and a thumbnail;
then, with the farm paused by the test (a request hangs), disable the add-on and time it.
Screenshots (``bpy.ops.screen.screenshot``) of each step go to the artifacts folder, and what
the driver saw to ``result.json``. Only observed: the add-on's own module state, never called.
"""
import json
import os
import sys
import threading
import time
import traceback

import bpy

OUT = os.environ["RV_DCC_GUI_OUT"]
MODULE = "rv_dcc_blender"
WAIT_FOR_TASK = 420.0  # from Refresh: the farm renders the 10 frames for real (about 90 s here)
result = {"steps": [], "screenshots": [], "errors": [], "refused": [], "blender": bpy.app.version_string,
          "python": list(sys.version_info[:3])}
_step = [0]
_since = [0.0]
_main_thread = threading.main_thread()


def _record_worker_imports(event, args):
    """Audit hook: every module first imported off Blender's main thread (the add-on imports what its
    worker needs on the main thread: a compiled extension initialised on a worker segfaulted 3.4)."""
    if event == "import" and threading.current_thread() is not _main_thread:
        result["worker_imports"].append(args[0])


result["worker_imports"] = []
sys.addaudithook(_record_worker_imports)  # this Blender is the test's own: nothing else to disturb


def log(name, **facts):
    result["steps"].append(dict(facts, step=name, t=round(time.time(), 3)))
    print("GUI-DRIVER", name, json.dumps(facts, default=str), flush=True)


def main_window():
    return bpy.context.window_manager.windows[0]


def area(window, kind):
    return next(a for a in window.screen.areas if a.type == kind)


def region(area_, kind="WINDOW"):
    return next(r for r in area_.regions if r.type == kind)


def screenshot(name, window=None):
    window = window or main_window()
    path = os.path.join(OUT, "%s.png" % name)
    with bpy.context.temp_override(window=window, screen=window.screen, area=window.screen.areas[0]):
        bpy.ops.screen.screenshot(filepath=path)
    result["screenshots"].append({"name": name, "path": path, "window": [window.width, window.height]})


def bounds(area_):
    return {"x": area_.x, "y": area_.y, "width": area_.width, "height": area_.height}


def props_bounds():
    return bounds(area(main_window(), "PROPERTIES"))


class NotNow(Exception):
    """Blender refused an operator call from the timer ("can't modify blend data in this state
    (drawing/rendering)"): seen now and then on Blender 3.4 under Xvfb; the step is tried again on
    the next tick, as a click would simply land a moment later. Each refusal is recorded."""


def invoke(operator, window, area_, **properties):
    """Run an operator as a click in ``area_`` does: INVOKE_DEFAULT under that window's context."""
    with bpy.context.temp_override(window=window, screen=window.screen, area=area_, region=region(area_)):
        try:
            return sorted(operator("INVOKE_DEFAULT", **properties))
        except RuntimeError as exc:
            if "can't modify blend data in this state" not in str(exc) or len(result["refused"]) >= 40:
                raise
            result["refused"].append([_step[0], str(exc)])
            raise NotNow() from None


def live():
    return sys.modules.get("rv_dcc_hosts.blender.live")


def scroll_to_the_end(window):
    """Scroll the Properties editor down as the mouse wheel does, until the task list's end shows."""
    props = area(window, "PROPERTIES")
    for _ in range(10):
        invoke(bpy.ops.view2d.scroll_down, window, props, deltay=100)


def finish():
    import sysconfig
    from importlib.machinery import EXTENSION_SUFFIXES

    python_own = tuple(os.path.realpath(sysconfig.get_paths()[key]) for key in ("stdlib", "platstdlib"))

    def third_party_extension(name):
        origin = str(getattr(getattr(sys.modules.get(name), "__spec__", None), "origin", None) or "")
        return origin.endswith(tuple(EXTENSION_SUFFIXES)) and not os.path.realpath(origin).startswith(python_own)

    result["worker_extensions"] = sorted(name for name in set(result["worker_imports"]) if third_party_extension(name))
    with open(os.path.join(OUT, "result.json"), "w") as handle:
        json.dump(result, handle, indent=2, default=str)
    try:
        bpy.ops.wm.quit_blender()
    except Exception:  # Blender refuses operators now (see the error recorded): end it anyway
        traceback.print_exc()
        os._exit(3)


def step():  # noqa: C901 - one branch per step of the walk-through
    number = _step[0]
    try:
        window = main_window()
        if number == 0:
            screenshot("01_scene_opened")
            # Editor Type > Preferences on the big editor (no second window to open and close)
            area(window, "VIEW_3D").type = "PREFERENCES"
            bpy.context.preferences.active_section = "ADDONS"
            bpy.context.window_manager.addon_search = "Fox"
            log("preferences_opened", bounds=bounds(area(window, "PREFERENCES")))
        elif number == 1:
            screenshot("02_addons_found")
            started = time.perf_counter()
            # the add-on row's checkbox is this operator with module set (scripts/startup/bl_ui/space_userpref.py)
            outcome = invoke(bpy.ops.preferences.addon_enable, window, area(window, "PREFERENCES"), module=MODULE)
            log("addon_enabled", outcome=outcome, seconds=time.perf_counter() - started,
                registered=hasattr(bpy.types, "RVDCC_PT_tasks"),
                heavy=[m for m in ("requests", "pydantic", "PySide6") if m in sys.modules])
        elif number == 2:
            screenshot("03_addon_enabled")
            area(window, "PREFERENCES").type = "VIEW_3D"
            props = area(window, "PROPERTIES")
            props.spaces.active.context = "RENDER"
            props.spaces.active.search_filter = "Fox"  # the artist types in the Properties search field
            log("render_properties")
        elif number == 3:
            log("properties_shown", bounds=props_bounds(), screen=window.screen.name)
            screenshot("04_render_properties")
            props = area(window, "PROPERTIES")
            log("submit", outcome=invoke(bpy.ops.rv_dcc.submit, window, props),
                dirty=bpy.data.is_dirty, file=bpy.data.filepath)
        elif number == 4:
            log("refresh", outcome=invoke(bpy.ops.rv_dcc.refresh, window, area(window, "PROPERTIES")))
            _since[0] = time.time()
        elif number == 5:  # waiting: the same step until the panel has progress and a thumbnail
            module = live()
            state = module.state if module else None
            ready = state and any(state.tasks[t]["done"] >= 1 and state.thumbnails.get(t) in module._icons
                                  for t in state.order)
            if not ready:
                if time.time() - _since[0] > WAIT_FOR_TASK:
                    raise TimeoutError("no task progress with a thumbnail in the panel after %d s: %r"
                                       % (WAIT_FOR_TASK, state and (state.tasks, state.thumbnails, state.error)))
                return 0.5
            log("progress_shown", tasks=list(state.tasks.values()), thumbnails=dict(state.thumbnails),
                icons={p: i for p, i in module._icons.items()})
            _step[0] += 1
            return 1.5  # let the panel draw the thumbnail before the screenshot
        elif number == 6:
            scroll_to_the_end(window)
            _step[0] += 1
            return 1.0
        elif number == 7:
            screenshot("05_progress_and_thumbnail")
            log("screenshot_progress", bounds=props_bounds())
        elif number == 8:  # until the task has ended (all frames): the final row
            module = live()
            state = module.state
            ended = state.order and all(state.tasks[t]["status"] in (25, 30, 45) for t in state.order)
            if not ended:
                if time.time() - _since[0] > WAIT_FOR_TASK:
                    raise TimeoutError("the task did not end in %d s: %r" % (WAIT_FOR_TASK, state.tasks))
                return 0.5
            log("task_ended", tasks=list(state.tasks.values()), thumbnails=dict(state.thumbnails))
            _step[0] += 1
            return 1.5
        elif number == 9:
            scroll_to_the_end(window)
            screenshot("06_task_finished")
            log("pause_farm_requested")  # the test stops the farm process: the next request hangs
        elif number == 10:
            if not os.path.exists(os.path.join(OUT, "farm_paused")):
                return 0.2
            invoke(bpy.ops.rv_dcc.refresh, window, area(window, "PROPERTIES"))  # a request that never returns
            log("farm_paused")
            _step[0] += 1
            return 1.0
        elif number == 11:
            threads = [t.name for t in threading.enumerate()]
            started = time.perf_counter()
            outcome = invoke(bpy.ops.preferences.addon_disable, window, area(window, "PROPERTIES"), module=MODULE)
            took = time.perf_counter() - started
            log("addon_disabled", outcome=outcome, seconds=took, threads_before=threads,
                registered=hasattr(bpy.types, "RVDCC_PT_tasks"),
                timer=bool(live() and bpy.app.timers.is_registered(live().tick)))
        elif number == 12:
            screenshot("07_addon_disabled")
            finish()
            return None
        _step[0] += 1
        return 1.0
    except NotNow:
        return 0.25
    except Exception:
        result["errors"].append(traceback.format_exc())
        traceback.print_exc()
        finish()
        return None


bpy.app.timers.register(step, first_interval=2.0)
