"""Reading a .blend in a separate process: with the bpy module, with a Blender executable, and
the errors a person sees when neither works."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from blender_helpers import HAS_BPY_MODULE, TEST_BLENDER, blender_version, needs_bpy, needs_bpy_module, use_tested_blender
from rv_dcc.batch import BatchError, HostNotFoundError, blender as batch_blender, describe_file
from rv_dcc.cli import main

pytestmark = [pytest.mark.blender]

BPY_SITE = None
if HAS_BPY_MODULE:
    import importlib.util

    BPY_SITE = str(Path(importlib.util.find_spec("bpy").origin).parent.parent)  # the site-packages holding bpy

#: A stand-in for the blender executable: `blender -b SCENE --python-exit-code N --python-expr EXPR`.
#: It runs with -S, so neither rv_dcc nor rv_dcc_hosts is importable unless the expression makes it so.
FAKE_BLENDER = """#!{python} -S
import sys
sys.path.append({site!r})
args = sys.argv[1:]
assert args[0] == "-b", args
scene = args[1]
exit_code = int(args[args.index("--python-exit-code") + 1])
expr = args[args.index("--python-expr") + 1]
{extra}
import bpy
bpy.ops.wm.open_mainfile(filepath=scene)
try:
    exec(compile(expr, "<expr>", "exec"), {{"__name__": "__main__"}})
except Exception:
    import traceback; traceback.print_exc(); sys.exit(exit_code)
"""


def fake_blender(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "blender"
    path.write_text(FAKE_BLENDER.format(python=sys.executable, site=BPY_SITE, extra=extra))
    path.chmod(0o755)
    return path


@needs_bpy_module
def test_bpy_module_runs_in_a_child_process(project, monkeypatch):
    monkeypatch.delenv("RV_DCC_BLENDER", raising=False)
    assert batch_blender.find_interpreter() == [sys.executable, "-m", "rv_dcc_hosts.blender.batch"]
    desc = describe_file(str(project / "shot.blend"), timeout=120)
    assert desc.scene_file == str(project / "shot.blend") and len(desc.layers) == 3
    assert "bpy" not in sys.modules  # never imported here


@needs_bpy_module
def test_blender_executable_from_the_environment(project, tmp_path, monkeypatch):
    exe = fake_blender(tmp_path, extra="assert 'rv_dcc_hosts' not in sys.modules")
    monkeypatch.setenv("RV_DCC_BLENDER", str(exe))
    argv = batch_blender.build_command(str(project / "shot.blend"), str(tmp_path / "o.json"))
    assert argv[:4] == [str(exe), "-b", str(project / "shot.blend"), "--python-exit-code"]
    desc = describe_file(str(project / "shot.blend"), timeout=120)
    assert [c.name for c in desc.cameras if c.renderable] == ["CamB"]
    assert desc.scene_saved and desc.frame_step == 2


def test_nothing_installed_says_what_to_install(tmp_path, monkeypatch):
    scene = tmp_path / "a.blend"
    scene.write_bytes(b"BLENDER")
    monkeypatch.delenv("RV_DCC_BLENDER", raising=False)
    monkeypatch.delenv("RV_DCC_BPY_PYTHON", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(batch_blender, "_has_bpy", lambda: False)
    monkeypatch.setattr(batch_blender, "_install_globs", lambda: [])
    assert batch_blender.find_interpreter() is None
    with pytest.raises(HostNotFoundError) as info:
        describe_file(str(scene))
    text = str(info.value)
    assert "neither Blender nor the bpy module" in text
    assert "RV_DCC_BLENDER" in info.value.hint and "pip install bpy" in info.value.hint


def test_a_bad_environment_variable_is_named(tmp_path, monkeypatch):
    scene = tmp_path / "a.blend"
    scene.write_bytes(b"BLENDER")
    monkeypatch.setenv("RV_DCC_BLENDER", str(tmp_path / "no" / "blender"))
    with pytest.raises(HostNotFoundError, match="RV_DCC_BLENDER is set to"):
        describe_file(str(scene))


@needs_bpy_module
def test_a_hanging_blender_is_stopped(tmp_path, monkeypatch):
    exe = fake_blender(tmp_path, extra="import time; time.sleep(60)")
    monkeypatch.setenv("RV_DCC_BLENDER", str(exe))
    scene = tmp_path / "a.blend"
    scene.write_bytes(b"BLENDER")
    with pytest.raises(BatchError, match="did not finish reading .* within 2 s"):
        describe_file(str(scene), timeout=2)


@needs_bpy
def test_a_corrupt_blend_is_reported(tmp_path, monkeypatch):
    use_tested_blender(monkeypatch)
    scene = tmp_path / "broken.blend"
    scene.write_bytes(b"this is not a blend file")
    with pytest.raises(BatchError) as info:
        describe_file(str(scene), timeout=60)
    assert "could not read" in str(info.value) and str(scene) in str(info.value)


def test_batch_entry_point_usage(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "rv_dcc_hosts.blender.batch", str(tmp_path / "x.blend"),
                           str(tmp_path / "o.json")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "scene file not found" in proc.stderr


def test_dispatcher_errors(tmp_path):
    unknown = tmp_path / "scene.xyz"
    unknown.write_text("x")
    with pytest.raises(BatchError, match="Don't know which program opens"):
        describe_file(str(unknown))
    with pytest.raises(BatchError, match="Scene file not found"):
        describe_file(str(tmp_path / "missing.blend"))


@needs_bpy
def test_describe_command(project, tmp_path, capsys, monkeypatch):
    use_tested_blender(monkeypatch)
    shot = str(project / "shot.blend")
    assert main(["describe", shot]) == 0
    text = capsys.readouterr().out
    assert "layer      [ ] Holdout" in text and "layer      [x] BG" in text
    assert "camera     CamB  (renders)" in text and "frames     1-20 step 2" in text
    assert "resolution 1280x720 at 50%" in text and "//render/shot_  [OPEN_EXR]" in text
    assert "2 missing" in text and "tex/missing.png" in text
    out = tmp_path / "shot.json"
    assert main(["describe", shot, "--out", str(out)]) == 0
    from rv_dcc.scene.io import load_description

    assert load_description(str(out)).layers[2].renderable is False
    capsys.readouterr()
    assert main(["describe", shot, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["host"] == "blender"
    assert main(["describe", str(tmp_path / "nope.blend")]) == 1
    assert "Scene file not found" in capsys.readouterr().err


def test_a_failing_blender_gives_one_line_and_a_log_with_everything(tmp_path, monkeypatch):
    """Blender's start-up noise and traceback go to a log file; the error keeps the exception line."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    extra = ("print('Blender 4.5.1 (hash 0123456789ab)\\n' * 30)\n"
             "def read():\n"
             "    raise RuntimeError('Error: File format is not supported in file ' + scene)\n"
             "try:\n"
             "    read()\n"
             "except Exception:\n"
             "    import traceback; traceback.print_exc(); sys.exit(exit_code)\n")
    exe = fake_blender(tmp_path, extra=extra)
    monkeypatch.setenv("RV_DCC_BLENDER", str(exe))
    scene = tmp_path / "a.blend"
    scene.write_bytes(b"BLENDER")
    with pytest.raises(BatchError) as info:
        describe_file(str(scene), timeout=60)
    message = info.value.message
    assert "Traceback" not in message and "hash 0123" not in message and "\n" not in message, message
    assert message.startswith(f"Blender could not read {scene} (exit status 3): RuntimeError: Error: File format")
    logs = list((tmp_path / "cache" / "rv_dcc" / "logs").glob("batch-blender-*.log"))
    assert len(logs) == 1 and message.endswith(f"Full output: {logs[0]}")
    text = logs[0].read_text()
    assert text.count("Blender 4.5.1 (hash 0123456789ab)") == 30 and "Traceback (most recent call last):" in text


@pytest.mark.skipif(not TEST_BLENDER, reason="set RV_DCC_TEST_BLENDER to a Blender executable")
def test_the_blender_executable_under_test_describes_the_project(shot_description):
    """The whole description came from that Blender (e.g. Debian's 3.4.1), not from a bpy module."""
    assert shot_description.host_version == blender_version()
    assert shot_description.settings["scenes"] == ["Scene", "Comp"] and len(shot_description.layers) == 3
