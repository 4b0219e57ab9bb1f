"""`rv-dcc submit ... --dry-run --out DIR` end to end, in process, on the real samples and real files."""
import json
import shutil
import socket
from pathlib import Path
from typing import List, Tuple

import pytest

from rv_dcc.cli import main
from rv_dcc.farm.taskfiles import check_file, render_units

from submit_helpers import HOSTS, SAMPLES


def submit(capsys: pytest.CaptureFixture, argv: List[str]) -> Tuple[int, str, str]:
    code = main(["submit"] + argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test: dry runs must work offline."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("a dry run without an account opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("host", HOSTS)
def test_every_sample_dry_runs_offline(capsys, tmp_path: Path, host: str, no_network) -> None:
    out_dir = tmp_path / "out"
    code, out, err = submit(capsys, [str(SAMPLES / f"{host}.json"), "--dry-run", "--out", str(out_dir)])
    assert code == 0, out + err
    assert "ready to submit" in out and "catalog snapshot bundled with rv_dcc" in out
    for name in ("task.json", "upload.json", "asset.json", "tips.json"):
        text = (out_dir / name).read_text(encoding="utf-8")
        check_file(name, text, 0, 0)  # the embedded farm's own validation of task files
        assert str(out_dir / name) in out
    task = json.loads((out_dir / "task.json").read_text(encoding="utf-8"))
    assert render_units(task), "the farm would find nothing to render"
    upload = json.loads((out_dir / "upload.json").read_text(encoding="utf-8"))
    assert upload["scene"][0]["hash"] and Path(upload["scene"][0]["local"]).is_file()
    assert all(Path(item["local"]).is_file() for item in upload["asset"])


def test_human_report_shows_outputs_per_layer_and_software(capsys, tmp_path: Path) -> None:
    code, out, _ = submit(capsys, [str(SAMPLES / "maya.json"), "--dry-run"])
    assert code == 0
    assert "Maya 2024.2 -> 2024" in out and "mtoa 5.3.4 -> 5.3.4" in out
    assert "[x] rs_beauty  frames 1-10[1]  camera renderCamShape" in out
    assert "[ ] rs_shadow" in out
    assert "images/shot010_lighting/rs_closeup/rs_closeup.####.exr" in out
    assert "not written (give --out DIR" in out


def test_json_output_is_machine_readable(capsys, tmp_path: Path) -> None:
    code, out, _ = submit(capsys, [str(SAMPLES / "houdini.json"), "--dry-run", "--out", str(tmp_path), "--json",
                                   "--frames", "1-10x2", "--layers", "/out/rs_beauty"])
    result = json.loads(out)
    assert code == 0 and result["ok"] is True and result["dry_run"] is True
    assert len(result["files"]) == 4
    units = {u["unit"]: u for u in result["outputs"]}
    assert units["/out/rs_beauty"]["renders"] and not units["/out/smoke_cache"]["renders"]
    assert units["/out/rs_beauty"]["frames"] == "1-9[2]"
    assert result["software"]["cg_version"] == "20.5"
    task = json.loads((tmp_path / "task.json").read_text(encoding="utf-8"))
    assert task["scene_info_render"]["geo_node"][0]["render"] == "0"


def _broken_copy(tmp_path: Path) -> Path:
    """The Maya sample with its cameras made unrenderable and a texture removed."""
    shutil.copytree(SAMPLES / "maya", tmp_path / "maya")
    data = json.loads((SAMPLES / "maya.json").read_text(encoding="utf-8"))
    for camera in data["cameras"]:
        camera["renderable"] = False
    for layer in data["layers"]:
        layer["cameras"] = []
    (tmp_path / "maya" / "sourceimages" / "floor_roughness.exr").unlink()
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_blocking_issue_exits_2_but_still_writes_the_files(capsys, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, _ = submit(capsys, [str(_broken_copy(tmp_path)), "--dry-run", "--out", str(out_dir)])
    assert code == 2
    assert "Errors (the farm would refuse the submission):" in out
    assert "[15006] No camera to render render layer rs_beauty" in out
    assert "floor_roughness.fileTextureName" in out and "-> Put the file back or repath" in out
    assert "farm: No renderable camera. Make at least one camera renderable." in out
    assert "the farm would refuse this submission" in out
    tips = json.loads((out_dir / "tips.json").read_text(encoding="utf-8"))
    assert set(tips) == {"15006", "10012"}
    assert tips["10012"][0].endswith("sourceimages/floor_roughness.exr")


def test_linux_nodes_for_3dsmax_are_refused(capsys, tmp_path: Path) -> None:
    code, out, _ = submit(capsys, [str(SAMPLES / "3dsmax.json"), "--dry-run", "--os", "linux", "--json"])
    result = json.loads(out)
    assert code == 2 and [i["code"] for i in result["issues"] if i["severity"] == "error"] == ["node.os_unsupported"]


def test_options_reach_task_json(capsys, tmp_path: Path) -> None:
    code, _, _ = submit(capsys, [str(SAMPLES / "blender.json"), "--dry-run", "--out", str(tmp_path),
                                 "--frames-per-task", "3", "--test-frames", "first,last,5", "--stop-after-test",
                                 "--hardware", "303", "--ram", "128", "--frame-timeout", "600", "--project", "Demo"])
    info = json.loads((tmp_path / "task.json").read_text(encoding="utf-8"))["task_info"]
    assert code == 0
    assert (info["frames_per_task"], info["pre_frames"], info["stop_after_test"], info["hardwareConfigIds"],
            info["ram"], info["job_stop_time"], info["project_name"]) == ("3", "101:5", "1", ["303"], "128", "600", "Demo")


def test_bad_description_exits_1_naming_the_field(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"host": "maya", "host_version": "2024", "layers": [{"name": "x", "kind": "nope"}]}))
    code, out, err = submit(capsys, [str(path), "--dry-run"])
    assert code == 1 and "layers.0.kind" in err and out == ""


def test_bad_option_is_a_usage_error_naming_the_option(capsys) -> None:
    # a usage error exits 2 (README) and names the option typed, not the wire field (issue 15 item 11)
    with pytest.raises(SystemExit) as caught:
        submit(capsys, [str(SAMPLES / "maya.json"), "--dry-run", "--frames-per-task", "0"])
    err = capsys.readouterr().err
    assert caught.value.code == 2 and "--frames-per-task" in err and "frames_per_task" not in err


def test_bad_frames_are_an_issue_with_a_caret(capsys) -> None:
    code, out, _ = submit(capsys, [str(SAMPLES / "maya.json"), "--dry-run", "--frames", "1-10x"])
    assert code == 2 and "Cannot read the frames '1-10x'" in out and "^" in out


def test_a_scene_file_goes_through_the_host(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rv_dcc.batch as batch
    from rv_dcc.scene.io import load_description

    seen = []

    def describe_file(path: str, timeout: float = 300):
        seen.append(path)
        return load_description(str(SAMPLES / "blender.json"))

    monkeypatch.setattr(batch, "describe_file", describe_file)
    code, out, _ = submit(capsys, [str(SAMPLES / "blender" / "shot.blend"), "--dry-run"])
    assert code == 0 and seen == [str(SAMPLES / "blender" / "shot.blend")] and "[blender 5.0.1]" in out


def test_live_catalog_when_a_domain_is_given(capsys, tmp_path: Path) -> None:
    from rv_dcc.farm import EmbeddedFarm

    with EmbeddedFarm(tmp_path / "farm", port=0, speed=400, real_blender=False) as farm:
        code, out, _ = submit(capsys, [str(SAMPLES / "cinema4d.json"), "--dry-run", "--json", "--domain", farm.domain])
    result = json.loads(out)
    assert code == 0 and result["catalog"] == f"farm {farm.domain}"
    assert result["software"]["render_env"] == "rv_dcc CINEMA 4D 2024 redshift 2025.2.0"
