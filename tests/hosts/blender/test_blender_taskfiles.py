"""From a real .blend to the four task files the farm renders from (spec/task_files.md)."""
import hashlib
import json
from pathlib import Path

import pytest

from blender_helpers import needs_bpy

pytestmark = [pytest.mark.blender, needs_bpy]

CATALOG = Path(__file__).resolve().parents[2] / "submit" / "fixtures" / "catalog.json"


@pytest.fixture(scope="module")
def task_files(shot_description):
    taskfiles = pytest.importorskip("rv_dcc.submit.taskfiles", reason="rv_dcc.submit.taskfiles is not built yet")
    from rv_dcc.scene.assets import scan_assets
    from rv_dcc.submit.catalog import Catalog
    from rv_dcc.submit.options import SubmitOptions

    if not CATALOG.is_file():
        pytest.skip("the submit tests' catalog fixture is missing")
    catalog = Catalog.from_dict(json.loads(CATALOG.read_text()), cg_id=2007, os_name="1")
    scan = scan_assets(shot_description, hash_files=True)
    return taskfiles.build_task_files(shot_description, SubmitOptions(), catalog, scan, task_id=9001,
                                      user_id=42, platform="2")


def test_task_json(task_files, project):
    task = task_files.task_json
    assert task["software_config"]["cg_name"] == "Blender"
    assert task["software_config"]["cg_version"] == "5.0"
    info = task["task_info"]
    assert (info["task_id"], info["user_id"], info["cg_id"]) == ("9001", "42", "2007")
    assert info["input_cg_file"] == str(project / "shot.blend").replace("\\", "/")
    common = task["scene_info_render"]["common"]
    assert common["scene_name"] == ["Scene"]
    assert common["frames"] == "1-19[2]" and common["frame_step"] == "2"
    assert (common["width"], common["height"], common["resolution_percentage"]) == ("1280", "720", "50")
    assert common["camera_name"] == "CamB"
    assert (common["Render_engine"], common["Render_device"], common["Render_Format"]) == ("CYCLES", "CPU", "OPEN_EXR")
    assert common["Output_path"] == "//render/shot_"
    assert common["view_layers"] == ["ViewLayer", "BG"]  # Holdout does not render
    assert task["scene_info"]["common"]["view_layers"] == ["ViewLayer", "BG", "Holdout"]


def test_upload_and_asset_json(task_files, project):
    upload = task_files.upload_json
    scene = str(project / "shot.blend")
    assert upload["scene"] == [{"local": scene, "server": scene,
                                "hash": hashlib.md5((project / "shot.blend").read_bytes()).hexdigest()}]
    uploaded = {Path(item["local"]).name for item in upload["asset"]}
    assert {"shot.blend", "wood.1001.png", "wood.1002.png", "frame.0001.png", "frame.0002.png",
            "frame.0003.png", "abs.png", "library.blend", "lib.png"} <= uploaded
    assert all(item["server"] == item["local"] for item in upload["asset"])  # POSIX paths keep their "/"
    missing = {Path(p).name for p in task_files.asset_json["missing_file"]}
    assert missing == {"missing.png", "smoke.vdb"}
    assert task_files.tips_json  # missing files are reported to the farm too


def test_written_to_disk(task_files, tmp_path):
    written = task_files.write(str(tmp_path))
    assert sorted(Path(p).name for p in written) == ["asset.json", "task.json", "tips.json", "upload.json"]
    assert json.loads((tmp_path / "task.json").read_text())["task_info"]["cg_id"] == "2007"
