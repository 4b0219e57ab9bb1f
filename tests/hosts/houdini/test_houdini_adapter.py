"""The Houdini adapter against a fake hou gated by types-houdini: several .hip scenes in, descriptions out."""
import importlib

import pytest

import fake_hou


@pytest.fixture
def adapter_for(monkeypatch):
    def make(scene):
        hou = fake_hou.install(scene, monkeypatch)
        return importlib.import_module("rv_dcc_hosts.houdini.adapter").HoudiniAdapter(), hou
    return make


def production_scene():
    """Mantra + bypassed Redshift in /out, a cache chain in a ROP network, a SOP file cache."""
    s = fake_hou.HipScene()
    s.env["REDSHIFT_VERSION"] = "3.6.02"
    s.add("/obj/cam1", "cam", resx=1280, resy=720)
    s.add("/obj/cam2", "cam", resx=640, resy=480)
    s.add("/obj/geo1", "geo")
    s.add("/obj/geo1/fc", "filecache::2.0", fake_hou.SopNode, trange=1, f1=1, f2=50, f3=1,
          file="$HIP/cache/$HIPNAME.$OS.$F4.bgeo.sc")
    s.add("/obj/ropnet1", "ropnet")
    s.add("/obj/ropnet1/sim", "geometry", fake_hou.RopNode, trange=1, f1=1, f2=100, f3=1,
          sopoutput="$JOB/sim/sim.$F4.bgeo.sc")
    s.add("/obj/ropnet1/abc", "alembic", fake_hou.RopNode, inputs=("/obj/ropnet1/sim",), trange=1, f1=1, f2=100,
          f3=1, filename="$JOB/abc/out.abc")
    s.add("/out/mantra1", "ifd", fake_hou.RopNode, inputs=("/obj/ropnet1/abc",), trange=1, f1=1, f2=240, f3=2,
          camera="/obj/cam1", vm_picture="$HIP/render/$HIPNAME.$OS.$F4.exr")
    s.add("/out/rs", "Redshift_ROP", fake_hou.RopNode, bypass=True, trange=1, f1=5, f2=10, f3=1,
          RS_renderCamera="/obj/cam2", RS_outputFileNamePrefix=fake_hou.Expr("chs('../mantra1/vm_picture')", "$HIP/render/$HIPNAME.rs.$F4.exr"))
    s.add("/obj/geo1/tex", "attribfrompieces")
    s.add("/mat/wood", "principledshader::2.0", basecolor_texture="$HIP/tex/wood.rat")
    s.add("/mat/smoke", "volume", file="$JOB/vdb/smoke.$F4.vdb")
    s.ref("/mat/wood", "basecolor_texture")
    s.ref("/mat/smoke", "file")
    s.ref("/out/mantra1", "vm_picture")  # an output, not an input
    s.ref("/obj/ropnet1/sim", "sopoutput")
    s.ref(None, "", "$HIP/otls/tool.hda")
    s.ref(None, "", "op:/obj/geo1")
    return s


def test_rops_frames_dependencies_outputs(adapter_for):
    adapter, _ = adapter_for(production_scene())
    desc = adapter.describe_scene()
    layers = {layer.name: layer for layer in desc.layers}
    assert list(layers) == ["/obj/geo1/fc", "/obj/ropnet1/sim", "/obj/ropnet1/abc", "/out/mantra1", "/out/rs"]
    mantra = layers["/out/mantra1"]
    assert (mantra.kind, mantra.option, mantra.node_type, mantra.renderer) == ("rop", "-1", "ifd", "Mantra")
    assert mantra.frames == "1-240x2" and mantra.cameras == ["/obj/cam1"]
    assert mantra.depends_on == ["/obj/ropnet1/abc"]
    assert (mantra.resolution.width, mantra.resolution.height) == (1280, 720)
    assert mantra.output.path == "$HIP/render/$HIPNAME.$OS.$F4.exr" and mantra.output.format == "exr"
    rs = layers["/out/rs"]
    assert rs.renderable is False and rs.option == "-1" and rs.renderer == "Redshift"
    assert rs.output.path == "/proj/render/shot.rs.0012.exr", "an expression parm is evaluated"
    cache = layers["/obj/geo1/fc"]
    assert cache.option == "0" and cache.node_type == "filecache::2.0" and cache.frames == "1-50"
    assert cache.output.path.endswith(".$F4.bgeo.sc") and cache.output.format == "bgeo.sc"
    assert layers["/obj/ropnet1/abc"].depends_on == ["/obj/ropnet1/sim"]
    assert desc.renderer == "Mantra" and desc.renderer_version == fake_hou.DEFAULT_VERSION
    assert [(p.name, p.version) for p in desc.plugins] == [("redshift", "3.6.02")]
    assert (desc.frame_start, desc.frame_end) == (1, 240)
    assert [(c.name, c.renderable) for c in desc.cameras] == [("/obj/cam1", True), ("/obj/cam2", True)]
    assert desc.project_dir == "/proj" and desc.scene_file == "/proj/shot.hip"


def test_file_references_expand_variables_but_keep_frame_tokens(adapter_for):
    adapter, _ = adapter_for(production_scene())
    desc = adapter.describe_scene()
    assets = [(a.path, a.node, a.attribute, a.kind) for a in desc.assets]
    assert ("/proj/tex/wood.rat", "/mat/wood", "basecolor_texture", "texture") in assets
    assert ("/proj/vdb/smoke.$F4.vdb", "/mat/smoke", "file", "volume") in assets
    assert ("/proj/otls/tool.hda", "", "", "library") in assets
    paths = [a[0] for a in assets]
    assert not any("render/" in p or "/sim/" in p for p in paths), "ROP outputs are not inputs"
    assert not any(p.startswith("op:") for p in paths)


def test_karma_current_frame_and_empty_scene(adapter_for):
    s = fake_hou.HipScene()
    s.add("/obj/cam1", "cam", resx=1920, resy=804)
    s.add("/out/karma1", "karma", fake_hou.RopNode, trange=0, f1=1, f2=10, f3=1, camera="/obj/cam1",
          picture="$HIP/render/$F4.exr")
    adapter, _ = adapter_for(s)
    desc = adapter.describe_scene()
    assert desc.layers[0].frames == "12-12" and (desc.frame_start, desc.frame_end) == (12, 12)
    assert desc.renderer == "Karma" and desc.resolution.height == 804


def test_scene_without_rops_uses_the_playbar_range(adapter_for):
    s = fake_hou.HipScene()
    s.unsaved = True
    adapter, _ = adapter_for(s)
    desc = adapter.describe_scene()
    assert desc.layers == [] and desc.renderer == ""
    assert (desc.frame_start, desc.frame_end) == (1, 240)
    assert desc.scene_saved is False


def test_settings_in_root_user_data_and_select(adapter_for):
    s = production_scene()
    adapter, _ = adapter_for(s)
    assert adapter.load_settings() == {}
    adapter.store_settings({"rops": ["/out/mantra1"], "frames_per_task": 3})
    assert s.nodes["/"].userData("rv_dcc_settings") == '{"frames_per_task": 3, "rops": ["/out/mantra1"]}'
    assert adapter.load_settings() == {"rops": ["/out/mantra1"], "frames_per_task": 3}
    assert adapter.select("/out/mantra1") and s.nodes["/out/mantra1"].isSelected()
    assert adapter.select("/nowhere") is False
    assert adapter.main_window() is None
    adapter.save_scene()
    assert s.saves == 1


def test_fake_hou_rejects_what_hou_rejects(adapter_for):
    s = production_scene()
    _, hou = adapter_for(s)
    with pytest.raises(AttributeError):
        hou.renderAllRops  # no such function in hou
    with pytest.raises(NotImplementedError):
        hou.hscript  # real, but the adapter must not need it: the fake refuses loudly
    with pytest.raises(TypeError):
        hou.node("/out", recursive=True)
    with pytest.raises(TypeError):
        s.nodes["/out/mantra1"].parm("f1", default=0)
    with pytest.raises(AttributeError, match="has no"):
        @fake_hou.gated(fake_hou.HOU_STUB, "RopNode")
        class Bad:
            def renderAll(self):  # not a RopNode method
                pass


def test_hython_batch_main_loads_and_writes_json(monkeypatch, tmp_path):
    import json

    s = production_scene()
    hou = fake_hou.install(s, monkeypatch)
    loaded = []
    monkeypatch.setattr(hou.hipFile, "load", staticmethod(
        lambda file_name, suppress_save_prompt=False, ignore_load_warnings=False: loaded.append(
            (file_name, suppress_save_prompt, ignore_load_warnings))), raising=False)
    batch = importlib.import_module("rv_dcc_hosts.houdini.batch")
    out = tmp_path / "d.json"
    assert batch.main(["/proj/shot.hip", str(out)]) == 0
    assert loaded == [("/proj/shot.hip", True, True)], "loaded without prompts, never saved"
    data = json.loads(out.read_text())
    assert data["host"] == "houdini" and len(data["layers"]) == 5 and s.saves == 0
