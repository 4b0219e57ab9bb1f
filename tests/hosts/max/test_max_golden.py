"""A production-shaped 3ds Max scene through describe -> checks -> task files, against a signed-off
golden (golden/max_arch_interior.jsonc explains every expected value)."""
import importlib
import importlib.util
from pathlib import Path

import fake_pymxs

HERE = Path(__file__).resolve().parent


def _golden():
    spec = importlib.util.spec_from_file_location("rv_dcc_golden", HERE.parent / "golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def arch_interior(root: Path):
    """V-Ray 6 interior fly-through: the active time segment 0-240 every 2nd frame, 2560x1440, the
    view's camera CamFly (a second camera CamStill is not rendered), three render elements, and the
    Asset Manager's files: bitmaps (one a #### sequence, one gone), an IES profile, a V-Ray proxy,
    a VDB sequence, an XRef'd furniture scene whose own bitmap the Asset Manager lists too."""
    s = fake_pymxs.MaxScene()
    s.path, s.file, s.project = str(root / "scenes") + "/", "int_fly_v014.max", str(root)
    s.time_type, s.animation_range, s.nth, s.size = 2, (0, 240), 2, (2560, 1440)
    s.cameras = [("CamFly", "Physical"), ("CamFly.Target", "Targetobject"), ("CamStill", "Physical")]
    s.view_camera = "CamFly"
    s.output = str(root / "renders" / "int_fly" / "int_fly_.exr")
    s.elements = [("VRayLightSelect_sun", str(root / "renders/int_fly/int_fly_.VRayLightSelect_sun.exr")),
                  ("VRayDenoiser", str(root / "renders/int_fly/int_fly_.VRayDenoiser.exr")),
                  ("VRayCryptomatte", str(root / "renders/int_fly/int_fly_.VRayCryptomatte.exr"))]
    maps = root / "maps"
    s.assets = [(str(maps / "oak_floor.jpg"), "Bitmap"), (str(maps / "tv" / "tv_####.png"), "Bitmap"),
                (str(maps / "plaster_old.tif"), "Bitmap"), (str(root / "ies" / "downlight.ies"), "Photometric"),
                (str(root / "proxy" / "plant.vrmesh"), "Other"), (str(root / "fx" / "steam_0001.vdb"), "Other"),
                (str(root / "xref" / "maps" / "sofa_fabric.jpg"), "Bitmap"), (s.output, "RenderOutput")]
    s.xref_scenes = [str(root / "xref" / "furniture.max")]
    for rel in ("scenes/int_fly_v014.max", "maps/oak_floor.jpg", "maps/tv/tv_0001.png", "maps/tv/tv_0002.png",
                "ies/downlight.ies", "proxy/plant.vrmesh", "fx/steam_0001.vdb", "xref/furniture.max",
                "xref/maps/sofa_fabric.jpg"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    return s


def test_max_arch_interior_matches_the_golden(tmp_path, monkeypatch):
    golden = _golden()
    fake_pymxs.install(arch_interior(tmp_path), monkeypatch)
    desc = importlib.import_module("rv_dcc_hosts.max.adapter").MaxAdapter().describe_scene()
    found = golden.found_in(desc, 2001, tmp_path)
    golden.compare(found, HERE / "golden" / "max_arch_interior.jsonc")
