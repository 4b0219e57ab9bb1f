"""The scene description model and its files: JSON round-trip, schema version, errors naming the field."""
import json
import os

import pytest
from pydantic import ValidationError

from rv_dcc.errors import RvDccError
from rv_dcc.scene.frames import FrameSpecError, Frames
from rv_dcc.scene.io import DescriptionError, load_description, save_description
from rv_dcc.scene.model import (SCHEMA_VERSION, AssetRef, Camera, Layer, Output, Plugin, Resolution,
                                SceneDescription)


def _full() -> SceneDescription:
    return SceneDescription(
        host="maya", host_version="2024.2", scene_file="/proj/scenes/shot_010.ma", project_dir="/proj",
        renderer="arnold", renderer_version="5.3.4", plugins=[Plugin(name="mtoa", version="5.3.4")],
        frame_start=1001, frame_end=1100, frame_step=2, fps=25.0,
        resolution=Resolution(width=2048, height=858), output=Output(path="/proj/images", format="exr"),
        cameras=[Camera(name="shotCam", renderable=True), Camera(name="persp")],
        layers=[Layer(name="beauty", kind="render_layer", cameras=["shotCam"], frames="1001-1010"),
                Layer(name="fx", kind="render_layer", renderable=False)],
        assets=[AssetRef(path="/proj/tex/wood.<UDIM>.exr", node="file1", attribute="fileTextureName",
                         kind="texture"),
                AssetRef(path="/proj/textures/木头.png", node="file2", attribute="fileTextureName")],
        settings={"aov": ["diffuse", "specular"]},
    )


def test_json_round_trip():
    desc = _full()
    again = SceneDescription.from_json(desc.to_json())
    assert again == desc
    assert json.loads(desc.to_json())["schema_version"] == SCHEMA_VERSION
    assert "木头" in desc.to_json()


def test_frames_helpers():
    desc = _full()
    assert desc.frames == Frames.from_range(1001, 1100, 2)
    assert desc.frames.to_farm() == "1001-1099[2]"
    assert desc.layer_frames(desc.layers[0]).to_farm() == "1001-1010[1]"
    assert desc.layer_frames(desc.layers[1]) == desc.frames
    with pytest.raises(FrameSpecError):
        desc.layer_frames(Layer(name="x", kind="rop", frames="1-"))


@pytest.mark.parametrize("change, field", [
    ({"frame_start": 10, "frame_end": 5}, "frame_end"),
    ({"schema_version": SCHEMA_VERSION + 1}, "schema_version"),
    ({"schema_version": 0}, "schema_version"),
    ({"host": "lightwave"}, "host"),
    ({"frame_step": 0}, "frame_step"),
    ({"cameras": [{"name": " "}]}, "cameras.0.name"),
    ({"layers": [{"name": "a", "kind": "pass"}]}, "layers.0.kind"),
    ({"layers": [{"name": "", "kind": "rop"}]}, "layers.0.name"),
    ({"plugins": [{"name": ""}]}, "plugins.0.name"),
    ({"assets": [{"path": ""}]}, "assets.0.path"),
    ({"unknown_key": 1}, "unknown_key"),
])
def test_validation_errors_name_the_field(change, field):
    data = {"host": "maya", "host_version": "2024"}
    data.update(change)
    with pytest.raises(ValidationError) as info:
        SceneDescription.model_validate(data)
    locs = [".".join(str(p) for p in e["loc"]) for e in info.value.errors()]
    assert field in locs


def test_newer_schema_says_update():
    with pytest.raises(ValidationError, match="update rv_dcc"):
        SceneDescription.model_validate({"host": "maya", "host_version": "1", "schema_version": 99})


def test_models_are_frozen():
    desc = _full()
    with pytest.raises(ValidationError):
        desc.host = "blender"  # type: ignore[misc]


def test_load_resolves_relative_paths(tmp_path):
    folder = tmp_path / "samples"
    folder.mkdir()
    data = {
        "host": "maya", "host_version": "2024", "scene_file": "maya/shot.ma", "project_dir": "maya",
        "assets": [{"path": "maya/tex/wood.<UDIM>.exr"}, {"path": "/abs/a.png"}, {"path": "D:\\tex\\b.png"},
                   {"path": "$HIP/c.png"}, {"path": "\\\\nas\\share\\d.png"}, {"path": "x.png", "resolved": "y.png"}],
    }
    (folder / "shot.json").write_text(json.dumps(data), encoding="utf-8")
    desc = load_description(str(folder / "shot.json"))
    assert desc.scene_file == str(folder / "maya" / "shot.ma")
    assert desc.project_dir == str(folder / "maya")
    paths = [a.path for a in desc.assets]
    assert paths == [str(folder / "maya" / "tex" / "wood.<UDIM>.exr"), "/abs/a.png", "D:\\tex\\b.png",
                     "$HIP/c.png", "\\\\nas\\share\\d.png", str(folder / "x.png")]
    assert desc.assets[5].resolved == str(folder / "y.png")


def test_load_resolves_blender_relative_paths_against_the_blend(tmp_path):
    data = {"host": "blender", "host_version": "4.2", "scene_file": "blend/shot.blend",
            "assets": [{"path": "//tex/a.png"}]}
    (tmp_path / "d.json").write_text(json.dumps(data), encoding="utf-8")
    desc = load_description(tmp_path / "d.json")
    assert desc.assets[0].path == str(tmp_path / "blend" / "tex" / "a.png")


@pytest.mark.parametrize("content, words, field", [
    ("{not json", "not valid JSON", ""),
    ("[1, 2]", "JSON object", ""),
    (json.dumps({"host": "maya", "host_version": "1", "layers": [{"name": "a", "kind": "nope"}]}),
     "layers.0.kind", "layers.0.kind"),
    (json.dumps({"host_version": "1"}), "host", "host"),
    (json.dumps({"host": "maya", "host_version": "1", "frame_start": 5, "frame_end": 1}), "frame_end", "frame_end"),
])
def test_load_errors_are_clear(tmp_path, content, words, field):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DescriptionError) as info:
        load_description(path)
    err = info.value
    assert words in str(err) and str(path) in str(err)
    assert err.field == field and err.path == str(path)
    assert isinstance(err, RvDccError) and err.hint


def test_load_missing_file(tmp_path):
    with pytest.raises(DescriptionError, match="does not exist"):
        load_description(tmp_path / "nope.json")


def test_save_is_atomic_and_round_trips(tmp_path, monkeypatch):
    path = tmp_path / "desc.json"
    desc = _full()
    save_description(desc, path)
    assert load_description(path) == desc
    assert [p.name for p in tmp_path.iterdir()] == ["desc.json"]

    # A failure while writing leaves the old file intact and no temporary file behind.
    def boom(fd):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", boom)
    other = desc.model_copy(update={"host_version": "2025"})
    with pytest.raises(OSError):
        save_description(other, path)
    monkeypatch.undo()
    assert load_description(path) == desc
    assert [p.name for p in tmp_path.iterdir()] == ["desc.json"]
