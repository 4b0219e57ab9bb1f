"""From a fake Cinema 4D document to the task files (spec/task_files.md §3 Cinema 4D)."""
import importlib
import json
from pathlib import Path

import pytest

import fake_c4d
from test_c4d_adapter import takes_scene

CATALOG = Path(__file__).resolve().parents[2] / "submit" / "fixtures" / "catalog.json"


def test_c4d_takes_and_multipass(tmp_path, monkeypatch):
    taskfiles = pytest.importorskip("rv_dcc.submit.taskfiles", reason="rv_dcc.submit.taskfiles is not built yet")
    if not CATALOG.is_file():
        pytest.skip("the submit tests' catalog fixture is missing")
    from rv_dcc.scene.assets import scan_assets
    from rv_dcc.submit.catalog import Catalog
    from rv_dcc.submit.options import SubmitOptions

    scene = takes_scene()
    scene.folder = str(tmp_path)
    (tmp_path / "shot.c4d").write_bytes(b"c4d")
    (tmp_path / "wood.jpg").write_bytes(b"jpg")
    scene.assets[0]["filename"] = str(tmp_path / "wood.jpg")
    fake_c4d.install(scene, monkeypatch)
    desc = importlib.import_module("rv_dcc_hosts.c4d.adapter").C4DAdapter().describe_scene()
    catalog = Catalog.from_dict(json.loads(CATALOG.read_text()), cg_id=2005, os_name="1")
    built = taskfiles.build_task_files(desc, SubmitOptions(), catalog, scan_assets(desc, hash_files=True),
                                       task_id=7, user_id=42, platform="2")
    info = built.task_json["scene_info_render"]
    assert info["renderer"] == {"name": "Redshift"}
    common = info["common"]
    assert common["all_take_name"] == ["Main", "closeup"], "the unchecked take is not rendered"
    assert common["multipass_save_enabled"] == "1" and common["multi_pass_format"] == "exr"
    assert common["all_camera"][:2] == ["CamA", "CamB"]
    uploaded = {Path(a["local"]).name for a in built.upload_json["asset"]}
    assert {"wood.jpg", "shot.c4d"} <= uploaded
    assert any("sim.abc" in p for p in built.asset_json["missing_file"])
