"""A real .blend, described through the adapter, submitted through the real pipeline to the
embedded farm over HTTP, rendered for real with bpy; its thumbnails and outputs must show THE
SCENE (make_farm_scene.py: green plane on the left, red textured cube on the right moving right
over frames 1-3). Then Blender's native task panel (poller, drain, previews) against that farm.

One farm and one submission serve the whole module (a real render costs seconds). The farm's
data folder is the default one of an isolated XDG_DATA_HOME, so the panel's "no account
configured" path finds it through the launcher, exactly as ``rv-dcc`` would.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from blender_helpers import HAS_BPY, HERE, run_bpy
from png_stats import colour_stats, mean_abs_difference

pytestmark = [pytest.mark.blender, pytest.mark.skipif(not HAS_BPY, reason="bpy is not installed")]

#: the cube's centre x per frame in scene units (make_farm_scene.CUBE_X); one unit = 1/16 of the width
CUBE_X = {1: 2.5, 2: 4.0, 3: 5.5}
SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"
ENV_CLEARED = ("RAYVISION_API_ACCESS_ID", "RAYVISION_API_KEY", "RAYVISION_API_DOMAIN", "RAYVISION_API_PLATFORM",
               "RV_DCC_CRASH_AT", "RV_DCC_TRANSMITTER")


def _md5(path):
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def _expected_centre(frame, width):
    return width / 2.0 + CUBE_X[frame] * width / 16.0


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Build, describe, check, submit, render; yields what the tests look at."""
    root = tmp_path_factory.mktemp("blender_farm")
    patch = pytest.MonkeyPatch()
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        patch.setenv(var, str(root / var.lower()))
    patch.setenv("RV_DCC_CONFIG_DIR", str(root / "config"))  # no account file: none configured
    patch.setenv("RV_DCC_JOURNALS", str(root / "journals"))
    for var in ENV_CLEARED:
        patch.delenv(var, raising=False)
    farm = api = None
    try:
        from rv_dcc.batch import describe_file
        from rv_dcc.farm import EmbeddedFarm, default_data_dir
        from rv_dcc.scene.io import load_description
        from rv_dcc.submit.options import SubmitOptions
        from rv_dcc.submit.pipeline import submit_scene
        from rv_dcc.submit.catalog_source import ApiCatalogSource
        from rv_dcc.submit.prepare import catalog_for, prepare, scan

        project = root / "project"
        subprocess.run([sys.executable, str(HERE / "make_farm_scene.py"), str(project)], check=True,
                       capture_output=True, timeout=120)
        blend, texture = project / "farm_shot.blend", project / "tex" / "red.png"
        texture_md5 = _md5(texture)
        desc = describe_file(str(blend), timeout=120)  # bpy in a child process, through the adapter

        farm = EmbeddedFarm(default_data_dir(), port=0, speed=200).start()
        assert farm.renderer.real_blender
        api = farm.client()
        options = SubmitOptions()
        scanned = scan(desc, use_cache=False)
        catalog = catalog_for(desc, options.os_name, ApiCatalogSource(api))
        prepared = prepare(desc, options, catalog, scanned)
        events = []
        result = submit_scene(api, desc, options, journal_root=root / "journals", progress=events.append,
                              catalog=catalog, scan=scanned, use_hash_cache=False)
        # The farm must render from what was uploaded: with the local texture gone, a render that
        # read it from here would show Blender's magenta "missing image" instead of red.
        texture.rename(texture.with_name("red.moved.png"))
        # a task of another scene on the same farm: the panel of farm_shot.blend must not list it
        other = submit_scene(api, load_description(str(SAMPLES / "maya.json")), options,
                             journal_root=root / "journals")
        assert other.submitted
        deadline, status = time.time() + 60, None
        while time.time() < deadline:
            info = api.query.task_info([result.task_id]).items[0]
            status = info.task_status
            if status in (25, 20, 30, 35, 40, 45):
                break
            time.sleep(0.2)
        yield SimpleNamespace(root=root, project=project, blend=blend, texture=texture, texture_md5=texture_md5,
                              desc=desc, prepared=prepared, result=result, events=events, farm=farm, api=api,
                              final_status=status)
    finally:
        if api is not None:
            api.close()
        if farm is not None:
            farm.stop()
            from rv_dcc.farm import launcher

            # had the panel's connection missed this farm, the launcher would have started one: end it
            launcher.stop_running(farm.data_dir)
        patch.undo()


def test_the_blend_is_described_through_the_adapter_and_checked(run):
    desc = run.desc
    assert desc.host == "blender" and desc.scene_file == str(run.blend) and desc.scene_saved
    assert (desc.frame_start, desc.frame_end, desc.frame_step) == (1, 3, 1)
    assert desc.settings["camera"] == "TopCam" and desc.renderer == "CYCLES"
    textures = [a for a in desc.assets if a.kind == "texture"]
    assert [(a.path, a.node, a.resolved) for a in textures] == [("//tex/red.png", "red.png", str(run.texture))]
    assert not run.prepared.blocking, [i.title for i in run.prepared.blocking]
    upload = run.prepared.files.upload_json
    assert {Path(item["local"]).name for item in upload["asset"]} >= {"red.png", "farm_shot.blend"}
    assert run.prepared.files.task_json["scene_info_render"]["common"]["camera_name"] == "TopCam"


def test_the_pipeline_submitted_and_uploaded_the_scene_and_its_texture(run):
    assert run.result.submitted and run.result.task_id
    assert {"check", "create", "config", "upload", "submit"} <= {e.stage for e in run.events}
    upload = json.loads((run.result.journal / "upload.json").read_text())
    storage = Path(run.farm.data_dir) / "storage" / "input"
    stored = {Path(e["local"]).name: storage / e["server"].lstrip("/") for e in upload["asset"] + upload["scene"]}
    assert _md5(stored["red.png"]) == run.texture_md5  # the texture, byte for byte, in input storage
    assert _md5(stored["farm_shot.blend"]) == _md5(run.blend)
    assert run.final_status == 25, "task ended with status %s" % run.final_status


def _frames(run):
    from rv_dcc.monitor.source import ApiSource

    frames = ApiSource(run.api).task_frames(run.result.task_id)
    return sorted(frames, key=lambda f: int(f["frameIndex"]))


def test_each_frames_thumbnail_shows_the_scene(run):
    from rv_dcc.farm.png import label_image
    from rv_dcc.monitor.source import urls_in

    frames = _frames(run)
    assert [(int(f["frameIndex"]), f["frameStatus"]) for f in frames] == [(1, 4), (2, 4), (3, 4)]
    thumbs = {}
    for frame in frames:
        urls = urls_in(run.api.query.get_frame_thumbnall(frame_id=frame["id"]))
        assert urls and urls[0].startswith(run.farm.url + "/")
        with urllib.request.urlopen(urls[0], timeout=10) as response:
            assert response.status == 200
            thumbs[int(frame["frameIndex"])] = response.read()
    for number, data in thumbs.items():
        stats = colour_stats(data)
        assert (stats["width"], stats["height"]) == (160, 90)
        assert stats["left_green"] > 0.95, stats       # the green plane fills the left half
        assert stats["left_red"] == 0 and stats["right_green"] < 0.02, stats
        assert 0.08 < stats["right_red"] < 0.2, stats   # the 30x30 px cube: 12.5 % of the right half
        assert abs(stats["red_centre_x"] - _expected_centre(number, 160)) < 2.5, (number, stats)
        placeholder = label_image(160, 90, ["TASK 2W%d" % run.result.task_id, "scene", "TopCam",
                                            "FRAME %04d" % number], run.result.task_id, scale=1)
        assert colour_stats(placeholder)["left_green"] < 0.05  # the farm's generated image is not this
        assert mean_abs_difference(data, placeholder) > 40
    assert len(set(thumbs.values())) == 3  # the cube moved: three different pictures


def test_downloaded_outputs_show_the_scene(run, tmp_path):
    from rv_dcc.commands.download import download_task

    files, paths = download_task(run.api, run.result.task_id, tmp_path / "out")
    pngs = sorted(p for p in paths if p.suffix == ".png")
    assert [p.name for p in pngs] == ["farm_shot.0001.png", "farm_shot.0002.png", "farm_shot.0003.png"]
    for number, path in enumerate(pngs, start=1):
        stats = colour_stats(path.read_bytes())
        assert (stats["width"], stats["height"]) == (320, 180)
        assert stats["left_green"] > 0.95 and stats["left_red"] == 0, stats
        assert 0.08 < stats["right_red"] < 0.2 and stats["right_green"] < 0.02, stats
        assert abs(stats["red_centre_x"] - _expected_centre(number, 320)) < 4, (number, stats)


def test_the_panel_connects_like_the_cli(run, monkeypatch):
    from rv_dcc_hosts.blender.farm import connect

    api = connect()  # no account configured: the launcher finds the running farm of the data folder
    try:
        assert (api.domain, api.protocol) == (run.farm.domain, "http")
    finally:
        api.close()
    monkeypatch.setenv("RAYVISION_API_ACCESS_ID", run.farm.access_id)
    monkeypatch.setenv("RAYVISION_API_KEY", run.farm.access_key)
    monkeypatch.setenv("RAYVISION_API_DOMAIN", "localhost:%d" % run.farm.port)
    api = connect()  # a configured account wins, and a loopback domain is spoken to over http
    try:
        assert (api.domain, api.protocol) == ("localhost:%d" % run.farm.port, "http")
        assert api.query.task_info([run.result.task_id]).items[0].id == run.result.task_id
    finally:
        api.close()


def test_poller_and_drain_against_the_farm(run, tmp_path):
    from rv_dcc.monitor.source import ApiSource
    from rv_dcc.monitor.thumbs import ThumbnailCache
    from rv_dcc_hosts.blender.farm import thumbnail_fetcher
    from rv_dcc_hosts.blender.monitor import MonitorState, TaskPoller, drain

    rounds, asked = [], []

    class Counting(ApiSource):
        def task_page(self, query):
            rounds.append(query.search_keyword)
            return super().task_page(query)

    source = Counting(run.api)
    fetch_thumbnail = thumbnail_fetcher(source, lambda: ThumbnailCache(str(tmp_path / "c")))

    def counting_thumbnail(row):
        asked.append(row["id"])
        return fetch_thumbnail(row)

    poller = TaskPoller(source, counting_thumbnail, scene=str(run.blend), fast=0.05, slow=0.05)
    poller.start()
    state = MonitorState()
    try:
        deadline = time.time() + 20
        while time.time() < deadline and (len(rounds) < 3 or not state.thumbnails):
            # budget 0: exactly one result per call, so a tick's work is bounded whatever queued up
            applied = drain(poller.results, state, budget=0.0)
            assert len(applied) <= 1
            time.sleep(0.02)
    finally:
        poller.stop(timeout=10)
    assert not poller.running
    task_id = run.result.task_id
    assert state.order == [task_id] and state.error == ""
    assert set(rounds) == {"farm_shot.blend"}  # the farm is asked for this scene's tasks only
    row = state.tasks[task_id]
    assert (row["status"], row["done"], row["total"], row["name"]) == (25, 3, 3, "2W%d" % task_id)
    assert state.progress(task_id) == 1.0
    stats = colour_stats(Path(state.thumbnails[task_id]).read_bytes())  # the latest frame: 3
    assert stats["left_green"] > 0.95 and abs(stats["red_centre_x"] - _expected_centre(3, 160)) < 2.5
    assert len(rounds) >= 3 and asked == [task_id]  # an ended task already shown: its frames are not listed again


PANEL_IN_BLENDER = r"""
import json, socket, sys, threading, time
import bpy
bpy.ops.wm.open_mainfile(filepath=%(blend)r)
main = threading.current_thread()
connects = []
real_connect = socket.socket.connect
def spy(self, address):
    connects.append(threading.current_thread() is main)
    return real_connect(self, address)
socket.socket.connect = spy

from rv_dcc_hosts.blender import live
images_before = len(bpy.data.images)
live.ensure_poller()          # the real poller: connects in its worker thread, like the add-on
applied, steps, t_end = [], [], time.time() + 30
while time.time() < t_end and not {"tasks", "thumbnail"} <= set(applied):
    t0 = time.perf_counter()
    applied += live.step()
    steps.append(time.perf_counter() - t0)
    time.sleep(0.05)

class Layout:
    calls = []
    def __getattr__(self, name):
        def record(*args, **kw):
            Layout.calls.append([name, [a for a in args if isinstance(a, (str, int, float))],
                                 {k: v for k, v in kw.items() if isinstance(v, (str, int, float))}])
            return self
        return record
live.draw(Layout())
task_id = %(task_id)d
path = live.state.thumbnails.get(task_id, "")
preview = live.preview(path)
pixels = list(preview.image_pixels_float) if preview else []
w, h = (preview.image_size[0], preview.image_size[1]) if preview else (0, 0)
left = [pixels[4 * (y * w + x):4 * (y * w + x) + 3] for y in range(h) for x in range(w // 2)]
green = sum(1 for r, g, b in left if g > 0.6 and r < 0.35 and b < 0.35) / max(1, len(left))
out = {"preview_left_green": green, "applied": sorted(set(applied)), "order": live.state.order, "error": live.state.error,
       "row": live.state.tasks.get(task_id), "thumb": path, "size": list(preview.image_size) if preview else None,
       "icon": preview.icon_id if preview else 0, "main_thread_connects": sum(connects), "connects": len(connects),
       "slowest_step": max(steps), "steps": len(steps), "draw": Layout.calls,
       "no_new_datablocks": len(bpy.data.images) == images_before}
live.shutdown()
out["running_after"] = live._poller is not None
print("RESULT:" + json.dumps(out))
"""


def test_blender_task_panel_against_the_farm(run):
    """In bpy: the add-on's own poller finds the farm through the launcher (no account), the timer's
    step drains tasks and the latest thumbnail into previews, and the main thread never connects."""
    # the child inherits the module's isolated environment: XDG folders, no account, no RAYVISION_*
    out = run_bpy(PANEL_IN_BLENDER % {"blend": str(run.blend), "task_id": run.result.task_id}, timeout=90)
    task_id = run.result.task_id
    assert out["applied"] == ["tasks", "thumbnail"] and out["error"] == ""
    assert out["order"] == [task_id]  # the maya sample's task (another scene) is filtered out
    assert (out["row"]["done"], out["row"]["total"], out["row"]["status"]) == (3, 3, 25)
    # the preview holds the thumbnail's pixels (icon ids stay 0 in background mode: no UI icons)
    assert out["size"] == [160, 90] and out["preview_left_green"] > 0.95 and out["no_new_datablocks"]
    stats = colour_stats(Path(out["thumb"]).read_bytes())
    assert stats["left_green"] > 0.95 and abs(stats["red_centre_x"] - _expected_centre(3, 160)) < 2.5
    assert out["thumb"].startswith(os.environ["XDG_CACHE_HOME"])  # the shared thumbnail cache, isolated here
    assert out["connects"] > 0 and out["main_thread_connects"] == 0
    assert not out["running_after"]
    labels = [kw.get("text") for name, _, kw in out["draw"] if name == "label"]
    assert [kw.get("icon") for name, _, kw in out["draw"] if name == "label"][0] == "COLLECTION_COLOR_04"
    assert labels == ["2W%d  #%d" % (task_id, task_id)]
    progress = [kw for name, _, kw in out["draw"] if name == "progress"]
    assert progress == [{"factor": 1.0, "type": "BAR", "text": "Finished: 3 / 3 frames"}]
    assert [kw["icon_value"] for name, _, kw in out["draw"] if name == "template_icon"] == [out["icon"]]
    # the farm the launcher found is the test's own (no second farm was spawned)
    state = json.loads((Path(run.farm.data_dir) / "farm.json").read_text())
    assert state["pid"] == os.getpid()
    print("slowest main-thread step: %.1f ms over %d steps" % (out["slowest_step"] * 1000, out["steps"]))
