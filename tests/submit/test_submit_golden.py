"""Golden tests: a scene description + options + scan in, the four task files out.

Each folder of tests/submit/golden/ holds ``input.json`` (description, options, a synthetic asset
scan so Windows, UNC and POSIX paths work on any machine, task/user ids, platform, render node
OS) and the expected task.json, upload.json, asset.json and tips.json. The catalog is the
fixture snapshot of tests/submit/fixtures/catalog.json.

Regenerate after an intended change with ``RV_DCC_UPDATE_GOLDEN=1 pytest tests/submit/test_golden.py``
and read every changed file against spec/task_files.md before committing it.
"""
import json
import os
from pathlib import Path
from typing import Any, Dict

import pytest

from rv_dcc.scene.assets import AssetScan, FoundFile, MissingAsset
from rv_dcc.scene.model import AssetRef, SceneDescription
from rv_dcc.submit.options import SubmitOptions
from rv_dcc.submit.taskfiles import FILE_NAMES, build_task_files

from submit_helpers import catalog_for

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.json").is_file())
UPDATE = os.environ.get("RV_DCC_UPDATE_GOLDEN") == "1"


def _scan(data: Dict[str, Any], desc: SceneDescription) -> AssetScan:
    def found(item: Dict[str, Any]) -> FoundFile:
        return FoundFile(path=item["path"], size=item.get("size", 1), mtime_ns=0, md5=item.get("md5", "f" * 32),
                         ref=desc.assets[item["ref"]])

    scene = data.get("scene")
    return AssetScan(
        found=[found(item) for item in data.get("found", [])],
        missing=[MissingAsset(ref=desc.assets[item["ref"]], expanded=item["expanded"], reason=item.get("reason", ""))
                 for item in data.get("missing", [])],
        scene=FoundFile(path=desc.scene_file, size=1, mtime_ns=0, md5=scene["md5"],
                        ref=AssetRef(path=desc.scene_file, node="scene", attribute="scene_file")) if scene else None)


def build(case: str):
    """The TaskFiles of one golden case."""
    data = json.loads((GOLDEN / case / "input.json").read_text(encoding="utf-8"))
    desc = SceneDescription.model_validate(data["description"])
    options = SubmitOptions.model_validate(data.get("options", {}))
    catalog = catalog_for(desc.host, options.os_name)
    return build_task_files(desc, options, catalog, _scan(data.get("scan", {}), desc),
                            data["task_id"], data["user_id"], data["platform"])


def test_there_are_several_cases_per_host() -> None:
    hosts = {}
    for case in CASES:
        host = json.loads((GOLDEN / case / "input.json").read_text(encoding="utf-8"))["description"]["host"]
        hosts[host] = hosts.get(host, 0) + 1
    assert {h: n >= 2 for h, n in hosts.items()} == {h: True for h in ("maya", "3dsmax", "houdini", "cinema4d", "blender")}


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    files = build(case)
    for name in FILE_NAMES:
        target = GOLDEN / case / name
        if UPDATE:
            target.write_text(files.text(name), encoding="utf-8")
            continue
        assert target.is_file(), f"{target} is missing: run with RV_DCC_UPDATE_GOLDEN=1 and review it"
        expected = json.loads(target.read_text(encoding="utf-8"))
        assert files.files()[name] == expected, f"{case}/{name} differs from the golden file"


@pytest.mark.parametrize("case", CASES)
def test_golden_task_json_follows_the_spec(case: str) -> None:
    """Spec rules every case must obey, checked independently of the golden files."""
    files = build(case)
    task = files.task_json
    assert list(task) == ["software_config", "task_info", "scene_info_render", "scene_info", "additional_info"]
    for key, value in task["task_info"].items():
        if key == "hardwareConfigIds":
            assert isinstance(value, list) and all(isinstance(v, str) for v in value)
        else:
            assert isinstance(value, str), key
    for item in files.upload_json["asset"] + files.upload_json["scene"]:
        assert item["server"].startswith("/") and "\\" not in item["server"] and ":" not in item["server"]
        assert "\\" not in item["local"]
    if files.upload_json["scene"]:
        assert files.upload_json["asset"][0]["local"] == files.upload_json["scene"][0]["local"]
    assert all(isinstance(v, list) for v in files.tips_json.values())
