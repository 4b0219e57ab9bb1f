"""From a fake 3ds Max scene to the task files (spec/task_files.md §3 3ds Max)."""
import importlib
import json
from pathlib import Path

import pytest

import fake_pymxs
from test_max_adapter import vray_scene

CATALOG = Path(__file__).resolve().parents[2] / "submit" / "fixtures" / "catalog.json"


def test_max_common_and_renderer(tmp_path, monkeypatch):
    taskfiles = pytest.importorskip("rv_dcc.submit.taskfiles", reason="rv_dcc.submit.taskfiles is not built yet")
    if not CATALOG.is_file():
        pytest.skip("the submit tests' catalog fixture is missing")
    from rv_dcc.scene.assets import scan_assets
    from rv_dcc.submit.catalog import Catalog
    from rv_dcc.submit.options import SubmitOptions

    scene = vray_scene()
    scene.path, scene.file = str(tmp_path) + "/", "shot.max"
    (tmp_path / "shot.max").write_bytes(b"max")
    fake_pymxs.install(scene, monkeypatch)
    desc = importlib.import_module("rv_dcc_hosts.max.adapter").MaxAdapter().describe_scene()
    catalog = Catalog.from_dict(json.loads(CATALOG.read_text()), cg_id=2001, os_name="1")
    built = taskfiles.build_task_files(desc, SubmitOptions(), catalog, scan_assets(desc, hash_files=True),
                                       task_id=7, user_id=42, platform="2")
    info = built.task_json["scene_info_render"]
    assert info["renderer"] == {"name": "V-Ray 6", "renderer": "vray", "renderer_orign": "V_Ray_6__update_2"}
    common = info["common"]
    assert common["frames"] == "0-100[1]" and common["renderable_camera"] == ["Camera001"]
    assert common["element_list"] == ["VRayDiffuseFilter", "VRayZDepth"] and common["element_active"] == "1"
    assert common["output_file"] == "D:/renders/shot/beauty.exr" and common["gamma"] == "2.2"
    missing = built.asset_json["missing_file"]
    assert any("wood.jpg" in p for p in missing) and any("city.max" in p for p in missing)
