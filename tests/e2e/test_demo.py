"""`rv-dcc demo`: five samples submitted to a fresh embedded farm, rendered, downloaded."""
import json
import os
import subprocess
import sys
from pathlib import Path


def test_demo_runs_all_samples(tmp_path):
    env = dict(os.environ)
    env.pop("DISPLAY", None)  # no panel in tests: the progress path
    proc = subprocess.run([sys.executable, "-m", "rv_dcc", "demo", "--json", "--speed", "200", "--data",
                           str(tmp_path / "demo")], capture_output=True, text=True, env=env, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-3000:]
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    submitted = [e for e in events if e.get("task_id") and e.get("journal")]
    assert sorted(e["host"] for e in submitted) == ["3dsmax", "blender", "cinema4d", "houdini", "maya"]
    outputs = {e["task_id"]: e["outputs"] for e in events if "outputs" in e}
    assert set(outputs) == {e["task_id"] for e in submitted} and all(n > 0 for n in outputs.values())
    finished = [e for e in events if e.get("event") == "progress"]
    last = {}
    for e in finished:
        last[e["task_id"]] = e["status_code"]
    assert set(last.values()) == {25}
    # the summary names each task as the panel and the CLI do, and the folders that hold its outputs
    summary = [e for e in events if e.get("event") == "summary"]
    assert len(summary) == 1
    for task in summary[0]["tasks"]:
        assert task["task"] == f"2W{task['task_id']}"
        assert task["outputs"] and all(os.path.isdir(folder) and os.listdir(folder) for folder in task["outputs"])
        assert task["files"] == outputs[task["task_id"]]
    by_host = {task["host"]: task for task in summary[0]["tasks"]}
    # outputs follow each scene's format: the 3ds Max sample renders EXR, the Blender one PNG
    max_files = [p for folder in by_host["3dsmax"]["outputs"] for p in sorted(os.listdir(folder))]
    assert max_files and all(name.endswith(".exr") for name in max_files)
    with open(os.path.join(by_host["3dsmax"]["outputs"][0], max_files[0]), "rb") as handle:
        assert handle.read(4) == b"\x76\x2f\x31\x01"
    assert any(p.suffix == ".png" for folder in by_host["blender"]["outputs"] for p in
               Path(folder).rglob("*"))
