"""The Maya adapter against a fake maya.cmds gated by types-maya: several scenes in, descriptions out."""
import importlib
import json

import pytest

import fake_maya


@pytest.fixture
def scene():
    return fake_maya.MayaScene()


@pytest.fixture
def adapter_for(monkeypatch):
    def make(scene):
        fakes = fake_maya.install(scene, monkeypatch)
        module = importlib.import_module("rv_dcc_hosts.maya.adapter")
        return module.MayaAdapter(), fakes
    return make


def arnold_scene(tmp_path):
    """Legacy layers, two cameras, UDIM tiles, a frame sequence, a missing texture, a reference."""
    s = fake_maya.MayaScene()
    s.scene_name = str(tmp_path / "shot.ma")
    s.workspace_root = str(tmp_path) + "/"
    s.load_plugin("mtoa", "5.3.4.1", "aiImage", "aiStandIn", "aiVolume", "aiPhotometricLight")
    s.load_plugin("MASH", "1.0")
    s.load_plugin("unrelatedPlugin", "9")
    s.plugins_in_use = ["mtoa"]
    s.add("defaultArnoldDriver", "aiAOVDriver", ai_translator="exr")
    s.nodes["defaultRenderGlobals"].update(startFrame=1.0, endFrame=24.0, byFrameStep=2.0)
    s.add("perspShape", "camera", renderable=False)
    s.add("renderCamShape", "camera", renderable=True)
    s.add("beauty", "renderLayer", renderable=True)
    s.add("fx", "renderLayer", renderable=False)
    s.add("ref:charLayer", "renderLayer", renderable=True)
    s.adjust("fx", "defaultRenderGlobals.startFrame", 10.0)
    s.adjust("fx", "defaultRenderGlobals.endFrame", 20.0)
    s.adjust("fx", "perspShape.renderable", True)
    s.adjust("fx", "renderCamShape.renderable", False)
    s.adjust("fx", "defaultResolution.width", 960)
    s.add("udim", "file", fileTextureName=str(tmp_path / "tex" / "skin.1001.exr"), uvTilingMode=3,
          useFrameExtension=False, computedFileTextureNamePattern=str(tmp_path / "tex" / "skin.<UDIM>.exr"))
    s.add("seq", "file", fileTextureName=str(tmp_path / "seq" / "fire.0007.png"), uvTilingMode=0,
          useFrameExtension=True, computedFileTextureNamePattern="")
    s.add("missing", "file", fileTextureName=str(tmp_path / "gone.jpg"), uvTilingMode=0, useFrameExtension=False)
    s.add("empty", "file", fileTextureName="", uvTilingMode=0, useFrameExtension=False)
    s.add("hdri", "aiImage", filename=str(tmp_path / "sky.<udim>.tx"))
    s.add("crowd", "aiStandIn", dso=str(tmp_path / "crowd.####.ass"))
    s.references = [str(tmp_path / "char.ma") + "{1}"]
    s.reference_nodes = {s.references[0]: "charRN"}
    s.file_list = [s.scene_name, str(tmp_path / "seq" / "fire.0007.png"), str(tmp_path / "extra.ocio")]
    return s


def test_arnold_legacy_layers(tmp_path, adapter_for):
    adapter, fakes = adapter_for(arnold_scene(tmp_path))
    desc = adapter.describe_scene()
    assert desc.host == "maya" and desc.host_version == "2024.2"
    assert desc.renderer == "arnold" and desc.renderer_version == "5.3.4.1"
    # MASH ships with Maya (rv_dcc.scene.plugins.BUNDLED): the farm has it, the catalog does not list it
    assert [(p.name, p.version) for p in desc.plugins] == [("mtoa", "5.3.4.1")]
    assert (desc.frame_start, desc.frame_end, desc.frame_step) == (1, 24, 2)
    assert desc.render_layer_type == "0"
    assert desc.project_dir == str(tmp_path) + "/"
    assert desc.output.format == "exr" and desc.output.prefix == "<Scene>/<RenderLayer>"
    assert desc.output.path == str(tmp_path) + "/images"
    assert [(c.name, c.renderable) for c in desc.cameras] == [("perspShape", False), ("renderCamShape", True)]
    layers = {layer.name: layer for layer in desc.layers}
    assert set(layers) == {"defaultRenderLayer", "beauty", "fx"}, "referenced layers are not the scene's"
    assert layers["beauty"].renderable and layers["beauty"].frames is None
    assert layers["beauty"].cameras == ["renderCamShape"]
    fx = layers["fx"]
    assert not fx.renderable and fx.frames == "10-20x2" and fx.cameras == ["perspShape"]
    assert fx.resolution.width == 960 and fx.resolution.height == 1080
    assets = {(a.node, a.attribute): a for a in desc.assets}
    assert assets[("udim", "fileTextureName")].path.endswith("skin.<UDIM>.exr")
    assert assets[("seq", "fileTextureName")].path.endswith("fire.####.png")
    assert assets[("seq", "fileTextureName")].kind == "image_sequence"
    assert assets[("hdri", "filename")].path.endswith("sky.<udim>.tx")
    assert assets[("crowd", "dso")].kind == "proxy"
    assert assets[("charRN", "")].path == str(tmp_path / "char.ma") and assets[("charRN", "")].kind == "reference"
    assert ("empty", "fileTextureName") not in assets
    others = [a.path for a in desc.assets if a.kind == "other"]
    assert others == [str(tmp_path / "extra.ocio")], "the safety net adds only what the table missed"
    assert desc.settings["renumber_frames"] is False


def test_vray_render_setup_without_arnold(tmp_path, adapter_for):
    s = fake_maya.MayaScene()
    s.render_setup = True
    s.load_plugin("vrayformaya", "6.20.01", "VRayMesh", "VRayLightIESShape", "VRayVolumeGrid")
    s.plugins_in_use = ["vrayformaya"]
    s.nodes["defaultRenderGlobals"]["currentRenderer"] = "vray"
    s.add("vraySettings", "VRaySettingsNode", fileNamePrefix="<Layer>/<Camera>", imageFormatStr="exr (multichannel)")
    s.add("rs_hero", "renderLayer", renderable=True)
    s.add("renderCamShape", "camera", renderable=True)
    s.add("proxy", "VRayMesh", fileName="//nas/share/tree.vrmesh")
    adapter, _ = adapter_for(s)
    desc = adapter.describe_scene()
    assert desc.render_layer_type == "1"
    assert desc.renderer == "vray" and desc.renderer_version == "6.20.01"
    assert desc.output.prefix == "<Layer>/<Camera>" and desc.output.format == "exr (multichannel)"
    assert [layer.name for layer in desc.layers] == ["defaultRenderLayer", "rs_hero"]
    assert [(a.path, a.kind) for a in desc.assets] == [("//nas/share/tree.vrmesh", "proxy")]


def test_redshift_still_frame(adapter_for):
    s = fake_maya.MayaScene()
    s.load_plugin("redshift4maya", "3.5.19", "RedshiftNormalMap", "RedshiftProxyMesh")
    s.nodes["defaultRenderGlobals"].update(currentRenderer="redshift", animation=False)
    s.add("redshiftOptions", "RedshiftOptions", imageFormat=1, **{"imageFormat@label": "OpenEXR (.exr)"})
    s.time_unit = "pal"
    adapter, _ = adapter_for(s)
    desc = adapter.describe_scene()
    assert desc.output.format == "exr"
    assert (desc.frame_start, desc.frame_end) == (7, 7), "animation off renders the current frame"
    assert desc.fps == 25.0 and desc.settings["animation"] is False
    assert desc.renderer_version == "3.5.19"


def test_describe_is_read_only_and_unsaved_scene(adapter_for, scene):
    scene.modified = True
    before = json.dumps(scene.nodes, sort_keys=True, default=str)
    adapter, _ = adapter_for(scene)
    desc = adapter.describe_scene()
    assert desc.scene_file == "" and desc.scene_saved is False
    assert json.dumps(scene.nodes, sort_keys=True, default=str) == before
    assert scene.saves == 0 and scene.file_info == {}


def test_settings_round_trip_through_file_info(adapter_for, scene):
    adapter, _ = adapter_for(scene)
    assert adapter.load_settings() == {}
    settings = {"frames_per_task": 2, "note": 'quote " and back\\slash', "layers": ["beauty"]}
    adapter.store_settings(settings)
    assert json.loads(scene.file_info["rv_dcc_settings"]) == settings, "plain JSON in the scene's fileInfo"
    assert adapter.load_settings() == settings
    scene.file_info["rv_dcc_settings"] = "not json"
    assert adapter.load_settings() == {}


def test_select_and_save(adapter_for, scene):
    adapter, _ = adapter_for(scene)
    assert adapter.select("defaultResolution") is True and scene.selection == ["defaultResolution"]
    assert adapter.select("nope") is False
    adapter.save_scene()
    assert scene.saves == 1


def test_fake_rejects_what_real_maya_rejects(adapter_for, scene):
    _, fakes = adapter_for(scene)
    with pytest.raises(TypeError, match="notAFlag"):
        fakes.cmds.ls(type="file", notAFlag=True)
    with pytest.raises(AttributeError):
        fakes.cmds.getRenderLayers  # not a maya.cmds command
    with pytest.raises(RuntimeError):
        fakes.cmds.ls(type="aiImage")  # mtoa not loaded
    with pytest.raises(ValueError):
        fakes.cmds.getAttr("nothing.here")


def test_ui_language_is_mayas_interface_language(adapter_for):
    from rv_dcc.i18n.language import supported

    s = fake_maya.MayaScene()
    s.ui_language = "zh_CN"  # Maya started in Simplified Chinese (about -uiLanguage)
    adapter, _ = adapter_for(s)
    assert adapter.ui_language() == "zh_CN" and supported(adapter.ui_language()) == "zh_CN"
    s.ui_language = "ja_JP"
    assert supported(adapter.ui_language()) is None  # no Japanese catalog: the rule falls back to English
