"""A production-shaped shot (make_production.py, built with the Blender under test): the adapter
finds everything the render needs and nothing it does not, and the scan says what is missing."""
import os
import subprocess
from pathlib import Path

import pytest

from blender_helpers import HAS_BPY, HERE, TEST_BLENDER, script_command

pytestmark = [pytest.mark.blender, pytest.mark.skipif(not HAS_BPY, reason="bpy is not installed")]


@pytest.fixture(scope="module")
def shot(tmp_path_factory):
    base = tmp_path_factory.mktemp("production")
    root, outside = base / "show", base / "elsewhere"
    proc = subprocess.run(script_command(HERE / "make_production.py", str(root), str(outside)), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    from rv_dcc.batch import describe_file
    from rv_dcc.scene.assets import scan_assets

    with pytest.MonkeyPatch.context() as patch:
        if TEST_BLENDER:
            patch.setenv("RV_DCC_BLENDER", TEST_BLENDER)
        else:
            patch.delenv("RV_DCC_BLENDER", raising=False)
        desc = describe_file(str(root / "shots" / "sh010" / "sh010_lighting.blend"), timeout=180)
    return desc, scan_assets(desc, hash_files=False), root, outside


def refs(desc, **match):
    return [r for r in desc.assets if all(getattr(r, k) == v for k, v in match.items())]


def test_vfx_frames_cameras_and_view_layers(shot):
    desc = shot[0]
    assert (desc.frame_start, desc.frame_end, desc.frame_step) == (1001, 1100, 1)
    # markers switch cameras at 1001 and 1050; the third camera's marker (1200) is after the range
    assert {c.name: c.renderable for c in desc.cameras} == {"CamMain": True, "CamAlt": True, "CamUnused": False}
    assert [(l.name, l.renderable, l.cameras) for l in desc.layers] == [
        ("Beauty", True, ["CamMain", "CamAlt"]), ("FG", True, ["CamMain", "CamAlt"]),
        ("Utility", False, ["CamMain", "CamAlt"])]


def test_libraries_and_their_own_textures_resolve_relative_to_the_library(shot):
    desc, _scan, root, _ = shot
    hero_tex = refs(desc, path="//textures/hero_diff.png")[0]
    assert hero_tex.resolved == str(root / "assets" / "chars" / "textures" / "hero_diff.png")
    crate_tex = refs(desc, node="Crate")[0]  # used by hero.blend, linked by hero.blend from crate.blend
    assert (crate_tex.path, crate_tex.resolved) == ("//tex/crate.png", str(root / "assets" / "props" / "tex" / "crate.png"))
    libraries = {Path(r.resolved).name: r.resolved for r in refs(desc, kind="library")}
    assert libraries == {"hero.blend": str(root / "assets" / "chars" / "hero.blend"),
                         "crate.blend": str(root / "assets" / "props" / "crate.blend")}


def test_packed_images_are_neither_uploaded_nor_missing(shot):
    desc, scan, _root, _ = shot
    assert refs(desc, node="Decal") == []
    assert not [m for m in scan.missing if "decal" in m.ref.path.lower()]


def test_a_declared_udim_tile_missing_on_disk_is_reported_by_name(shot):
    desc, scan, root, _ = shot
    assert refs(desc, node="Skin", kind="texture")[0].path == "//../../textures/skin.<UDIM>.png"
    missing = [(m.ref.node, m.ref.attribute, Path(m.ref.resolved or m.ref.path).name) for m in scan.missing]
    assert missing == [("Skin", "tiles[1011]", "skin.1011.png")]  # the only thing missing in the shot
    found = {Path(f.path).name for f in scan.found}
    assert {"skin.1001.png", "skin.1002.png"} <= found


def test_sequences_caches_volumes_fonts_and_paths_outside_the_project(shot):
    desc, scan, root, outside = shot
    plate = refs(desc, node="Plate")[0]
    assert (plate.kind, plate.path) == ("image_sequence", "//../../plates/bg.####.png")
    caches = {Path(r.resolved).name: r.kind for r in refs(desc, kind="cache")}
    assert caches == {"anim.abc": "cache", "crowd.usda": "cache"}
    smoke = refs(desc, kind="volume")[0]
    assert smoke.path == "//../../vdb/smoke.####.vdb"
    font = refs(desc, kind="font")[0]
    assert font.resolved == str(root / "fonts" / "title.woff2")
    studio = refs(desc, node="Studio")[0]
    assert studio.path == str(outside / "hdri" / "studio.png") and not studio.path.startswith(str(root))
    found = {os.path.relpath(f.path, root.parent) for f in scan.found}
    expected = {"show/plates/bg.1001.png", "show/plates/bg.1002.png", "show/plates/bg.1003.png",
                "show/textures/skin.1001.png", "show/textures/skin.1002.png", "elsewhere/hdri/studio.png",
                "show/assets/props/tex/crate.png", "show/assets/chars/textures/hero_diff.png",
                "show/assets/props/crate.blend", "show/assets/chars/hero.blend", "show/caches/anim.abc",
                "show/caches/crowd.usda", "show/vdb/smoke.1001.vdb", "show/vdb/smoke.1002.vdb",
                "show/vdb/smoke.1003.vdb", "show/fonts/title.woff2"}
    assert found == expected  # everything the render needs, and nothing else (no builtin font, no OCIO)
