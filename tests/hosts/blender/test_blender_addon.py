"""The add-on and extension shims in a real (background) bpy: registration, the Render-menu
operator opening the panel in its own process, the native task panel's drain and thumbnails,
settings coming back from the panel process, and the start-up import cost."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from blender_helpers import needs_bpy, run_bpy

pytestmark = [pytest.mark.blender, needs_bpy]

ROOT = Path(__file__).resolve().parents[3]
ADDON = ROOT / "resources" / "blender" / "addon" / "rv_dcc_blender" / "__init__.py"
EXTENSION = ROOT / "resources" / "blender" / "extension" / "__init__.py"

#: Stands in for `python -m rv_dcc panel --description FILE`: records its argv, then writes new
#: settings the way the panel does when the artist changes something.
FAKE_PANEL = """#!{python}
import json, os, sys
folder = os.path.dirname(sys.argv[-1])
desc = json.load(open(sys.argv[-1]))
json.dump({{"argv": sys.argv[1:], "settings_file": desc["settings"]["rv_dcc_settings_file"],
           "stored": desc["settings"]["rv_dcc_settings"], "host": desc["host"]}},
          open({record!r}, "w"))
with open(desc["settings"]["rv_dcc_settings_file"] + ".tmp", "w") as f:
    json.dump({{"priority": 60, "frames": "1-5"}}, f)
os.replace(desc["settings"]["rv_dcc_settings_file"] + ".tmp", desc["settings"]["rv_dcc_settings_file"])
"""

LOAD_SHIM = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("rv_dcc_blender", {path!r})
shim = importlib.util.module_from_spec(spec); sys.modules["rv_dcc_blender"] = shim; spec.loader.exec_module(shim)
"""


@pytest.mark.parametrize("shim", [ADDON, EXTENSION], ids=["addon", "extension"])
def test_register_adds_menu_entry_operators_and_panel_and_unregister_removes_them(shim):
    result = run_bpy("import bpy, json\n" + LOAD_SHIM.format(path=str(shim)) + """
shim.register()
from rv_dcc_hosts.blender import startup
draw_funcs = [f.__name__ for f in bpy.types.TOPBAR_MT_render._dyn_ui_initialize()]
state = [hasattr(bpy.types, "RVDCC_PT_tasks"), "_menu" in draw_funcs,
         bpy.ops.rv_dcc.submit.get_rna_type().name, startup._config_dir]
heavy = [m for m in ("requests", "pydantic", "qtpy", "PySide6", "PyQt5") if m in sys.modules]
shim.unregister()
after = [hasattr(bpy.types, "RVDCC_PT_tasks"), "_menu" in [f.__name__ for f in bpy.types.TOPBAR_MT_render._dyn_ui_initialize()]]
print("RESULT:" + json.dumps([state, heavy, after]))
""")
    state, heavy, after = result
    assert state == [True, True, "Submit to Fox Renderfarm\u2026", str(shim.parent)]
    assert heavy == []
    assert after == [False, False]


def test_submit_opens_the_panel_in_its_own_process_and_settings_come_back(project, tmp_path):
    record = tmp_path / "record.json"
    panel = tmp_path / "fake_python"
    panel.write_text(FAKE_PANEL.format(python=sys.executable, record=str(record)))
    panel.chmod(0o755)
    result = run_bpy("import bpy, json, time, os\n" + """
bpy.ops.wm.open_mainfile(filepath=%r)
bpy.context.scene["rv_dcc_settings"] = json.dumps({"priority": 50})
""" % str(project / "shot.blend") + LOAD_SHIM.format(path=str(ADDON)) + """
shim.register()
from rv_dcc_hosts.blender import live, monitor
class Quiet(monitor.TaskPoller):
    def start(self): pass
live.ensure_poller(Quiet(None))   # no farm in this test
started = time.time()
assert bpy.ops.rv_dcc.submit() == {"FINISHED"}
elapsed = time.time() - started
for _ in range(200):
    if "settings" in live.step():
        break
    time.sleep(0.05)
stored = json.loads(bpy.context.scene["rv_dcc_settings"])
timer = bpy.app.timers.is_registered(live.tick)
shim.unregister()
print("RESULT:" + json.dumps([stored, timer, bpy.app.timers.is_registered(live.tick), elapsed]))
""", env={"RV_DCC_PYTHON": str(panel)})
    stored, timer_on, timer_after, elapsed = result
    assert stored == {"priority": 60, "frames": "1-5"}  # written by the panel process, now in the scene
    assert timer_on is True and timer_after is False
    seen = json.loads(record.read_text())
    assert seen["argv"][:4] == ["-m", "rv_dcc", "panel", "--description"]
    assert seen["argv"][4].endswith("description.json") and seen["host"] == "blender"
    assert seen["stored"] == {"priority": 50}


def test_submit_without_a_panel_python_reports_what_to_install(project):
    result = run_bpy("import bpy, json\n" + LOAD_SHIM.format(path=str(ADDON)) + """
import importlib.util
from rv_dcc_hosts.blender import launch
launch._has_qt = lambda: False
shim.register()
try:
    bpy.ops.rv_dcc.submit()
    outcome = "ran"
except RuntimeError as exc:   # background mode turns an ERROR report into an exception
    outcome = str(exc)
shim.unregister()
print("RESULT:" + json.dumps(outcome))
""", env={"RV_DCC_PYTHON": ""})
    assert "needs a Python with rv_dcc and Qt" in result and "rv-dcc install blender" in result


def test_timer_drains_results_and_loads_thumbnails_as_previews(tmp_path):
    result = run_bpy("import bpy, json, os\n" + """
bpy.ops.wm.read_factory_settings(use_empty=True)
png = os.path.join(%r, "thumb.png")
img = bpy.data.images.new("t", 8, 6); img.filepath_raw = png; img.file_format = "PNG"; img.save()
bpy.data.images.remove(img)
images_before = len(bpy.data.images)
from rv_dcc_hosts.blender import live, monitor
from rv_dcc.monitor.source import Page
class Source:
    def task_page(self, query):
        return Page(items=[{"id": 5, "sceneName": "", "taskStatus": 5, "totalFrames": 4, "doneFrames": 1}])
poller = monitor.TaskPoller(Source(), lambda row: ("f1", png), fast=0.05)
live.ensure_poller(poller)
applied = []
import time
for _ in range(100):
    applied += live.step()
    if "thumbnail" in applied:
        break
    time.sleep(0.05)
preview = live.preview(png)
out = [sorted(set(applied)), live.state.order, live.state.progress(5), list(preview.image_size),
       len(bpy.data.images) == images_before, bpy.app.timers.is_registered(live.tick), live.tick()]
live.shutdown()
out.append(poller.running)
print("RESULT:" + json.dumps(out))
""" % str(tmp_path))
    applied, order, progress, size, no_new_datablocks, timer, next_tick, running_after = result
    assert "tasks" in applied and "thumbnail" in applied
    assert order == [5] and progress == 0.25
    assert size == [8, 6]
    assert no_new_datablocks  # previews, not bpy.data: nothing is added to the artist's file
    assert timer is True and next_tick == 0.5 and running_after is False


def _our_import_cost(module: str) -> tuple:
    code = ("import bpy, sys\nbefore = set(sys.modules)\nimport %s\n"
            "print(sorted(set(sys.modules) - before))" % module)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    loaded = eval(proc.stdout.strip().splitlines()[-1])
    total_us = 0
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if match and not match.group(3) and match.group(4).split(".")[0] == "rv_dcc_hosts":
            total_us += int(match.group(2))  # top-level entries only: cumulative already has children
    return loaded, total_us


def test_startup_module_is_cheap_and_pulls_in_nothing_heavy():
    loaded, total_us = _our_import_cost("rv_dcc_hosts.blender.startup")
    heavy = [m for m in loaded if m.split(".")[0] in ("requests", "pydantic", "pydantic_core", "qtpy",
                                                     "PySide6", "PyQt5", "urllib3", "rv_dcc")]
    assert heavy == []
    ours = {"rv_dcc_hosts", "rv_dcc_hosts.blender", "rv_dcc_hosts.blender.startup"}
    assert ours <= set(loaded)
    others = [m for m in set(loaded) - ours if m.split(".")[0] not in sys.stdlib_module_names]
    assert others == [], "start-up imports more than the standard library: %s" % others
    # what is imported is the check; its time (total_us) is not asserted: a clock fails on a busy machine


def test_a_newer_frame_replaces_the_preview_and_the_old_one_is_released(tmp_path):
    result = run_bpy("import bpy, json, os, time\n" + """
bpy.ops.wm.read_factory_settings(use_empty=True)
paths = []
for n, size in ((1, 8), (2, 12)):
    path = os.path.join(%r, "thumb%%d.png" %% n)
    img = bpy.data.images.new("t", size, 4); img.filepath_raw = path; img.file_format = "PNG"; img.save()
    bpy.data.images.remove(img)
    paths.append(path)
from rv_dcc_hosts.blender import live, monitor
from rv_dcc.monitor.source import Page
rows = [{"id": 9, "sceneName": "", "taskStatus": 5, "totalFrames": 4, "doneFrames": 1}]
class Source:
    def task_page(self, query):
        return Page(items=[dict(r) for r in rows])
frames = iter([("f1", paths[0]), ("f2", paths[1])])
poller = monitor.TaskPoller(Source(), lambda row: next(frames))
live._poller = poller  # not started: polled by hand below, one poll per finished frame
seen = []
for done in (1, 2):
    rows[0] = dict(rows[0], doneFrames=done)
    poller.poll_once()
    live.step(budget=1.0)
    seen.append([list(live.preview(p).image_size) if live.preview(p) else None for p in paths])
live.shutdown()
print("RESULT:" + json.dumps(seen))
""" % str(tmp_path))
    assert result == [[[8, 4], None], [None, [12, 4]]]
