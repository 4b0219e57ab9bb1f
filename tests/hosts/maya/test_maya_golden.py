"""A production-shaped Maya scene through describe -> checks -> task files, against a signed-off golden
(golden/maya_lighting_shot.jsonc explains every expected value)."""
import importlib.util
from pathlib import Path

import fake_maya
from test_maya_render_setup import render_setup_scene

HERE = Path(__file__).resolve().parent


def _golden():
    spec = importlib.util.spec_from_file_location("rv_dcc_golden", HERE.parent / "golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lighting_shot(root: Path):
    """Render Setup layers beauty / fx / lookdev (test_maya_render_setup.py), plus the files a real
    lighting scene carries: UDIM skin, a flipbook sequence, an Arnold stand-in sequence, a
    referenced character whose own texture Maya lists, and one texture that is gone."""
    s = render_setup_scene()
    s.scene_name = str(root / "scenes" / "sh010_lgt_v012.ma")
    s.workspace_root = str(root) + "/"
    s.load_plugin("AbcImport", "1.0", "AlembicNode")
    s.plugins_in_use = ["mtoa", "redshift4maya", "AbcImport"]  # aiAOV, redshiftOptions and AlembicNode nodes
    s.add("redshiftOptions", "RedshiftOptions", imageFormat=1, aovGlobalEnableMode=1,
          **{"imageFormat@label": "OpenEXR (.exr)"})
    for rel in ("scenes/sh010_lgt_v012.ma", "assets/char/hero.ma", "assets/char/tex/hero_diff.1001.tx",
                "assets/char/tex/hero_diff.1002.tx", "fx/flip/flip.0001.exr", "fx/flip/flip.0002.exr",
                "fx/crowd/crowd.0001.ass", "fx/crowd/crowd.0002.ass", "cache/hero_anim.abc",
                "assets/char/tex/hero_eyes.tx"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    s.add("skin", "file", fileTextureName=str(root / "assets/char/tex/hero_diff.1001.tx"), uvTilingMode=3,
          useFrameExtension=False, computedFileTextureNamePattern=str(root / "assets/char/tex/hero_diff.<UDIM>.tx"))
    s.add("flipbook", "file", fileTextureName=str(root / "fx/flip/flip.0001.exr"), uvTilingMode=0,
          useFrameExtension=True, computedFileTextureNamePattern="")
    s.add("gone", "file", fileTextureName=str(root / "assets/env/sky_old.hdr"), uvTilingMode=0, useFrameExtension=False)
    s.load_plugin("mtoa", "5.4.2.1", "aiAOV", "aiStandIn", "aiImage", "aiVolume", "aiPhotometricLight")
    s.add("crowd", "aiStandIn", dso=str(root / "fx/crowd/crowd.####.ass"))
    s.add("heroAnim", "AlembicNode", abc_File=str(root / "cache/hero_anim.abc"))
    s.references = [str(root / "assets/char/hero.ma")]
    s.reference_nodes = {s.references[0]: "heroRN"}
    # Maya's file -query -list includes what references bring: the character's eye texture
    s.file_list = [s.scene_name, str(root / "assets/char/hero.ma"), str(root / "assets/char/tex/hero_eyes.tx")]
    return s


def test_maya_lighting_shot_matches_the_golden(tmp_path, monkeypatch):
    golden = _golden()
    fake_maya.install(lighting_shot(tmp_path), monkeypatch)
    desc = importlib.import_module("rv_dcc_hosts.maya.adapter").MayaAdapter().describe_scene()
    found = golden.found_in(desc, 2000, tmp_path)
    golden.compare(found, HERE / "golden" / "maya_lighting_shot.jsonc")
