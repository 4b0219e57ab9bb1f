"""`rv-dcc demo`: five samples submitted to a fresh embedded farm, rendered, downloaded."""
import json
import os
import subprocess
import sys


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
    assert any(p.suffix == ".png" for p in (tmp_path / "demo" / "outputs").rglob("*"))
