"""The embedded farm as the official Python SDK sees it: a whole task life driven by rayvision-api
3.0.4.3 (with rayvision-blender / rayvision-utils / rayvision-sync) over real HTTP.

The SDK pins old libraries (requests 2.23, cattrs 1.0), so it lives in its own venv and the
life runs there (``official_sdk_driver.py``, which says what is the SDK's own and what stands in
for its Windows-only analyzer and closed transmitter). ``.ci/run`` makes that venv
(``.venv-official-sdk``) and runs this file; elsewhere it is skipped unless
``RV_DCC_OFFICIAL_SDK_PYTHON`` names a Python that has the SDK.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rv_dcc.farm import EmbeddedFarm, catalog

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("official_sdk_driver.py")

pytestmark = pytest.mark.official_sdk


def _sdk_python() -> str:
    candidates = [os.environ.get("RV_DCC_OFFICIAL_SDK_PYTHON", ""),
                  str(ROOT / ".venv-official-sdk" / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))]
    for python in candidates:
        if python and os.path.exists(python):
            probe = subprocess.run([python, "-c", "import rayvision_api, rayvision_blender, rayvision_sync"],
                                   capture_output=True, timeout=120)
            if probe.returncode == 0:
                return python
    if os.environ.get("RV_DCC_REQUIRE_OFFICIAL_SDK"):  # .ci/run: a missing SDK is a failure, not a skip
        pytest.fail(f"RV_DCC_REQUIRE_OFFICIAL_SDK is set but no Python with the official SDK was found in {candidates}")
    pytest.skip("the official SDK is not installed (.ci/run makes .venv-official-sdk; or set "
                "RV_DCC_OFFICIAL_SDK_PYTHON to a Python with rayvision-api, rayvision-blender, rayvision-sync)")
    raise AssertionError("unreachable")


def test_a_whole_task_life_through_the_official_sdk(tmp_path):
    python = _sdk_python()
    scene = tmp_path / "shots" / "shot.blend"
    scene.parent.mkdir()
    scene.write_bytes(b"BLENDER-v300" + bytes(range(256)) * 8)
    workspace = tmp_path / "sdk"
    workspace.mkdir()
    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
        config = {"domain": farm.domain, "access_id": farm.access_id, "access_key": farm.access_key,
                  "platform": farm.platform, "transfer_url": farm.url + "/farm/transfer", "scene": str(scene),
                  "workspace": str(workspace)}
        # HOME: the SDK writes its logs and "renderfarm_sdk" folder under the home folder
        env = dict(os.environ, HOME=str(tmp_path), USERPROFILE=str(tmp_path))
        run = subprocess.run([python, str(DRIVER), json.dumps(config)], capture_output=True, text=True, env=env,
                             timeout=600, cwd=str(tmp_path))
        steps = {}
        for line in run.stdout.splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                steps[record["step"]] = record
        assert "error" not in steps and run.returncode == 0, \
            f"steps done: {list(steps)}\n{json.dumps(steps.get('error'), indent=1)}\n{run.stderr[-3000:]}"
        assert "done" in steps

        user = steps["user"]
        assert user["user_id"] == catalog.USER_ID and "input_bid" in user["info_keys"] and user["hardware"] > 0
        assert "Blender" in user["software"]
        # the analyzer's task.json leaves both ids empty; the SDK's check fills them from the farm
        assert steps["analyzer"]["task_id"] == "" and steps["analyzer"]["user_id"] == ""
        checked = steps["checked"]
        assert checked["user_id"] == str(catalog.USER_ID) and checked["hardware_ids"]
        task_id = checked["task_id"]
        assert steps["uploaded"]["scene_complete"] is True
        # a task.json with empty ids is accepted, and the farm writes the ids it knows into its copy
        spare = steps["empty_ids_accepted"]["task_id"]
        stored = json.loads(Path(farm.store.path("storage", "config", str(spare), "cfg", "task.json")).read_text())
        assert stored["task_info"]["user_id"] == str(catalog.USER_ID) and stored["task_info"]["task_id"] == str(spare)

        listed = steps["listed"]
        assert listed["alias"] == f"2W{task_id}" and listed["children"] == [] and listed["output"]
        assert steps["small_task_ids"]["ids"] == []  # the SDK's get_small_task_id on a task without layers
        assert steps["frames"]["indexes"] == ["1", "2", "3"] and "doneFramesTotal" in steps["frames"]["stats_keys"]
        assert steps["stopped"]["status"] == 10 and steps["stopped"]["ended"] is True
        assert steps["started"]["status"] not in (10, 25)
        operations = steps["operations"]
        assert operations["thumbs"] and all(url.startswith(farm.url) for url in operations["thumbs"])
        assert operations["log_lines"] > 0 and operations["level"] == 60
        assert steps["restarted"]["status"] not in (10, 25)

        finished = steps["finished"]
        assert finished["codes"] == ["25"] and finished["output_names"][0]["output_name"] == listed["output"]
        # an OPEN_EXR scene gives OpenEXR files (magic 76 2f 31 01), named .exr
        files = steps["downloaded"]["files"]
        assert [f["path"].rsplit("/", 1)[-1] for f in files] == ["shot.0001.exr", "shot.0002.exr", "shot.0003.exr"]
        assert {f["magic"] for f in files} == {"762f3101"} and {f["type"] for f in files} == {"exr"}
        assert task_id not in steps["deleted"]["ids"]


if __name__ == "__main__":  # pragma: no cover - run by hand
    sys.exit(pytest.main([__file__, "-q"]))
