"""With bpy installed, a submitted Blender scene's frames are real renders of that scene."""
import hashlib
import importlib.util
import subprocess
import sys
from urllib.parse import quote

import pytest
import requests

from farm_helpers import RawClient, blender_task, ended, frames, submit, wait_for
from rv_dcc.farm import EmbeddedFarm
from rv_dcc.farm.png import read_png

pytestmark = [pytest.mark.blender,
              pytest.mark.skipif(importlib.util.find_spec("bpy") is None, reason="needs bpy")]

BUILD = """
import sys, bpy
bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
scene.frame_start, scene.frame_end = 1, 2
bpy.ops.mesh.primitive_cube_add(size=2.5)
material = bpy.data.materials.new("red")
material.diffuse_color = (1, 0, 0, 1)
material.use_nodes = True
material.node_tree.nodes["Principled BSDF"].inputs["Base Color"].default_value = (1, 0, 0, 1)
bpy.context.active_object.data.materials.append(material)
camera = bpy.data.objects.new("Camera", bpy.data.cameras.new("Camera"))
scene.collection.objects.link(camera)
camera.location, camera.rotation_euler = (0, -8, 0), (1.5708, 0, 0)
scene.camera = camera
sun = bpy.data.objects.new("Sun", bpy.data.lights.new("Sun", "SUN"))
sun.rotation_euler = (0.6, 0, 0)
scene.collection.objects.link(sun)
scene.render.resolution_x, scene.render.resolution_y = 1920, 1080
bpy.ops.wm.save_as_mainfile(filepath=sys.argv[-1])
"""


def test_blender_frames_are_real_renders_of_the_uploaded_scene(tmp_path):
    blend = tmp_path / "cube.blend"
    subprocess.run([sys.executable, "-c", BUILD, str(blend)], check=True, capture_output=True, timeout=120)
    data = blend.read_bytes()
    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400) as farm:
        assert farm.renderer.real_blender
        client = RawClient(farm)
        transfer = client.ok("getConfig")["resqEngines"][0]["respTaskEngineLines"][0]["url"]
        put = requests.put(f"{transfer}/input/{quote('/C/proj/cube.blend')}?offset=0&total={len(data)}",
                           data=data, headers=client.bearer(), timeout=30).json()
        assert put["complete"] and put["sha256"] == hashlib.sha256(data).hexdigest()
        upload = {"asset": [{"local": "C:/proj/cube.blend", "server": "/C/proj/cube.blend"}],
                  "scene": [{"local": "C:/proj/cube.blend", "server": "/C/proj/cube.blend", "hash": put["md5"]}]}
        task_id = submit(client, blender_task, "C:/proj/cube.blend", "1-2[1]", upload=upload)
        final = wait_for(lambda: ended(client, task_id), timeout=120)
        assert final["taskStatus"] == 25 and final["doneFrames"] == 2
        frame = frames(client, task_id)[0]
        log = client.ok("showLog", {"renderingType": "render", "pageNum": 1, "pageSize": 50, "id": frame["id"]})
        assert any("Cycles" in line for line in log["items"]), log
        files = client.ok("getOutputUserDirFile", {"treePath": f"/{task_id}_cube"})
        assert [f["fileName"] for f in files] == ["cube.0001.png", "cube.0002.png"]
        image = requests.get(f"{transfer}/output{quote(files[0]['filePath'])}", headers=client.bearer(), timeout=30)
        width, height, channels, rows = read_png(image.content)
        assert (width, height) == (320, 180)  # capped from 1920x1080, aspect kept
        centre = rows[height // 2][(width // 2) * channels:(width // 2) * channels + 3]
        corner = rows[2][2 * channels:2 * channels + 3]
        assert centre[0] > 100 and centre[0] > 2 * centre[1] and centre[0] > 2 * centre[2], centre  # the red cube
        assert max(corner) < 30, corner  # empty world: black, not the placeholder's gradient
        thumb = requests.get(client.ok("loadingFrameThumbnail", {"id": frame["id"], "frameStatus": 4})[0], timeout=30)
        assert read_png(thumb.content)[:2] == (160, 90)


def _exr_blender_task(task_id, scene, frames_text):
    task = blender_task(task_id, scene, frames_text)
    task["scene_info_render"]["common"]["Render_Format"] = "OPEN_EXR"
    return task


def test_an_exr_scene_is_rendered_to_exr_files_with_png_thumbnails(tmp_path):
    blend = tmp_path / "cube.blend"
    subprocess.run([sys.executable, "-c", BUILD, str(blend)], check=True, capture_output=True, timeout=120)
    data = blend.read_bytes()
    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400) as farm:
        client = RawClient(farm)
        transfer = client.ok("getConfig")["resqEngines"][0]["respTaskEngineLines"][0]["url"]
        requests.put(f"{transfer}/input/{quote('/C/proj/cube.blend')}?offset=0&total={len(data)}",
                     data=data, headers=client.bearer(), timeout=30).raise_for_status()
        upload = {"asset": [], "scene": [{"local": "C:/proj/cube.blend", "server": "/C/proj/cube.blend"}]}
        task_id = submit(client, _exr_blender_task, "C:/proj/cube.blend", "1-1[1]", upload=upload)
        assert wait_for(lambda: ended(client, task_id), timeout=120)["taskStatus"] == 25
        files = client.ok("getOutputUserDirFile", {"treePath": f"/{task_id}_cube"})
        assert [(f["fileName"], f["fileType"]) for f in files] == [("cube.0001.exr", "exr")]
        image = requests.get(f"{transfer}/output{quote(files[0]['filePath'])}", headers=client.bearer(), timeout=30)
        assert image.content[:4] == b"\x76\x2f\x31\x01"  # OpenEXR magic number
        frame = frames(client, task_id)[0]
        thumb = requests.get(client.ok("loadingFrameThumbnail", {"id": frame["id"], "frameStatus": 4})[0], timeout=30)
        assert read_png(thumb.content)[:2] == (160, 90)
