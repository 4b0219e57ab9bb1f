"""SubmitOptions, render units (frames, cameras, resolved outputs) and writing the task files."""
import hashlib
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from rv_dcc.scene.assets import AssetScan
from rv_dcc.submit.options import SubmitOptions, TestFrames
from rv_dcc.submit.taskfiles import build_task_files
from rv_dcc.submit.taskfiles.common import pre_frames, scene_md5
from rv_dcc.submit.units import overlapping_outputs, render_units, selected_units

from submit_helpers import catalog_for, make_desc, synthetic_scan


# --- options ----------------------------------------------------------------------------------

def test_options_validate_what_the_farm_accepts() -> None:
    with pytest.raises(ValidationError, match="priority must be 50"):
        SubmitOptions(priority=55)
    with pytest.raises(ValidationError):
        SubmitOptions(frames_per_task=0)
    with pytest.raises(ValidationError):
        SubmitOptions(ram="96")
    with pytest.raises(ValidationError):
        SubmitOptions(unknown_option=1)
    assert SubmitOptions(labels=[" a ", "", "b"]).labels == ["a", "b"]
    assert SubmitOptions(os_name="0").os_label == "Linux"


def test_options_are_frozen() -> None:
    options = SubmitOptions()
    with pytest.raises(ValidationError):
        options.frames = "1-2"  # type: ignore[misc]
    assert options.model_copy(update={"frames": "1-2"}).frames == "1-2"


@pytest.mark.parametrize("test, expected", [
    (TestFrames(), "000"), (TestFrames(first=True), "100"), (TestFrames(middle=True, last=True), "011"),
    (TestFrames(custom="1, 3-4"), "000:1,3-4[1]"), (TestFrames(first=True, custom="7"), "100:7"),
    (TestFrames(custom="bad"), "000"),
])
def test_pre_frames(test: TestFrames, expected: str) -> None:
    assert pre_frames(SubmitOptions(test_frames=test)) == expected
    assert test.any == (test != TestFrames())


# --- units ------------------------------------------------------------------------------------

def test_frames_precedence_override_layer_scene() -> None:
    desc = make_desc("maya", layers=[{"name": "a", "kind": "render_layer", "frames": "2-4"},
                                     {"name": "b", "kind": "render_layer"},
                                     {"name": "c", "kind": "render_layer", "frames": "oops"}])
    by_name = {u.name: u for u in render_units(desc, SubmitOptions())}
    assert (by_name["a"].frames.to_farm(), by_name["a"].frames_source) == ("2-4[1]", "layer")
    assert (by_name["b"].frames.to_farm(), by_name["b"].frames_source) == ("1-10[1]", "scene")
    assert by_name["c"].frames_error is not None and by_name["c"].frames.to_farm() == "1-10[1]"
    overridden = render_units(desc, SubmitOptions(frames="5"))
    assert {u.frames.to_farm() for u in overridden} == {"5"} and {u.frames_source for u in overridden} == {"override"}


def test_whole_scene_units() -> None:
    assert [u.name for u in render_units(make_desc("3dsmax"), SubmitOptions())] == [""]
    assert [u.name for u in render_units(make_desc("maya", layers=[]), SubmitOptions())] == ["defaultRenderLayer"]
    blender = make_desc("blender", layers=[{"name": "A", "kind": "view_layer"}, {"name": "B", "kind": "view_layer"}])
    assert len(render_units(blender, SubmitOptions())) == 1


def test_layer_choice_wins_over_the_renderable_flag() -> None:
    desc = make_desc("maya", layers=[{"name": "a", "kind": "render_layer"},
                                     {"name": "b", "kind": "render_layer", "renderable": False}])
    assert [u.name for u in selected_units(desc, SubmitOptions())] == ["a"]
    assert [u.name for u in selected_units(desc, SubmitOptions(layers=["b"]))] == ["b"]


def test_cameras_choice_then_layer_then_renderable() -> None:
    desc = make_desc("maya", cameras=[{"name": "p"}, {"name": "r", "renderable": True}, {"name": "x"}],
                     layers=[{"name": "a", "kind": "render_layer", "cameras": ["x"]}, {"name": "b", "kind": "render_layer"}])
    assert [u.cameras for u in render_units(desc, SubmitOptions())] == [("x",), ("r",)]
    assert [u.cameras for u in render_units(desc, SubmitOptions(cameras=["p", "ghost"]))] == [("p",), ("p",)]


@pytest.mark.parametrize("host, overrides, options, expected", [
    ("maya", {"scene_file": "D:\\p\\scenes\\sh010.ma", "project_dir": "D:\\p",
              "output": {"prefix": "<Scene>/<RenderLayer>_<Camera>", "format": "EXR"},
              "cameras": [{"name": "camShape", "renderable": True}]}, {},
     ["D:/p/images/sh010/masterLayer_cam.####.exr"]),
    ("maya", {"scene_file": "/p/scenes/a.ma", "project_dir": "", "output": {"path": "/out", "prefix": "", "format": "png"}},
     {"output": "<RenderLayer>/x"}, ["/out/masterLayer/x.####.png"]),
    ("houdini", {"scene_file": "/show/fx/pyro.hip"}, {}, ["/show/fx/render/a.$F4.exr"]),
    ("houdini", {"scene_file": "/show/fx/pyro.hip", "layers": [
        {"name": "/out/rs1", "kind": "rop", "cameras": ["/obj/cam1"], "output": {"path": "${HIP}/r/$HIPNAME.$OS.$F4.exr"}}]},
     {}, ["/show/fx/r/pyro.rs1.$F4.exr"]),
    ("cinema4d", {"scene_file": "D:\\c\\prod.c4d", "output": {"path": "D:\\out\\$take\\$prj_$camera", "format": "PNG"}},
     {}, ["D:/out/Main/prod_Camera.png"]),
    ("blender", {"scene_file": "/b/shot.blend"}, {}, ["/b/render/f_####"]),
    ("3dsmax", {}, {"output": "E:\\renders\\x_.exr"}, ["E:/renders/x_.exr"]),
])
def test_resolved_outputs(host: str, overrides: dict, options: dict, expected: list) -> None:
    units = render_units(make_desc(host, **overrides), SubmitOptions(**options))
    assert [u.output for u in units] == expected


def test_overlapping_outputs() -> None:
    desc = make_desc("cinema4d", output={"path": "D:/out/a", "format": "PNG"},
                     layers=[{"name": "A", "kind": "take"}, {"name": "B", "kind": "take"}, {"name": "C", "kind": "take",
                                                                                       "renderable": False}])
    assert overlapping_outputs(render_units(desc, SubmitOptions())) == [("D:/out/a.png", ["A", "B"])]


# --- task files on disk -----------------------------------------------------------------------

def test_write_task_files_atomically_keeping_unicode(tmp_path: Path) -> None:
    desc = make_desc("maya", scene_file="/mnt/été/plan.ma", layers=[{"name": "前景", "kind": "render_layer"}])
    files = build_task_files(desc, SubmitOptions(), catalog_for("maya"), synthetic_scan(desc), 7, 8, 2)
    written = files.write(str(tmp_path / "cfg"))
    assert sorted(Path(p).name for p in written) == ["asset.json", "task.json", "tips.json", "upload.json"]
    assert sorted(p.name for p in (tmp_path / "cfg").iterdir()) == ["asset.json", "task.json", "tips.json", "upload.json"]
    text = (tmp_path / "cfg" / "task.json").read_text(encoding="utf-8")
    assert "前景" in text and "/mnt/été/plan.ma" in text
    assert json.loads(text)["task_info"]["task_id"] == "7"


def test_scene_md5_read_from_disk_when_the_scan_has_none(tmp_path: Path) -> None:
    scene = tmp_path / "a.ma"
    scene.write_bytes(b"maya scene bytes")
    desc = make_desc("maya", scene_file=str(scene))
    assert scene_md5(desc, AssetScan()) == hashlib.md5(b"maya scene bytes").hexdigest()
    assert scene_md5(desc, AssetScan(), known="abc") == "abc"
    assert scene_md5(make_desc("maya", scene_file=str(tmp_path / "gone.ma")), AssetScan()) == ""


def test_relative_paths_are_left_out_of_upload_json() -> None:
    desc = make_desc("houdini", assets=[{"path": "$JOB/a.rat"}, {"path": "/abs/b.rat"}])
    files = build_task_files(desc, SubmitOptions(), catalog_for("houdini"),
                             synthetic_scan(desc, found=["$JOB/a.rat", "/abs/b.rat"]), 1, 2, 2)
    assert [a["server"] for a in files.upload_json["asset"]] == ["/mnt/proj/shot.hip", "/abs/b.rat"]
    assert "$JOB/a.rat" in files.asset_json["asset"]
