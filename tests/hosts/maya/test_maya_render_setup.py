"""Maya Render Setup layers, output names, AOVs and plug-in names against the fake maya.

Render Setup keeps per-layer overrides in override nodes, not in the legacy .adjustments the
adapter used to read: the fake applies them only while their layer is current (fake_maya.py,
MayaScene.effective), as Maya does, so reading .adjustments finds nothing and the test fails.
"""
import importlib

import pytest

import fake_maya


@pytest.fixture
def describe(monkeypatch):
    def run(scene):
        fake_maya.install(scene, monkeypatch)
        return importlib.import_module("rv_dcc_hosts.maya.adapter").MayaAdapter().describe_scene()
    return run


def render_setup_scene():
    """masterLayer off; 'beauty' renders frames 1-48 on shotCam with 3 AOVs; 'fx' overrides the frame
    range, the resolution (relative: half size), the renderer and the camera."""
    s = fake_maya.MayaScene()
    s.scene_name = "/proj/scenes/sh010_lgt_v012.ma"
    s.workspace_root = "/proj/"
    s.load_plugin("mtoa", "5.4.2.1", "aiAOV")
    s.load_plugin("redshift4maya", "3.5.19", "RedshiftAOV")
    s.load_plugin("RenderMan_for_Maya.py", "24.4 @ 2226585")
    s.plugins_in_use = ["mtoa"]
    s.nodes["defaultRenderLayer"]["renderable"] = False
    s.nodes["defaultRenderGlobals"].update(startFrame=1.0, endFrame=48.0, byFrameStep=1.0,
                                           imageFilePrefix="<Scene>/<RenderLayer>/<Camera>/<RenderPass>/<Scene>")
    s.add("defaultArnoldRenderOptions", "aiOptions", aovMode=1)
    s.add("defaultArnoldDriver", "aiAOVDriver", ai_translator="exr")
    s.add("perspShape", "camera", renderable=False, __parent__="persp")
    s.add("shotCamShape", "camera", renderable=True, __parent__="shotCam")
    s.add("witnessCamShape", "camera", renderable=False, __parent__="witnessCam")
    s.add("aiAOV_diffuse", "aiAOV", name="diffuse", enabled=True)
    s.add("aiAOV_specular", "aiAOV", name="specular", enabled=True)
    s.add("aiAOV_crypto_object", "aiAOV", name="crypto_object", enabled=True)
    s.rs_layer("beauty")
    s.rs_layer("fx")
    s.rs_layer("lookdev", renderable=False)
    s.absolute("rs_fx", "defaultRenderGlobals.startFrame", 1001.0)
    s.absolute("rs_fx", "defaultRenderGlobals.endFrame", 1100.0)
    s.absolute("rs_fx", "defaultRenderGlobals.byFrameStep", 2.0)
    s.relative("rs_fx", "defaultResolution.width", 0.5, 0.0)
    s.relative("rs_fx", "defaultResolution.height", 0.5, 0.0)
    s.absolute("rs_fx", "shotCamShape.renderable", False)
    s.absolute("rs_fx", "witnessCamShape.renderable", True)
    s.absolute("rs_fx", "aiAOV_specular.enabled", False)
    s.absolute("rs_lookdev", "defaultRenderGlobals.currentRenderer", "redshift")
    return s


def test_two_render_setup_layers_with_different_overrides_give_two_different_layers(describe):
    desc = describe(render_setup_scene())
    assert desc.render_layer_type == "1"
    layers = {layer.name: layer for layer in desc.layers}
    beauty, fx, lookdev = layers["rs_beauty"], layers["rs_fx"], layers["rs_lookdev"]
    assert beauty.frames is None and beauty.resolution is None and beauty.cameras == ["shotCamShape"]
    assert fx.frames == "1001-1100x2", "absolute overrides of the frame range"
    assert (fx.resolution.width, fx.resolution.height) == (960, 540), "relative override: original * 0.5"
    assert fx.cameras == ["witnessCamShape"], "the camera the layer overrides to renderable"
    assert lookdev.renderer == "redshift" and lookdev.renderable is False
    assert layers["defaultRenderLayer"].renderable is False
    assert (desc.frame_start, desc.frame_end) == (1, 48) and desc.resolution.width == 1920


def test_outputs_and_aovs_are_resolved_per_layer_and_camera(describe):
    desc = describe(render_setup_scene())
    images = desc.settings["images"]
    # prefix <Scene>/<RenderLayer>/<Camera>/<RenderPass>/<Scene> under the project's images folder:
    # scene sh010_lgt_v012, Render Setup layer "beauty" (node rs_beauty), camera transform shotCam,
    # Arnold's main pass "beauty", 4-digit padding as ####, the driver's exr
    assert images["rs_beauty"]["shotCamShape"]["beauty"] == \
        "/proj/images/sh010_lgt_v012/beauty/shotCam/beauty/sh010_lgt_v012.####.exr"
    assert images["rs_beauty"]["shotCamShape"]["diffuse"] == \
        "/proj/images/sh010_lgt_v012/beauty/shotCam/diffuse/sh010_lgt_v012.####.exr"
    assert desc.settings["aovs"]["rs_beauty"] == ["diffuse", "specular", "crypto_object"]
    assert desc.settings["aovs"]["rs_fx"] == ["diffuse", "crypto_object"], "the layer disables specular"
    assert set(images["rs_fx"]) == {"witnessCamShape"}
    assert images["rs_fx"]["witnessCamShape"]["crypto_object"].startswith("/proj/images/sh010_lgt_v012/fx/witnessCam/")
    fx = next(layer for layer in desc.layers if layer.name == "rs_fx")
    assert fx.output.path == images["rs_fx"]["witnessCamShape"]["beauty"]
    assert fx.output.prefix == "<Scene>/<RenderLayer>/<Camera>/<RenderPass>/<Scene>", "the farm gets the raw prefix"


def test_the_artists_layer_is_restored_and_the_scene_values_are_the_master_layers(describe):
    s = render_setup_scene()
    s.current_layer = "rs_fx"  # the artist saved the scene while looking at the fx layer
    desc = describe(s)
    assert s.current_layer == "rs_fx", "describe leaves the artist in their layer"
    assert (desc.frame_start, desc.frame_end, desc.resolution.width) == (1, 48, 1920), "not fx's overrides"
    assert [(c.name, c.renderable) for c in desc.cameras][1] == ("shotCamShape", True)


def test_plugins_use_the_farm_catalog_names_and_renderman_py_has_its_version(describe):
    s = render_setup_scene()
    s.nodes["defaultRenderGlobals"]["currentRenderer"] = "renderman"
    desc = describe(s)
    plugins = {p.name: p.version for p in desc.plugins}
    # farm catalog names (tests/submit/fixtures/catalog.json, Maya 2000: mtoa, redshift, renderman, vrayformaya)
    assert plugins == {"mtoa": "5.4.2.1", "redshift": "3.5.19", "renderman": "24.4"}
    assert desc.renderer_version == "24.4", "RenderMan 22+ registers as RenderMan_for_Maya.py"


def test_vray_names_its_files_from_its_own_settings(describe):
    """V-Ray's prefix, element separator, padding and format (ayon_maya lib_renderproducts RenderProductsVray)."""
    s = render_setup_scene()
    s.load_plugin("vrayformaya", "6.20.06", "VRayRenderElement", "VRaySettingsNode")
    s.nodes["defaultRenderGlobals"]["currentRenderer"] = "vray"
    s.add("vraySettings", "VRaySettingsNode", fileNamePrefix="%s/%l/<Camera>/%s", fileNameRenderElementSeparator="_",
          fileNamePadding=5, imageFormatStr="exr")
    s.add("vrayRE_Diffuse", "VRayRenderElement", enabled=True, vray_name_diffuse="diffuse")
    s.add("vrayRE_Z", "VRayRenderElement", enabled=True, vray_explicit_name_zdepth="depth", vray_name_zdepth="zdepth")
    desc = describe(s)
    beauty = desc.settings["images"]["rs_beauty"]["shotCamShape"]
    # %s = the scene file's name, %l = the Render Setup layer's name, <Camera> = the camera's transform
    assert beauty == {"beauty": "/proj/images/sh010_lgt_v012/beauty/shotCam/sh010_lgt_v012.#####.exr",
                      "diffuse": "/proj/images/sh010_lgt_v012/beauty/shotCam/sh010_lgt_v012_diffuse.#####.exr",
                      "depth": "/proj/images/sh010_lgt_v012/beauty/shotCam/sh010_lgt_v012_depth.#####.exr"}
    assert desc.settings["aovs"]["rs_beauty"] == ["diffuse", "depth"], "an explicit name wins"
    s.nodes["vraySettings"]["imageFormatStr"] = "exr (multichannel)"
    assert set(describe(s).settings["images"]["rs_beauty"]["shotCamShape"]) == {"beauty"}, "one file holds them all"
