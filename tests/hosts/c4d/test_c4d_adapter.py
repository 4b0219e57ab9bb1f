"""The Cinema 4D adapter against a fake c4d gated by stubs/c4d (written from Maxon's docs)."""
import importlib
import json

import pytest

import fake_c4d as f


@pytest.fixture
def adapter_for(monkeypatch):
    def make(scene):
        doc = f.install(scene, monkeypatch)
        return importlib.import_module("rv_dcc_hosts.c4d.adapter").C4DAdapter(), doc
    return make


def takes_scene():
    s = f.C4DScene()
    cam_a, cam_b = f.BaseObject("CamA", 5103), f.BaseObject("CamB", 5103)
    s.objects = [f.BaseObject("Set", 5100, (f.BaseObject("Cube", 5159), cam_b)), cam_a]
    s.objects[0]._next = cam_a
    s.scene_camera = cam_a
    s.rd = f.render_data(0, 90, 1, (1920, 1080), "./render/$take/shot", "FILTER_EXR", 1036219, multipass=True)
    close_up = f.BaseTake("closeup", checked=True, camera=cam_b,
                          rd=f.render_data(10, 20, 2, (1280, 720), "./render/closeup", "FILTER_PNG", 1036219))
    wide = f.BaseTake("wide", checked=False)
    s.main_take = f.BaseTake("Main", main=True, children=(close_up, wide))
    s.assets = [
        {"filename": "/proj/tex/wood.jpg", "assetname": "wood.jpg", "exists": True, "owner": s.objects[0], "paramId": 1000},
        {"filename": "/proj/tex/skin.<UDIM>.exr", "assetname": "skin", "exists": False, "owner": None, "paramId": -1},
        {"filename": "/proj/cache/sim.abc", "assetname": "sim.abc", "exists": True, "owner": cam_b, "paramId": 5},
        {"filename": "/proj/tex/wood.jpg", "assetname": "wood.jpg", "exists": True, "owner": s.objects[0], "paramId": 1000},
        {"filename": "/fonts/Inter.ttf", "assetname": "Inter", "exists": True, "owner": None, "paramId": 0},
    ]
    s.asset_result = "GETALLASSETSRESULT_MISSING"
    return s


def test_takes_render_data_cameras_assets(adapter_for):
    adapter, _ = adapter_for(takes_scene())
    desc = adapter.describe_scene()
    assert desc.host == "cinema4d" and desc.host_version == "2024.2.0"
    assert desc.scene_file == "/proj/c4d/shot.c4d" and desc.scene_saved
    assert desc.renderer == "Redshift" and desc.fps == 25
    assert (desc.frame_start, desc.frame_end, desc.frame_step) == (0, 90, 1)
    assert desc.output.path == "./render/$take/shot" and desc.output.format == "exr"
    assert [(c.name, c.renderable) for c in desc.cameras] == [("CamB", False), ("CamA", True)]  # document order
    layers = {layer.name: layer for layer in desc.layers}
    assert list(layers) == ["Main", "closeup", "wide"]
    assert layers["Main"].renderable and layers["Main"].node_type == "main" and layers["Main"].cameras == ["CamA"]
    close = layers["closeup"]
    assert close.kind == "take" and close.frames == "10-20x2" and close.cameras == ["CamB"]
    assert (close.resolution.width, close.output.format) == (1280, "png") and close.renderer is None
    assert layers["wide"].renderable is False and layers["wide"].frames is None
    assert desc.settings["multipass_save_enabled"] is True and desc.settings["multipass_format"] == "exr"
    assets = [(a.path, a.node, a.kind, a.resolved) for a in desc.assets]
    assert assets == [("/proj/tex/wood.jpg", "Set", "texture", "/proj/tex/wood.jpg"),
                      ("/proj/tex/skin.<UDIM>.exr", "", "image_sequence", None),
                      ("/proj/cache/sim.abc", "CamB", "cache", "/proj/cache/sim.abc"),
                      ("/fonts/Inter.ttf", "", "font", "/fonts/Inter.ttf")]


def test_untitled_document_standard_renderer_no_takes(adapter_for):
    s = f.C4DScene()
    s.folder, s.name, s.changed, s.version, s.main_take = "", "Untitled 1", True, 26107, None
    adapter, _ = adapter_for(s)
    desc = adapter.describe_scene()
    assert desc.scene_file == "" and desc.scene_saved is False and desc.host_version == "R26.107"
    assert desc.renderer == "Standard" and desc.layers == [] and desc.cameras == []
    assert desc.settings["multipass_save_enabled"] is False


def test_settings_in_document_container(adapter_for):
    s = takes_scene()
    adapter, doc = adapter_for(s)
    assert adapter.load_settings() == {}
    adapter.store_settings({"takes": ["closeup"], "priority": 60})
    stored = doc.GetDataInstance().GetContainer(1000010).GetString(1)
    assert json.loads(stored) == {"takes": ["closeup"], "priority": 60}
    assert adapter.load_settings() == {"takes": ["closeup"], "priority": 60}
    assert adapter.select("Cube") and doc._active.GetName() == "Cube" and s.events == 1
    assert adapter.select("Nope") is False
    assert adapter.main_window() is None
    adapter.save_scene()
    assert s.saved == ["/proj/c4d/shot.c4d"]


def test_fake_rejects_what_the_documented_api_lacks(adapter_for):
    adapter_for(takes_scene())
    import c4d
    from c4d import documents

    with pytest.raises(TypeError):
        documents.GetAllAssetsNew(documents.GetActiveDocument(), False, "", assets=[])
    with pytest.raises(AttributeError):
        c4d.CallCommand  # not declared: the adapter must not need it
    with pytest.raises(AttributeError):
        documents.GetActiveDocument().GetTakes  # no such BaseDocument method


def test_c4dpy_batch_main(monkeypatch, tmp_path):
    f.install(takes_scene(), monkeypatch)
    batch = importlib.import_module("rv_dcc_hosts.c4d.batch")
    out = tmp_path / "d.json"
    assert batch.main(["/proj/c4d/shot.c4d", str(out)]) == 0
    assert json.loads(out.read_text())["layers"][1]["name"] == "closeup"
    assert batch.main(["/elsewhere/other.c4d", str(out)]) == 3, "a document that does not load"


def test_panel_opens_in_its_own_process(monkeypatch, tmp_path):
    f.install(takes_scene(), monkeypatch)
    entry = importlib.import_module("rv_dcc_hosts.c4d.entry")
    started = []
    monkeypatch.setattr(entry.subprocess, "Popen", lambda argv, **kw: started.append(argv) or "proc")
    monkeypatch.delenv("RV_DCC_PYTHON", raising=False)
    assert entry.open_panel(plugin_dir=str(tmp_path)) is None, "no Python known: no process"
    (tmp_path / "panel_python.txt").write_text("/usr/bin/python3\n")
    assert entry.open_panel(plugin_dir=str(tmp_path)) == "proc"
    argv = started[0]
    assert argv[:5] == ["/usr/bin/python3", "-m", "rv_dcc", "panel", "--description"]
    assert json.loads(open(argv[5]).read())["host"] == "cinema4d"
    import os
    os.unlink(argv[5])
