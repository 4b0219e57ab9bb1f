"""What the Houdini sample leaves in the farm's output storage: the render ROP writes one image per
frame, the cache ROP (/out/smoke_cache, option 0) one cache file per frame and no image, and the
switched-off ROP nothing -- 20 files for 11 frame rows (10 render frames + 1 cache block), not
duplicates, and never a picture pretending to be a cache.

The task.json is the one the real pipeline writes for resources/samples/houdini.json
(``rv-dcc submit --dry-run``), sent to a running embedded farm over signed HTTP.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

from farm_helpers import USER_ID, ended, frames, info, wait_for

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "houdini.json"


def _dry_run_task_json(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAYVISION_", "RV_DCC_"))}
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(tmp_path / var.lower())
    env["RV_DCC_CONFIG_DIR"] = str(tmp_path / "config")
    env["RV_DCC_JOURNALS"] = str(tmp_path / "journals")
    out = tmp_path / "dry"
    proc = subprocess.run([sys.executable, "-m", "rv_dcc", "submit", str(SAMPLE), "--dry-run", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {name: json.loads((out / name).read_text(encoding="utf-8"))
            for name in ("task.json", "upload.json", "asset.json", "tips.json")}


def _files_under(root):
    return sorted(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
                  for folder, _dirs, names in os.walk(root) for name in names)


def test_houdini_sample_outputs_are_one_image_per_render_frame_and_one_cache_per_cache_frame(farm, client, tmp_path):
    files = _dry_run_task_json(tmp_path)
    task_id = client.ok("createTask", {"count": 1, "taskUserLevel": 50})["taskIdList"][0]
    files["task.json"]["task_info"].update(task_id=str(task_id), user_id=USER_ID)
    files["tips.json"] = {}  # warnings only matter to the submitter; nothing here must block
    for name, content in files.items():
        client.ok("taskJsonFile", {"taskId": task_id, "fileName": name, "content": json.dumps(content)})
    client.ok("submitTask", {"taskId": task_id})
    kids = info(client, task_id)["respRenderingTaskList"]
    assert [k["layerName"] for k in kids] == ["/out/rs_beauty", "/out/smoke_cache"]  # /out/rs_wide is off
    render, cache = kids[0]["id"], kids[1]["id"]
    for kid in (render, cache):
        wait_for(lambda kid=kid: ended(client, kid), timeout=60)
    assert info(client, render)["taskStatus"] == 25 and info(client, cache)["taskStatus"] == 25
    rows = frames(client, render) + frames(client, cache)
    assert len(rows) == 11

    expected = [f"{render}_fx_smoke/fx_smoke_out_rs_beauty.{n:04d}.png" for n in range(1, 11)]
    expected += [f"{cache}_fx_smoke/fx_smoke_out_smoke_cache.{n:04d}.bgeo.sc" for n in range(1, 11)]
    assert _files_under(farm.store.path("storage", "output")) == sorted(expected)
    # thumbnails are pictures of rendered frames: the cache ROP has none
    assert _files_under(farm.store.path("thumbs")) == sorted(
        f"{render}/{row['id']}_{row['frameIndex']}.png" for row in frames(client, render))
    with open(farm.store.path("storage", "output", expected[-1]), "rb") as handle:
        assert not handle.read().startswith(b"\x89PNG")
