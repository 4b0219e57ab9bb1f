"""Production ROP types: USD Render with any Hydra delegate and RenderProduct outputs, RenderMan,
bake, comp, DOP, fetch and wedge chains; frame tokens next to $FSTART / $FEND / $FPS."""
import importlib

import pytest

import fake_hou


@pytest.fixture
def describe(monkeypatch):
    def run(scene):
        fake_hou.install(scene, monkeypatch)
        return importlib.import_module("rv_dcc_hosts.houdini.adapter").HoudiniAdapter().describe_scene()
    return run


def solaris_scene():
    s = fake_hou.HipScene()
    s.add("/obj/cam1", "cam", resx=1920, resy=1080)
    s.add("/stage/render_settings", "karmarendersettings", fake_hou.LopNode)
    s.nodes["/stage/render_settings"]._stage = fake_hou.UsdStage({
        "/Render/rendersettings": fake_hou.UsdPrim("RenderSettings", relationships={"products": ["/Render/Products/beauty"]}),
        "/Render/Products/beauty": fake_hou.UsdPrim("RenderProduct", {"productName": "/proj/render/shot.beauty.0012.exr"}),
        "/Render/Products/unused": fake_hou.UsdPrim("RenderProduct", {"productName": "/proj/render/unused.exr"}),
    })
    # USD Render ROPs in /out run the delegate their "renderer" parm names
    s.add("/out/usd_karma", "usdrender", fake_hou.RopNode, trange=1, f1=1, f2=24, f3=1, renderer="BRAY_HdKarmaXPU",
          loppath="/stage/render_settings", outputimage="", override_camera="", rendersettings="/Render/rendersettings")
    s.add("/out/usd_redshift", "usdrender", fake_hou.RopNode, trange=1, f1=1, f2=24, f3=1,
          renderer="HdRedshiftRendererPlugin", loppath="/stage/render_settings", rendersettings="/Render/rendersettings",
          outputimage="$HIP/render/rs.$F4.exr", override_camera="/obj/cam1")
    s.add("/out/usd_arnold", "usdrender", fake_hou.RopNode, trange=1, f1=1, f2=24, f3=1,
          renderer="HdArnoldRendererPlugin", loppath="/stage/render_settings", outputimage="", override_camera="",
          rendersettings="/Render/missing")
    s.add("/out/ris1", "ris::3.0", fake_hou.RopNode, trange=1, f1=1, f2=10, f3=1, camera="/obj/cam1",
          ri_display_0="$HIP/render/ris.$F4.exr")
    s.add("/out/bake", "baketexture::3.0", fake_hou.RopNode, trange=0, vm_uvoutputpicture1="$HIP/tex/bake.%(UDIM)d.exr")
    s.add("/out/comp1", "comp", fake_hou.RopNode, trange=1, f1=1, f2=24, f3=1, copoutput="$HIP/comp/out.$F4.png")
    s.add("/out/dopsim", "dop", fake_hou.RopNode, trange=1, f1=1, f2=48, f3=1, dopoutput="$HIP/sim/sim.$SF4.sim")
    s.add("/out/fetch_sim", "fetch", fake_hou.RopNode, trange=1, f1=1, f2=48, f3=1, source="/out/dopsim")
    s.add("/out/wedge1", "wedge", fake_hou.RopNode, trange=1, f1=1, f2=10, f3=1, driver="/out/ris1")
    return s


def test_usd_render_reads_the_delegate_and_the_render_product(describe):
    desc = describe(solaris_scene())
    layers = {layer.name: layer for layer in desc.layers}
    karma, redshift, arnold = layers["/out/usd_karma"], layers["/out/usd_redshift"], layers["/out/usd_arnold"]
    assert (karma.renderer, redshift.renderer, arnold.renderer) == ("Karma XPU", "Redshift", "Arnold")
    assert karma.output.path == "/proj/render/shot.beauty.0012.exr", "productName of the settings' product"
    assert redshift.output.path == "$HIP/render/rs.$F4.exr", "outputimage, when set, wins"
    assert arnold.output.path in ("/proj/render/shot.beauty.0012.exr", "/proj/render/unused.exr"), \
        "no render settings prim: a RenderProduct on the stage"
    assert desc.renderer == "Karma XPU" and desc.renderer_version == fake_hou.DEFAULT_VERSION
    assert {p.name for p in desc.plugins} == {"redshift", "htoa", "renderman"}


def test_production_rop_types(describe):
    desc = describe(solaris_scene())
    layers = {layer.name: layer for layer in desc.layers}
    assert layers["/out/ris1"].renderer == "RenderMan" and layers["/out/ris1"].output.path == "$HIP/render/ris.$F4.exr"
    assert layers["/out/bake"].renderer == "Mantra" and layers["/out/bake"].output.format == "exr"
    assert layers["/out/comp1"].output.path == "$HIP/comp/out.$F4.png" and layers["/out/comp1"].option == "-1"
    assert layers["/out/dopsim"].option == "0" and layers["/out/dopsim"].output.path.endswith(".sim")
    assert layers["/out/fetch_sim"].depends_on == ["/out/dopsim"], "fetch runs its source"
    assert layers["/out/wedge1"].depends_on == ["/out/ris1"], "wedge runs its driver"


def test_fstart_fend_fps_are_expanded_frame_tokens_kept(describe, monkeypatch):
    s = fake_hou.HipScene()
    s.variables.update(FPS="24")
    s.add("/mat/tex", "file", file="$HIP/cache/$FSTART-${FEND}_$FPS/frame.$F4.${F}.$FF.bgeo.sc")
    s.ref("/mat/tex", "file")
    desc = describe(s)
    assert desc.assets[0].path == "/proj/cache/1-240_24/frame.$F4.${F}.$FF.bgeo.sc"


def test_htoa_version_comes_from_the_loaded_plugin_before_the_launcher_variable(describe, monkeypatch):
    import sys
    import types

    s = fake_hou.HipScene()
    s.env["HTOA_VERSION"] = "6.0.0.0"  # what an old launcher config says
    s.add("/obj/cam1", "cam", resx=1920, resy=1080)
    s.add("/out/arnold1", "arnold", fake_hou.RopNode, trange=1, f1=1, f2=5, f3=1, camera="/obj/cam1",
          ar_picture="$HIP/render/a.$F4.exr")
    desc = describe(s)
    assert [(p.name, p.version) for p in desc.plugins] == [("htoa", "6.0.0.0")], "no htoa module: the variable"
    monkeypatch.setitem(sys.modules, "htoa", types.SimpleNamespace(__version__="6.3.4.1"))  # HtoA loaded
    desc = describe(s)
    assert [(p.name, p.version) for p in desc.plugins] == [("htoa", "6.3.4.1")] and desc.renderer_version == "6.3.4.1"


def test_karma_rop_engine_decides_cpu_or_xpu(describe):
    s = fake_hou.HipScene()
    s.add("/obj/cam1", "cam", resx=1920, resy=1080)
    s.add("/out/karma_cpu", "karma", fake_hou.RopNode, trange=1, f1=1, f2=5, f3=1, camera="/obj/cam1",
          picture="$HIP/render/cpu.$F4.exr", engine="cpu")
    s.add("/out/karma_xpu", "karma", fake_hou.RopNode, trange=1, f1=1, f2=5, f3=1, camera="/obj/cam1",
          picture="$HIP/render/xpu.$F4.exr", engine="xpu")
    layers = {layer.name: layer.renderer for layer in describe(s).layers}
    assert layers == {"/out/karma_cpu": "Karma", "/out/karma_xpu": "Karma XPU"}
