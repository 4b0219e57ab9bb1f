"""A production-shaped Cinema 4D document through describe -> checks -> task files, against a
signed-off golden (golden/c4d_product_shot.jsonc explains every expected value)."""
import importlib
import importlib.util
from pathlib import Path

import fake_c4d as f

HERE = Path(__file__).resolve().parent


def _golden():
    spec = importlib.util.spec_from_file_location("rv_dcc_golden", HERE.parent / "golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def product_shot(root: Path):
    """Main take (Redshift, 'Final' render settings, frames 0-120, Hero camera), takes 'turntable'
    (its own Turntable camera and a 'Preview' render setting: all frames of the document at half
    size) and its child 'turntable_close' (inherits the Turntable camera), 'octane_lookdev' (Octane,
    unchecked). Assets: a texture, UDIM tiles, an image sequence, an Alembic cache, an XRef'd .c4d
    (a linked file with its own texture), a font, and a missing HDRI."""
    s = f.C4DScene()
    s.folder, s.name = str(root / "c4d"), "prod_sh030_v007.c4d"
    s.fps, s.document_range, s.time = 30, (0, 180), 24
    hero, turn = f.BaseObject("Hero", 5103), f.BaseObject("Turntable", 5103)
    s.objects = [f.BaseObject("Product", 5100, (f.BaseObject("Bottle", 5159),)), hero, turn]
    s.objects[0]._next, hero._next = hero, turn
    s.scene_camera = hero
    s.rd = f.render_data(0, 120, 1, (1920, 1080), "./render/$take/$prj_$camera", "FILTER_EXR", 1036219,
                         multipass=True, name="Final")
    close = f.BaseTake("turntable_close")
    turntable = f.BaseTake("turntable", camera=turn, children=(close,),
                           rd=f.render_data(0, 0, 2, (960, 540), "./render/$take/$rs", "FILTER_PNG", 1036219,
                                            sequence="ALLFRAMES", name="Preview"))
    octane = f.BaseTake("octane_lookdev", checked=False,
                        rd=f.render_data(0, 10, 1, (1920, 1080), "./render/$take/lookdev", "FILTER_EXR", 1029525,
                                         name="Octane"))
    s.main_take = f.BaseTake("Main", main=True, children=(turntable, octane))
    tex = root / "tex"
    for rel in ("c4d/prod_sh030_v007.c4d", "tex/label.png", "tex/glass.1001.exr", "tex/glass.1002.exr",
                "tex/screen/screen_0001.png", "tex/screen/screen_0002.png", "cache/liquid.abc",
                "c4d/xref/studio.c4d", "c4d/xref/tex/floor.jpg", "fonts/Inter.ttf"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    bottle = s.objects[0].GetDown()
    s.assets = [
        {"filename": str(tex / "label.png"), "assetname": "label.png", "exists": True, "owner": bottle, "paramId": 1000},
        {"filename": str(tex / "glass.<UDIM>.exr"), "assetname": "glass", "exists": True, "owner": bottle, "paramId": 1001},
        {"filename": str(tex / "screen" / "screen_####.png"), "assetname": "screen", "exists": True, "owner": None,
         "paramId": 1002},
        {"filename": str(root / "cache" / "liquid.abc"), "assetname": "liquid.abc", "exists": True, "owner": bottle,
         "paramId": 5},
        # an XRef and the texture it brings (GetAllAssetsNew lists the referenced document's assets too)
        {"filename": str(root / "c4d" / "xref" / "studio.c4d"), "assetname": "studio.c4d", "exists": True,
         "owner": s.objects[0], "paramId": 6},
        {"filename": str(root / "c4d" / "xref" / "tex" / "floor.jpg"), "assetname": "floor.jpg", "exists": True,
         "owner": None, "paramId": 7},
        {"filename": str(root / "fonts" / "Inter.ttf"), "assetname": "Inter", "exists": True, "owner": None, "paramId": 0},
        {"filename": str(tex / "studio_old.hdr"), "assetname": "studio_old.hdr", "exists": False, "owner": None,
         "paramId": 8},
    ]
    s.asset_result = "GETALLASSETSRESULT_MISSING"
    return s


def test_c4d_product_shot_matches_the_golden(tmp_path, monkeypatch):
    golden = _golden()
    f.install(product_shot(tmp_path), monkeypatch)
    desc = importlib.import_module("rv_dcc_hosts.c4d.adapter").C4DAdapter().describe_scene()
    found = golden.found_in(desc, 2005, tmp_path)
    golden.compare(found, HERE / "golden" / "c4d_product_shot.jsonc")
