"""Batch runners of Maya, 3ds Max, Houdini and Cinema 4D (rv_dcc.batch.runners), all four hosts here.

None of the programs exist on this machine: the "not installed" message is checked, the command
line is checked against a stand-in program found through the environment variable, and the
whole path (bootstrap script, subprocess, hosts' batch main, JSON, validation) runs end to end
with a stand-in mayapy that is this Python plus the fake maya module.
"""
import importlib
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from rv_dcc.batch import HostNotFoundError, describe_file, runners

import fake_maya

HERE = Path(__file__).resolve().parent
HOSTS = [("maya", "RV_DCC_MAYAPY", "mayapy", ".ma"), ("max", "RV_DCC_3DSMAXBATCH", "3dsmaxbatch", ".max"),
         ("houdini", "RV_DCC_HYTHON", "hython", ".hip"), ("c4d", "RV_DCC_C4DPY", "c4dpy", ".c4d")]


@pytest.fixture
def no_hosts(monkeypatch, tmp_path):
    for _, variable, _, _ in HOSTS:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "nothing"))


@pytest.mark.parametrize("key, variable, program, ext", HOSTS)
def test_not_installed_says_what_to_install_and_which_variable(no_hosts, tmp_path, key, variable, program, ext):
    assert runners.find_interpreter(key) is None
    scene = tmp_path / f"shot{ext}"
    scene.write_text("x")
    with pytest.raises(HostNotFoundError) as caught:
        describe_file(str(scene))
    message = str(caught.value)
    assert program in message and variable in message and "install" in message


def test_every_extension_of_the_four_hosts_has_a_runner():
    from rv_dcc.batch import HOSTS_BY_EXTENSION

    four = {key for key, _, _, _ in HOSTS}
    assert {host for host, _ in HOSTS_BY_EXTENSION.values()} == four | {"blender"}
    assert set(runners.SPECS) == four and all(spec.key == key for key, spec in runners.SPECS.items())


@pytest.mark.parametrize("key, variable, program, ext", HOSTS)
def test_command_line(no_hosts, monkeypatch, tmp_path, key, variable, program, ext):
    fake = tmp_path / program
    fake.write_text("#!/bin/sh\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv(variable, str(fake))
    argv = runners.build_command(key, f"/scenes/shot{ext}", "/tmp/boot.py")
    expected = [str(fake), "/tmp/boot.py"] + (["-sceneFile", f"/scenes/shot{ext}"] if key == "max" else [])
    assert argv == expected


def test_wrong_variable_is_an_error(monkeypatch):
    monkeypatch.setenv("RV_DCC_HYTHON", "/no/such/hython")
    with pytest.raises(HostNotFoundError, match="RV_DCC_HYTHON"):
        runners.find_interpreter("houdini")


def test_newest_install_wins(no_hosts, monkeypatch, tmp_path):
    from rv_dcc.batch import _hostrun

    for version in ("2023", "2025", "2024"):
        exe = tmp_path / "autodesk" / f"maya{version}" / "bin" / "mayapy"
        exe.parent.mkdir(parents=True)
        exe.write_text("")
    spec = _hostrun.HostSpec(key="maya", label="Maya", env_var="RV_DCC_MAYAPY", programs=("mayapy",),
                             globs={_hostrun._platform(): (str(tmp_path / "autodesk" / "maya20*" / "bin" / "mayapy"),)})
    assert _hostrun.find_interpreter(spec)[0].endswith(os.path.join("maya2025", "bin", "mayapy"))


STAND_IN = """\
import sys
sys.path.insert(0, {tests!r})
import fake_maya
scene = fake_maya.MayaScene()
scene.add("renderCamShape", "camera", renderable=True)
scene.add("tex", "file", fileTextureName="/tex/wood.jpg", uvTilingMode=0, useFrameExtension=False)
class Patch:
    def setitem(self, mapping, key, value): mapping[key] = value
    def delitem(self, mapping, key): del mapping[key]
fake_maya.install(scene, Patch())
import runpy
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in mayapy is a shell script")
def test_end_to_end_with_a_stand_in_mayapy(no_hosts, monkeypatch, tmp_path):
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN.format(tests=str(HERE)))
    mayapy = tmp_path / "mayapy"
    mayapy.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
    mayapy.chmod(0o755)
    monkeypatch.setenv("RV_DCC_MAYAPY", str(mayapy))
    scene = tmp_path / "shot.ma"
    scene.write_text("//Maya ASCII")
    desc = describe_file(str(scene), timeout=60)
    assert desc.host == "maya" and desc.scene_file == str(scene), "the batch opened the scene it was given"
    assert [c.name for c in desc.cameras] == ["renderCamShape"]
    assert [a.path for a in desc.assets] == ["/tex/wood.jpg"]


def test_hosts_batch_main_with_the_fake(monkeypatch, tmp_path):
    scene = fake_maya.MayaScene()
    fakes = fake_maya.install(scene, monkeypatch)
    batch = importlib.import_module("rv_dcc_hosts.maya.batch")
    out = tmp_path / "d.json"
    assert batch.main(["/scenes/a.ma", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["host"] == "maya" and data["scene_file"] == "/scenes/a.ma"
    assert scene.opened == ["/scenes/a.ma"] and scene.saves == 0
    assert fakes.standalone.calls == ["initialize", "uninitialize"]
    assert batch.main(["only-one-argument"]) == 2


FAILING_STAND_IN = """\
import sys
for n in range(40):
    print("mayapy start-up noise line %d" % n)
def load(path):
    raise RuntimeError("Cannot open the scene: %s uses the plug-in mtoa, which is not loaded" % path)
def describe():
    load(sys.argv[-1] if len(sys.argv) > 1 else "?")
describe()
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the stand-in mayapy is a shell script; XDG cache dir")
def test_a_failing_interpreter_gives_one_line_and_a_log_with_everything(no_hosts, monkeypatch, tmp_path):
    from rv_dcc.batch import BatchError

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    script = tmp_path / "failing.py"
    script.write_text(FAILING_STAND_IN)
    mayapy = tmp_path / "mayapy"
    mayapy.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
    mayapy.chmod(0o755)
    monkeypatch.setenv("RV_DCC_MAYAPY", str(mayapy))
    scene = tmp_path / "shot.ma"
    scene.write_text("//Maya ASCII")
    with pytest.raises(BatchError) as caught:
        describe_file(str(scene), timeout=60)
    message = caught.value.message
    assert "Traceback" not in message and "noise line" not in message and "\n" not in message, message
    assert message.startswith(f"Maya could not read {scene} (exit status 1): RuntimeError: Cannot open the scene")
    assert "mtoa" in message and "check it loads" in caught.value.hint
    logs = sorted((tmp_path / "cache" / "rv_dcc" / "logs").iterdir())
    assert len(logs) == 1 and logs[0].name.startswith("batch-maya-") and logs[0].suffix == ".log"
    assert message.endswith(f"Full output: {logs[0]}")
    text = logs[0].read_text()
    assert "Traceback (most recent call last):" in text and ", in describe" in text
    assert "mayapy start-up noise line 0" in text and "which is not loaded" in text


def test_the_meaningful_line_of_noise_and_of_chained_tracebacks():
    from rv_dcc.batch._failure import last_meaningful

    chained = ("Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nKeyError: 'x'\n\n"
               "During handling of the above exception, another exception occurred:\n\n"
               "Traceback (most recent call last):\n  File \"a.py\", line 3, in <module>\n"
               "ValueError: bad scene\n")
    assert last_meaningful(chained) == ["ValueError: bad scene"]
    assert last_meaningful("noise\n" * 50 + "Error: Not a blend file: /x.blend\n\n") == [
        "noise", "Error: Not a blend file: /x.blend"]
    assert last_meaningful("") == []
    assert len(last_meaningful("x" * 5000)[0]) == 300
