"""A production-shaped .hip through describe -> checks -> task files, against a signed-off golden
(golden/houdini_fx_shot.jsonc explains every expected value). Runs with the 19.5 and 20.5 hou API."""
import importlib
import importlib.util
from pathlib import Path

import fake_hou

HERE = Path(__file__).resolve().parent


def _golden():
    spec = importlib.util.spec_from_file_location("rv_dcc_golden", HERE.parent / "golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fx_shot(root: Path):
    """/obj: two cameras, a SOP file cache; a ROP network that simulates then writes Alembic;
    /out: Mantra beauty after the Alembic, a bypassed Redshift pass, a Solaris Karma XPU render
    whose output is the USD RenderProduct, a fetch of the simulation and a wedge over Mantra.
    Files: a texture, UDIM tiles, a VDB sequence, an HDA library, and one texture that is gone."""
    s = fake_hou.HipScene(hip=str(root / "fx_sh020_v003.hip"))
    s.variables.update(HIP=str(root), JOB=str(root), HIPNAME="fx_sh020_v003", FSTART="1001", FEND="1100", FPS="24")
    s.env["JOB"] = str(root)
    s.env["REDSHIFT_VERSION"] = "3.6.02"
    s.add("/obj/shotcam", "cam", resx=2048, resy=858)
    s.add("/obj/witness", "cam", resx=1280, resy=720)
    s.add("/obj/fx", "geo")
    s.add("/obj/fx/cache", "filecache::2.0", fake_hou.SopNode, trange=1, f1=1001, f2=1100, f3=1,
          file="$HIP/cache/$HIPNAME.$OS.$F4.bgeo.sc")
    s.add("/obj/ropnet1", "ropnet")
    s.add("/obj/ropnet1/sim", "geometry", fake_hou.RopNode, trange=1, f1=1001, f2=1100, f3=1,
          sopoutput="$JOB/sim/sim.$F4.bgeo.sc")
    s.add("/obj/ropnet1/abc", "alembic", fake_hou.RopNode, inputs=("/obj/ropnet1/sim",), trange=1, f1=1001, f2=1100,
          f3=1, filename="$JOB/abc/fx.abc")
    s.add("/out/mantra_beauty", "ifd", fake_hou.RopNode, inputs=("/obj/ropnet1/abc",), trange=1, f1=1001, f2=1100, f3=1,
          camera="/obj/shotcam", vm_picture="$HIP/render/$HIPNAME.$OS.$F4.exr")
    s.add("/out/rs_pass", "Redshift_ROP", fake_hou.RopNode, bypass=True, trange=1, f1=1001, f2=1010, f3=1,
          RS_renderCamera="/obj/witness", RS_outputFileNamePrefix="$HIP/render/rs.$F4.exr")
    s.add("/stage/karma_settings", "karmarendersettings", fake_hou.LopNode)
    s.nodes["/stage/karma_settings"]._stage = fake_hou.UsdStage({
        "/Render/rendersettings": fake_hou.UsdPrim("RenderSettings", relationships={"products": ["/Render/Products/main"]}),
        "/Render/Products/main": fake_hou.UsdPrim("RenderProduct", {"productName": str(root / "render/karma/fx.1001.exr")}),
    })
    s.add("/out/karma_xpu", "usdrender", fake_hou.RopNode, trange=1, f1=1001, f2=1100, f3=4, renderer="BRAY_HdKarmaXPU",
          loppath="/stage/karma_settings", rendersettings="/Render/rendersettings", outputimage="",
          override_camera="/obj/shotcam")
    s.add("/out/fetch_sim", "fetch", fake_hou.RopNode, trange=1, f1=1001, f2=1100, f3=1, source="/obj/ropnet1/sim")
    s.add("/out/wedge_beauty", "wedge", fake_hou.RopNode, trange=1, f1=1001, f2=1010, f3=1, driver="/out/mantra_beauty")
    s.add("/mat/rock", "principledshader::2.0", basecolor_texture="$HIP/tex/rock_diff.<UDIM>.rat",
          rough_texture="$HIP/tex/rock_rough.rat", bump_texture="$HIP/tex/rock_bump_old.rat")
    s.add("/obj/fx/smoke", "volume", file="$JOB/vdb/smoke.$F4.vdb")
    for node, parm_name in (("/mat/rock", "basecolor_texture"), ("/mat/rock", "rough_texture"),
                            ("/mat/rock", "bump_texture"), ("/obj/fx/smoke", "file"),
                            ("/out/mantra_beauty", "vm_picture"), ("/obj/ropnet1/sim", "sopoutput")):
        s.ref(node, parm_name)
    s.ref(None, "", "$HIP/otls/fx_tools.hda")
    for rel in ("fx_sh020_v003.hip", "tex/rock_diff.1001.rat", "tex/rock_diff.1002.rat", "tex/rock_rough.rat",
                "vdb/smoke.1001.vdb", "vdb/smoke.1002.vdb", "otls/fx_tools.hda"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    return s


def test_houdini_fx_shot_matches_the_golden(tmp_path, monkeypatch):
    golden = _golden()
    fake_hou.install(fx_shot(tmp_path), monkeypatch)
    desc = importlib.import_module("rv_dcc_hosts.houdini.adapter").HoudiniAdapter().describe_scene()
    found = golden.found_in(desc, 2004, tmp_path)
    assert found["renderer"][1] == fake_hou.DEFAULT_VERSION, "a renderer built into Houdini has Houdini's version"
    found["renderer"][1] = "<HOUDINI>"
    golden.compare(found, HERE / "golden" / "houdini_fx_shot.jsonc")
