"""Every check, one by one: what triggers it, its severity, its tips code, and that it names the culprit."""
from pathlib import Path
from typing import List

import pytest

from rv_dcc.scene.assets import scan_assets
from rv_dcc.submit import checks as checks_mod
from rv_dcc.submit.catalog import Catalog, TipDetail
from rv_dcc.submit.checks import ERROR, INFO, WARNING, Issue, apply_farm_severity, blocking, run_checks
from rv_dcc.submit.options import SubmitOptions

from submit_helpers import catalog_for, make_desc, synthetic_scan, write_files


def run(desc, options: SubmitOptions = SubmitOptions(), scan=None, catalog=None) -> List[Issue]:
    catalog = catalog or catalog_for(desc.host, options.os_name)
    return run_checks(desc, options, catalog, scan if scan is not None else synthetic_scan(desc))


def only(issues: List[Issue], code: str) -> List[Issue]:
    return [issue for issue in issues if issue.code == code]


def one(issues: List[Issue], code: str) -> Issue:
    found = only(issues, code)
    assert len(found) == 1, f"expected one {code}, got {[i.code for i in issues]}"
    return found[0]


@pytest.mark.parametrize("host", ["maya", "3dsmax", "houdini", "cinema4d", "blender"])
def test_a_clean_scene_has_no_errors_or_warnings(tmp_path: Path, host: str) -> None:
    desc = make_desc(host, tmp_path)
    issues = run(desc, scan=scan_assets(desc))
    assert [i for i in issues if i.severity != INFO] == []


# --- scene file -------------------------------------------------------------------------------

def test_never_saved_scene_blocks_with_15024() -> None:
    issue = one(run(make_desc("maya", scene_file="", scene_saved=False), scan=synthetic_scan(make_desc("maya"), scene=False)),
                "scene.unsaved")
    assert (issue.severity, issue.tips_code) == (ERROR, "15024")
    assert "Save" in issue.hint


def test_missing_scene_file_names_it(tmp_path: Path) -> None:
    desc = make_desc("maya", scene_file=str(tmp_path / "gone.ma"))
    issue = one(run(desc, scan=scan_assets(desc)), "scene.missing")
    assert issue.severity == ERROR and issue.tips_code == "15024" and "gone.ma" in issue.title


def test_unsaved_changes_warn(tmp_path: Path) -> None:
    desc = make_desc("blender", tmp_path, scene_saved=False)
    assert one(run(desc, scan=scan_assets(desc)), "scene.modified").severity == WARNING


def test_wrong_file_type_for_the_host(tmp_path: Path) -> None:
    scene = tmp_path / "shot.mb.bak"
    scene.write_text("x")
    desc = make_desc("maya", scene_file=str(scene))
    issue = one(run(desc, scan=scan_assets(desc)), "scene.file_type")
    assert issue.severity == ERROR and ".ma" in issue.hint and ".mb" in issue.hint


def test_maya_without_project_is_a_note(tmp_path: Path) -> None:
    desc = make_desc("maya", tmp_path, project_dir="")
    assert one(run(desc, scan=scan_assets(desc)), "scene.no_project").severity == INFO


# --- frames -----------------------------------------------------------------------------------

def test_bad_frame_override_shows_where() -> None:
    issue = one(run(make_desc("maya"), SubmitOptions(frames="1-10x")), "frames.bad_spec")
    assert issue.severity == ERROR and "1-10x" in issue.title
    assert "^" in issue.detail  # the caret under the bad character


def test_empty_frame_override_is_an_error() -> None:
    assert one(run(make_desc("maya"), SubmitOptions(frames="  ")), "frames.bad_spec").severity == ERROR


def test_bad_layer_frames_name_the_layer() -> None:
    desc = make_desc("maya", layers=[{"name": "fg", "kind": "render_layer", "frames": "5-a"}])
    issue = one(run(desc), "frames.bad_layer_spec")
    assert issue.node == "fg" and "render layer fg" in issue.title


def test_bad_test_frames() -> None:
    issue = one(run(make_desc("maya"), SubmitOptions(test_frames={"custom": "x"})), "frames.bad_test_spec")
    assert issue.severity == ERROR


def test_test_frames_outside_the_range_warn() -> None:
    issue = one(run(make_desc("maya"), SubmitOptions(test_frames={"custom": "5,500"})), "frames.test_outside")
    assert issue.severity == WARNING and "500" in issue.title and "5," not in issue.title


# --- layers -----------------------------------------------------------------------------------

def test_unknown_layer_choice_lists_the_layers() -> None:
    issues = run(make_desc("maya"), SubmitOptions(layers=["nope"]))
    issue = one(issues, "layers.unknown")
    assert "defaultRenderLayer" in issue.hint
    assert one(issues, "layers.none").severity == ERROR


def test_nothing_renderable() -> None:
    desc = make_desc("houdini", layers=[{"name": "/out/a", "kind": "rop", "renderable": False, "cameras": ["/obj/cam1"],
                                         "output": {"path": "/r/a.$F4.exr"}}])
    issue = one(run(desc), "layers.none")
    assert issue.severity == ERROR and "ROP" in issue.title


def test_takes_with_different_ranges_warn() -> None:
    desc = make_desc("cinema4d", layers=[{"name": "A", "kind": "take", "frames": "1-5"}, {"name": "B", "kind": "take"}])
    assert one(run(desc), "layers.take_frames").severity == WARNING


# --- cameras ----------------------------------------------------------------------------------

def test_no_camera_names_the_layer_with_15006() -> None:
    desc = make_desc("maya", cameras=[{"name": "perspShape"}],
                     layers=[{"name": "fg", "kind": "render_layer"}, {"name": "bg", "kind": "render_layer", "cameras": ["perspShape"]}])
    issue = one(run(desc), "camera.none")
    assert (issue.severity, issue.tips_code, issue.node) == (ERROR, "15006", "fg")


def test_houdini_render_rop_without_camera_but_cache_rop_is_fine() -> None:
    desc = make_desc("houdini", layers=[
        {"name": "/out/cache", "kind": "rop", "option": "0"},
        {"name": "/out/render", "kind": "rop", "option": "-1", "output": {"path": "/r/x.$F4.exr"}}])
    issue = one(run(desc), "camera.none")
    assert issue.node == "/out/render" and "camera parameter" in issue.hint


def test_unknown_camera_choice() -> None:
    issue = one(run(make_desc("3dsmax"), SubmitOptions(cameras=["CamX"])), "camera.unknown")
    assert "Camera001" in issue.hint


def test_duplicate_camera_names_15015() -> None:
    desc = make_desc("cinema4d", cameras=[{"name": "Camera", "renderable": True}, {"name": "Camera"}])
    issue = one(run(desc), "camera.duplicate")
    assert issue.tips_code == "15015" and issue.severity == WARNING


# --- outputs ----------------------------------------------------------------------------------

def test_no_output_path_for_3dsmax_blocks() -> None:
    issue = one(run(make_desc("3dsmax", output={"path": ""})), "output.none")
    assert issue.severity == ERROR and "Render Setup" in issue.hint


def test_maya_without_prefix_is_a_note() -> None:
    assert one(run(make_desc("maya", output={"prefix": "", "format": "exr"})), "output.default_prefix").severity == INFO


def test_layers_writing_the_same_files_warn() -> None:
    desc = make_desc("maya", output={"prefix": "<Scene>", "format": "exr"},
                     layers=[{"name": "fg", "kind": "render_layer"}, {"name": "bg", "kind": "render_layer"}])
    issue = one(run(desc), "output.overlap")
    assert "fg" in issue.title and "bg" in issue.title and "<RenderLayer>" in issue.hint


# --- assets -----------------------------------------------------------------------------------

def test_missing_files_name_node_and_attribute_with_tips_by_kind(tmp_path: Path) -> None:
    write_files(tmp_path, ["tex/wood.1001.png"])
    desc = make_desc("maya", tmp_path, assets=[
        {"path": str(tmp_path / "tex/wood.<UDIM>.png"), "node": "wood", "attribute": "fileTextureName", "kind": "texture"},
        {"path": str(tmp_path / "tex/metal.<UDIM>.png"), "node": "metal", "attribute": "fileTextureName", "kind": "texture"},
        {"path": str(tmp_path / "cache/a.abc"), "node": "abcNode", "attribute": "abc_File", "kind": "cache"},
        {"path": str(tmp_path / "vdb/b.vdb"), "node": "vol", "attribute": "filename", "kind": "volume"}])
    issues = only(run(desc, scan=scan_assets(desc)), "assets.missing")
    assert [(i.node, i.tips_code) for i in issues] == [
        ("metal.fileTextureName", "10012"), ("abcNode.abc_File", "10018"), ("vol.filename", "10028")]
    assert all(i.severity == WARNING and "metal" in issues[0].title for i in issues)
    assert "repath metal.fileTextureName" in issues[0].hint


def test_3dsmax_xrefs_are_noted_with_10025() -> None:
    desc = make_desc("3dsmax", assets=[{"path": "D:/x/trees.max", "kind": "xref", "node": "XRef"}])
    issue = one(run(desc, scan=synthetic_scan(desc, found=["D:/x/trees.max"])), "assets.xref")
    assert issue.tips_code == "10025" and issue.detail == "D:/x/trees.max"


# --- software ---------------------------------------------------------------------------------

def test_host_version_not_on_the_farm_names_the_nearest() -> None:
    issue = one(run(make_desc("maya", host_version="2021.3")), "software.host_nearest")
    assert issue.severity == WARNING and issue.tips_code == "15013"
    assert "2022, the nearest" in issue.title and "2022, 2023, 2024, 2025" in issue.hint


def test_host_with_no_version_at_all_blocks_with_15019() -> None:
    bundle_catalog = Catalog(cg_id=2000, tips=catalog_for("maya").tips)
    issue = one(run(make_desc("maya"), catalog=bundle_catalog), "software.host_missing")
    assert (issue.severity, issue.tips_code) == (ERROR, "15019")


def test_plugin_version_nearest_and_missing_plugin() -> None:
    desc = make_desc("maya", renderer="redshift", plugins=[{"name": "mtoa", "version": "5.3.3"},
                                                           {"name": "redshift", "version": "3.5.22"},
                                                           {"name": "yeti", "version": "4.2"}])
    issues = run(desc)
    nearest = one(issues, "software.plugin_nearest")
    assert nearest.node == "mtoa" and "5.3.4 will be used" in nearest.title
    missing = one(issues, "software.plugin_missing")
    assert missing.node == "yeti" and missing.severity == ERROR and missing.tips_code is None
    assert "mtoa" in missing.hint  # lists what the farm offers


def test_missing_renderer_plugin_is_15004() -> None:
    desc = make_desc("houdini", renderer="Octane", plugins=[{"name": "octane", "version": "2024"}])
    issue = one(run(desc), "software.plugin_missing")
    assert issue.tips_code == "15004" and issue.severity == ERROR


def test_no_renderer_is_15005() -> None:
    issue = one(run(make_desc("3dsmax", renderer="", plugins=[])), "software.no_renderer")
    assert (issue.tips_code, issue.severity) == ("15005", ERROR)


# --- paths ------------------------------------------------------------------------------------

def test_relative_asset_path_blocks() -> None:
    desc = make_desc("houdini", assets=[{"path": "$JOB/tex/a.rat", "node": "/mat/a", "attribute": "map"}])
    scan = synthetic_scan(desc, missing=[0])
    issue = one(run(desc, scan=scan), "paths.relative")
    assert issue.severity == ERROR and issue.node == "/mat/a.map"


def test_unc_path_warns_with_its_server_path() -> None:
    desc = make_desc("maya", assets=[{"path": "\\\\nas\\share\\t.png", "node": "f", "attribute": "a"}])
    issue = one(run(desc, scan=synthetic_scan(desc, found=["\\\\nas\\share\\t.png"])), "paths.unc")
    assert issue.severity == WARNING and "/nas/share/t.png" in issue.hint


@pytest.mark.parametrize("os_name, severity", [("1", ERROR), ("0", WARNING)])
def test_too_long_path_blocks_on_windows_nodes_only(os_name: str, severity: str) -> None:
    long_path = "/mnt/" + "a" * 300 + ".png"
    desc = make_desc("maya", assets=[{"path": long_path}])
    issue = one(run(desc, SubmitOptions(os_name=os_name), scan=synthetic_scan(desc, found=[long_path])), "paths.too_long")
    assert issue.severity == severity


def test_characters_windows_cannot_store() -> None:
    desc = make_desc("3dsmax", assets=[{"path": "D:\\maps\\what?.jpg"}])
    issue = one(run(desc, scan=synthetic_scan(desc, found=["D:\\maps\\what?.jpg"])), "paths.unmappable")
    assert issue.severity == ERROR


def test_many_bad_paths_are_summed_up() -> None:
    paths = [f"\\\\nas\\s\\t{i}.png" for i in range(60)]
    desc = make_desc("maya", assets=[{"path": p} for p in paths])
    issues = only(run(desc, scan=synthetic_scan(desc, found=paths)), "paths.unc")
    assert len(issues) == 51 and issues[-1].title == "... and 10 more like that"


# --- render node ------------------------------------------------------------------------------

@pytest.mark.parametrize("host, refused", [("3dsmax", True), ("cinema4d", True), ("maya", False), ("houdini", False)])
def test_linux_nodes_for_windows_only_hosts(host: str, refused: bool) -> None:
    issues = only(run(make_desc(host), SubmitOptions(os_name="0")), "node.os_unsupported")
    assert bool(issues) == refused
    if refused:
        assert issues[0].severity == ERROR and "--os windows" in issues[0].hint


def test_windows_paths_on_a_linux_node_are_fine() -> None:
    desc = make_desc("maya", scene_file="D:\\p\\a.ma", assets=[{"path": "D:\\p\\t.png"}])
    issues = run(desc, SubmitOptions(os_name="0"), scan=synthetic_scan(desc, found=["D:\\p\\t.png"]))
    assert not [i for i in issues if i.code.startswith(("paths.", "node."))]


def test_unknown_hardware_config() -> None:
    issue = one(run(make_desc("maya"), SubmitOptions(hardware_config_id=999)), "node.hardware_unknown")
    assert "301" in issue.hint


@pytest.mark.parametrize("host, config, overrides", [
    ("maya", 337, {}),                                                                   # cgId not supported
    ("3dsmax", 339, {"renderer": "Corona 10", "plugins": [{"name": "corona", "version": "11"}]}),  # plugin regex
    ("houdini", 341, {"host_version": "19.5", "plugins": []}),                          # "Houdini 19.5" refused
])
def test_hardware_config_that_refuses_the_scene(host: str, config: int, overrides: dict) -> None:
    issue = one(run(make_desc(host, **overrides), SubmitOptions(hardware_config_id=config, ram="64")),
                "node.hardware_refuses")
    assert issue.severity == ERROR and str(config) in issue.title


def test_ram_that_the_config_does_not_have() -> None:
    issue = one(run(make_desc("maya"), SubmitOptions(hardware_config_id=301, ram="128")), "node.ram_mismatch")
    assert issue.severity == WARNING and "--ram 64" in issue.hint


def test_gpu_renderer_on_cpu_machine() -> None:
    desc = make_desc("houdini")  # Redshift
    assert one(run(desc), "node.gpu_on_cpu").severity == INFO
    assert one(run(desc, SubmitOptions(hardware_config_id=301)), "node.gpu_on_cpu").severity == WARNING
    assert not only(run(desc, SubmitOptions(hardware_config_id=339)), "node.gpu_on_cpu")


# --- the machinery ----------------------------------------------------------------------------

def test_farm_type_decides_severity_and_explains() -> None:
    catalog = Catalog(cg_id=2000, tips={"10012": TipDetail("10012", 1, "Missing file", "Repath it."),
                                        "15006": TipDetail("15006", 0, "No camera.", "")})
    missing = apply_farm_severity(Issue("assets.missing", WARNING, "t", "h", tips_code="10012"), catalog)
    camera = apply_farm_severity(Issue("camera.none", ERROR, "t", "h", tips_code="15006"), catalog)
    assert (missing.severity, missing.farm_note) == (ERROR, "Missing file. Repath it.")
    assert camera.severity == WARNING
    assert apply_farm_severity(Issue("x", INFO, "t", "h", tips_code="99999"), catalog).severity == INFO


def test_a_crashing_check_becomes_an_issue_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(checks_mod, "CHECKS", [broken] + checks_mod.CHECKS)
    issues = run(make_desc("maya", scene_file=""), scan=synthetic_scan(make_desc("maya"), scene=False))
    assert one(issues, "internal.check_failed").severity == WARNING and "boom" in issues[0].title
    assert only(issues, "scene.unsaved")


def test_blocking_lists_errors_only() -> None:
    issues = [Issue("a", ERROR, "t", "h"), Issue("b", WARNING, "t", "h"), Issue("c", INFO, "t", "h")]
    assert [i.code for i in blocking(issues)] == ["a"]
