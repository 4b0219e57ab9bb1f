"""From a fake .hip with real files on disk to the task files (spec/task_files.md §3 Houdini)."""
import importlib
import json
from pathlib import Path

import pytest

import fake_hou
from test_houdini_adapter import production_scene

CATALOG = Path(__file__).resolve().parents[2] / "submit" / "fixtures" / "catalog.json"


@pytest.fixture
def built(tmp_path, monkeypatch):
    taskfiles = pytest.importorskip("rv_dcc.submit.taskfiles", reason="rv_dcc.submit.taskfiles is not built yet")
    if not CATALOG.is_file():
        pytest.skip("the submit tests' catalog fixture is missing")
    from rv_dcc.scene.assets import scan_assets
    from rv_dcc.submit.catalog import Catalog
    from rv_dcc.submit.options import SubmitOptions

    scene = production_scene()
    scene.hip = str(tmp_path / "shot.hip")
    scene.variables.update(HIP=str(tmp_path), JOB=str(tmp_path))
    for rel in ("shot.hip", "tex/wood.rat", "vdb/smoke.0001.vdb", "vdb/smoke.0002.vdb"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    fake_hou.install(scene, monkeypatch)
    desc = importlib.import_module("rv_dcc_hosts.houdini.adapter").HoudiniAdapter().describe_scene()
    catalog = Catalog.from_dict(json.loads(CATALOG.read_text()), cg_id=2004, os_name="1")
    return taskfiles.build_task_files(desc, SubmitOptions(), catalog, scan_assets(desc, hash_files=True),
                                      task_id=7, user_id=42, platform="2")


def test_houdini_rop_lists(built):
    info = built.task_json["scene_info_render"]
    rops = {r["node"]: r for r in info["rop_node"]}
    caches = {r["node"]: r for r in info["geo_node"]}
    assert set(rops) == {"/out/mantra1", "/out/rs"} and set(caches) == {"/obj/geo1/fc", "/obj/ropnet1/sim",
                                                                         "/obj/ropnet1/abc"}
    assert rops["/out/mantra1"]["frames"] == "1-239[2]" and rops["/out/mantra1"]["width"] == "1280"
    assert rops["/out/rs"]["render"] == "0", "a bypassed ROP is listed but not rendered"
    assert caches["/obj/geo1/fc"]["option"] == "0"


def test_houdini_sequences_found_hda_missing(built):
    uploaded = {Path(a["local"]).name for a in built.upload_json["asset"]}
    assert {"wood.rat", "smoke.0001.vdb", "smoke.0002.vdb", "shot.hip"} <= uploaded
    assert any(p.endswith("tool.hda") for p in built.asset_json["missing_file"])
