"""From a fake Maya scene with real files on disk to the task files (spec/task_files.md §3 Maya)."""
import importlib
import json
from pathlib import Path

import pytest

import fake_maya
from test_maya_adapter import arnold_scene

CATALOG = Path(__file__).resolve().parents[2] / "submit" / "fixtures" / "catalog.json"


@pytest.fixture
def files(tmp_path, monkeypatch):
    taskfiles = pytest.importorskip("rv_dcc.submit.taskfiles", reason="rv_dcc.submit.taskfiles is not built yet")
    if not CATALOG.is_file():
        pytest.skip("the submit tests' catalog fixture is missing")
    from rv_dcc.scene.assets import scan_assets
    from rv_dcc.submit.catalog import Catalog
    from rv_dcc.submit.options import SubmitOptions

    for rel in ("shot.ma", "char.ma", "tex/skin.1001.exr", "tex/skin.1002.exr", "seq/fire.0001.png",
                "seq/fire.0002.png", "sky.1001.tx", "crowd.0001.ass", "extra.ocio"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    fake_maya.install(arnold_scene(tmp_path), monkeypatch)
    desc = importlib.import_module("rv_dcc_hosts.maya.adapter").MayaAdapter().describe_scene()
    catalog = Catalog.from_dict(json.loads(CATALOG.read_text()), cg_id=2000, os_name="1")
    scan = scan_assets(desc, hash_files=True)
    return tmp_path, taskfiles.build_task_files(desc, SubmitOptions(), catalog, scan, task_id=7,
                                                user_id=42, platform="2")


def test_maya_task_json_per_layer(files):
    root, built = files
    task = built.task_json
    assert task["software_config"]["cg_name"] == "Maya"
    assert task["task_info"]["render_layer_type"] == "0" and task["task_info"]["cg_id"] == "2000"
    layers = task["scene_info_render"]
    assert set(layers) == {"defaultRenderLayer", "beauty", "fx"}
    beauty = layers["beauty"]["common"]
    assert beauty["renderer"] == "arnold" and beauty["image_format"] == "exr"
    assert beauty["frames"] == "1-23[2]" and beauty["render_camera"] == ["renderCamShape"]
    fx = layers["fx"]
    assert fx["renderable"] == "0" and fx["common"]["frames"] == "10-20[2]" and fx["common"]["width"] == "960"


def test_maya_upload_and_missing_files(files):
    root, built = files
    uploaded = {Path(a["local"]).name for a in built.upload_json["asset"]}
    assert {"skin.1001.exr", "skin.1002.exr", "fire.0001.png", "fire.0002.png", "char.ma", "shot.ma"} <= uploaded
    missing = " ".join(built.asset_json["missing_file"])
    assert "gone.jpg" in missing
