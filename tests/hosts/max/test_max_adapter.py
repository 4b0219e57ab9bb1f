"""The 3ds Max adapter against a fake pymxs gated by stubs/pymxs (written from Autodesk's docs)."""
import importlib
import json

import pytest

import fake_pymxs


@pytest.fixture
def adapter_for(monkeypatch):
    def make(scene):
        runtime = fake_pymxs.install(scene, monkeypatch)
        return importlib.import_module("rv_dcc_hosts.max.adapter").MaxAdapter(), runtime
    return make


def vray_scene():
    s = fake_pymxs.MaxScene()
    s.elements = [("VRayDiffuseFilter", "D:\\renders\\shot\\beauty.VRayDiffuseFilter.exr"),
                  ("VRayZDepth", "D:\\renders\\shot\\beauty.VRayZDepth.exr")]
    s.assets = [("D:\\proj\\maps\\wood.jpg", "Bitmap"), ("D:\\proj\\maps\\fire_####.png", "Bitmap"),
                ("D:\\proj\\ies\\spot.ies", "Photometric"), ("\\\\nas\\lib\\tree.vrmesh", "Other"),
                ("D:\\proj\\fx\\smoke_0001.vdb", "Other"), ("D:\\renders\\shot\\beauty.exr", "RenderOutput"),
                ("D:\\proj\\maps\\WOOD.JPG", "Bitmap"), ("D:\\proj\\missing.tif", "Bitmap")]
    s.xref_scenes = ["D:\\proj\\env\\city.max"]
    s.xref_objects = ["D:\\proj\\props\\chair.max"]
    return s


def test_vray_range_elements_assets(adapter_for):
    adapter, _ = adapter_for(vray_scene())
    desc = adapter.describe_scene()
    assert desc.host == "3dsmax" and desc.host_version == "2025"
    assert desc.renderer == "V-Ray 6" and desc.settings["renderer_class"] == "V_Ray_6__update_2"
    assert desc.settings["renderer_id"] == "vray" and [p.name for p in desc.plugins] == ["vray"]
    assert (desc.frame_start, desc.frame_end, desc.frame_step) == (0, 100, 1)
    assert desc.scene_file == "D:\\proj\\scenes\\shot.max" and desc.project_dir == "D:\\proj"
    assert desc.output.path == "D:\\renders\\shot\\beauty.exr" and desc.output.format == "exr"
    assert (desc.resolution.width, desc.resolution.height) == (1920, 1080) and desc.fps == 25
    assert [(c.name, c.renderable) for c in desc.cameras] == [("Camera001", True), ("CamSide", False)]
    assert desc.settings["elements"] == ["VRayDiffuseFilter", "VRayZDepth"]
    assert desc.settings["elements_active"] is True and desc.settings["gamma"] == "2.2"
    assert desc.layers == []
    kinds = [(a.path, a.kind) for a in desc.assets]
    assert kinds == [("D:\\proj\\maps\\wood.jpg", "texture"), ("D:\\proj\\maps\\fire_####.png", "image_sequence"),
                     ("D:\\proj\\ies\\spot.ies", "texture"), ("\\\\nas\\lib\\tree.vrmesh", "proxy"),
                     ("D:\\proj\\fx\\smoke_0001.vdb", "volume"), ("D:\\proj\\missing.tif", "texture"),
                     ("D:\\proj\\env\\city.max", "xref"), ("D:\\proj\\props\\chair.max", "xref")]


@pytest.mark.parametrize("time_type, pickup, expected", [
    (1, "", (15, 15, 1)),            # single frame: the current one
    (2, "", (0, 120, 2)),            # active time segment, every 2nd frame
    (4, "1,3,5-12", (1, 12, 1)),     # pick-up frames
])
def test_time_output_kinds(adapter_for, time_type, pickup, expected):
    s = fake_pymxs.MaxScene()
    s.time_type, s.pickup, s.nth = time_type, pickup, 2
    s.renderer_class, s.gamma = "CoronaRenderer", ("none", 1.0)
    adapter, _ = adapter_for(s)
    desc = adapter.describe_scene()
    assert (desc.frame_start, desc.frame_end, desc.frame_step) == expected
    assert desc.renderer == "Corona" and desc.settings["gamma"] == "1.0"
    assert desc.settings.get("pickup_frames", "") == pickup


def test_scanline_unsaved_no_camera(adapter_for):
    s = fake_pymxs.MaxScene()
    s.renderer_class, s.view_camera, s.dirty, s.path, s.file = "Default_Scanline_Renderer", None, True, "", ""
    adapter, _ = adapter_for(s)
    desc = adapter.describe_scene()
    assert desc.renderer == "Scanline" and desc.plugins == []
    assert desc.scene_file == "" and desc.scene_saved is False
    assert not any(c.renderable for c in desc.cameras)


def test_settings_as_custom_file_property(adapter_for):
    s = fake_pymxs.MaxScene()
    adapter, runtime = adapter_for(s)
    assert adapter.load_settings() == {}
    adapter.store_settings({"priority": 60, "cameras": ["Camera001"]})
    adapter.store_settings({"priority": 50, "cameras": ["Camera001"]})
    index = runtime.fileProperties.findProperty(fake_pymxs.Name("custom"), "rv_dcc_settings")
    assert index == 1, "updated in place, not added twice"
    assert json.loads(runtime.fileProperties.getPropertyValue(fake_pymxs.Name("custom"), index))["priority"] == 50
    assert adapter.load_settings() == {"priority": 50, "cameras": ["Camera001"]}
    assert adapter.select("Teapot001") and runtime._selected[0].name == "Teapot001"
    assert adapter.select("Nope") is False
    adapter.save_scene()
    assert runtime._saved == ["D:\\proj\\scenes\\shot.max"]


def test_fake_rejects_what_the_documented_api_lacks(adapter_for):
    _, runtime = adapter_for(fake_pymxs.MaxScene())
    with pytest.raises(AttributeError):
        runtime.renderSceneDialog  # not declared in the stub
    with pytest.raises(TypeError):
        runtime.saveMaxFile("x.max", clearNeedSaveFlag=True)
    with pytest.raises(AttributeError):
        runtime.rendTimeTypo = 3


def test_3dsmaxbatch_main_describes_the_open_scene(monkeypatch, tmp_path):
    scene = fake_pymxs.MaxScene()
    runtime = fake_pymxs.install(scene, monkeypatch)
    batch = importlib.import_module("rv_dcc_hosts.max.batch")
    out = tmp_path / "d.json"
    assert batch.main(["D:\\proj\\scenes\\shot.max", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["host"] == "3dsmax" and data["renderer"] == "V-Ray 6"
    assert runtime._saved == [], "the batch never saves the scene"
    assert batch.main(["D:\\other\\broken.max", str(out)]) == 3, "a scene 3ds Max cannot open"
