"""Fix buttons of the checks list and the render-environment picker, against a strict fake host adapter.

The fake implements rv_dcc.scene.adapter.HostAdapter, records every call, and refuses any
attribute the Protocol does not declare, so the panel cannot grow a dependency on a host method
that real adapters do not have. The catalog is the embedded farm's (standalone: no account).
"""
import os

import pytest
from qtpy import QtCore, QtWidgets

from rv_dcc.scene.adapter import HostAdapter
from rv_dcc.scene.io import load_description
from rv_dcc.scene.model import AssetRef, Plugin
from rv_dcc.submit.render_env import default_edit_name
from rv_dcc.ui.screenshots import SAMPLES
from rv_dcc.ui.submit_controller import SubmitController
from rv_dcc.ui.submit_view import SubmitView

PROTOCOL = {"name", "app_version", "describe_scene", "save_scene", "main_window", "load_settings",
            "store_settings", "select"}


class StrictHost:
    """A HostAdapter that records calls and rejects whatever the Protocol lacks."""

    name = "maya"

    def __init__(self, desc, saved_desc=None):
        object.__setattr__(self, "calls", [])
        object.__setattr__(self, "_desc", desc)
        object.__setattr__(self, "_saved", saved_desc)
        object.__setattr__(self, "_settings", {})

    def __getattribute__(self, attr):
        if not attr.startswith("_") and attr not in PROTOCOL and attr != "calls":
            raise AttributeError(f"HostAdapter has no {attr!r}: the panel must not rely on it")
        return object.__getattribute__(self, attr)

    def app_version(self):
        self.calls.append(("app_version",))
        return self._desc.host_version

    def describe_scene(self):
        self.calls.append(("describe_scene",))
        return self._desc

    def save_scene(self):
        self.calls.append(("save_scene",))
        if self._saved is not None:
            object.__setattr__(self, "_desc", self._saved)

    def main_window(self):
        return None

    def load_settings(self):
        return dict(self._settings)

    def store_settings(self, settings):
        object.__setattr__(self, "_settings", dict(settings))

    def select(self, node):
        self.calls.append(("select", node))
        return True


def calls(host, name):
    return [call for call in host.calls if call[0] == name]


@pytest.fixture
def make_view(qtbot, tmp_path):
    views = []

    def make(desc, adapter=None):
        controller = SubmitController(desc, None, adapter, journal_root=tmp_path / "journals")
        view = SubmitView(controller)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: controller.catalog is not None and controller.scan is not None, timeout=20000)
        views.append(view)
        return view

    yield make
    for view in views:
        view.shutdown()


def maya(**changes):
    return load_description(str(SAMPLES / "maya.json")).model_copy(update=changes)


def click(qtbot, view, code, fix_id):
    row = view.issues.row_for(code)
    assert row is not None, [getattr(r, "issue", None) and r.issue.code for r in view.issues.rows]
    assert fix_id in row.fix_buttons, list(row.fix_buttons)
    qtbot.mouseClick(row.fix_buttons[fix_id], QtCore.Qt.LeftButton)


def codes(view):
    return {issue.code for issue in view.controller.issues}


def test_the_fake_is_a_host_adapter_and_refuses_anything_else():
    host = StrictHost(maya())
    assert isinstance(host, HostAdapter)
    with pytest.raises(AttributeError):
        host.open_file("x.ma")  # noqa: B018 - not in the Protocol


def test_save_scene_only_when_clicked_then_the_checks_run_again(qtbot, make_view):
    host = StrictHost(maya(scene_saved=False), saved_desc=maya(scene_saved=True))
    view = make_view(maya(scene_saved=False), host)
    assert "scene.modified" in codes(view)
    assert calls(host, "save_scene") == []  # opening the dialog and checking never saves
    click(qtbot, view, "scene.modified", "save_scene")
    assert len(calls(host, "save_scene")) == 1 and calls(host, "describe_scene")
    qtbot.waitUntil(lambda: view.controller.scan is not None, timeout=20000)
    assert "scene.modified" not in codes(view) and view.issues.row_for("scene.modified") is None


def test_use_the_nearest_plugin_pins_it_in_the_task_files(qtbot, make_view):
    desc = maya(plugins=[Plugin(name="mtoa", version="5.3.3")])
    view = make_view(desc, StrictHost(desc))
    assert view.issues.row_for("software.plugin_nearest").fix_buttons["use_plugin"].text() == "Use mtoa 5.3.4"
    click(qtbot, view, "software.plugin_nearest", "use_plugin")
    assert view.controller.options.plugin_versions == {"mtoa": "5.3.4"}
    assert "software.plugin_nearest" not in codes(view) and "software.plugin_picked" in codes(view)
    assert view.controller.task_files().task_json["software_config"]["plugins"] == {"mtoa": "5.3.4"}
    assert view.env.state_text("mtoa") == "picked" and view.env.reset_button.isVisibleTo(view)


def test_missing_asset_offers_select_and_copy_path(qtbot, make_view):
    missing = AssetRef(path=os.path.join(os.path.dirname(maya().scene_file), "nowhere", "wall.tx"),
                       node="wall_file", attribute="fileTextureName", kind="texture")
    desc = maya(assets=list(maya().assets) + [missing])
    host = StrictHost(desc)
    view = make_view(desc, host)
    row = view.issues.row_for("assets.missing")
    assert list(row.fix_buttons) == ["select", "copy_path"]
    click(qtbot, view, "assets.missing", "select")
    assert calls(host, "select") == [("select", "wall_file.fileTextureName")]
    click(qtbot, view, "assets.missing", "copy_path")
    assert QtWidgets.QApplication.clipboard().text() == row.issue.detail and "wall.tx" in row.issue.detail
    (copy_message,) = row.actions()  # the row's right-click menu
    copy_message.trigger()
    copied = QtWidgets.QApplication.clipboard().text()
    assert row.issue.detail in copied and row.hint.toolTip() in copied
    assert "\u200b" not in copied and "\u2060" not in copied, "the invisible wrap marks of the label were copied"


def test_bad_frames_focus_the_field_or_go_back_to_the_scene_range(qtbot, make_view):
    view = make_view(maya(), StrictHost(maya()))
    view.frames.setText("1-x")
    view.frames.editingFinished.emit()
    click(qtbot, view, "frames.bad_spec", "focus")
    assert view.window().focusWidget() is view.frames and view.frames.selectedText() == "1-x"
    click(qtbot, view, "frames.bad_spec", "reset_frames")
    assert view.controller.options.frames is None and view.frames.text() == ""
    assert "frames.bad_spec" not in codes(view)


def test_no_output_path_focuses_the_output_override(qtbot, make_view):
    desc = load_description(str(SAMPLES / "blender.json"))
    desc = desc.model_copy(update={"output": desc.output.model_copy(update={"path": ""})})
    view = make_view(desc)
    assert "output.none" in codes(view)
    click(qtbot, view, "output.none", "focus")
    assert view.window().focusWidget() is view.output
    view.output.setText("//render/shot_####")
    view.output.editingFinished.emit()
    assert "output.none" not in codes(view)


def test_long_sequence_suggests_frames_per_machine(qtbot, make_view):
    view = make_view(maya(frame_end=400))
    row = view.issues.row_for("frames.one_per_machine")
    assert row.fix_buttons["frames_per_task"].text() == "4 frames per machine"
    click(qtbot, view, "frames.one_per_machine", "frames_per_task")
    assert view.controller.options.frames_per_task == 4 and view.per_task.value() == 4
    assert view.controller.task_files().task_json["task_info"]["frames_per_task"] == "4"
    assert "frames.one_per_machine" not in codes(view)


def test_windows_only_host_on_linux_nodes_switches_to_windows(qtbot, make_view):
    desc = load_description(str(SAMPLES / "3dsmax.json"))
    view = make_view(desc)
    view.os.setCurrentIndex(view.os.findData("0"))
    qtbot.waitUntil(lambda: "node.os_unsupported" in codes(view), timeout=20000)
    click(qtbot, view, "node.os_unsupported", "use_windows")
    assert view.controller.options.os_name == "1" and view.os.currentData() == "1"
    qtbot.waitUntil(lambda: view.controller.catalog.os_name == "1", timeout=20000)
    assert "node.os_unsupported" not in codes(view)


def test_standalone_offers_no_host_fixes(qtbot, make_view):
    view = make_view(maya(scene_saved=False, frame_end=400))
    fixes = {fix.id for row in view.issues.rows if getattr(row, "issue", None) for fix in row.fixes}
    assert "save_scene" not in fixes and "select" not in fixes and "frames_per_task" in fixes


def test_picker_shows_catalog_versions_and_choosing_one_rewrites_task_json(qtbot, make_view):
    view = make_view(maya())
    controller, picker = view.controller, view.env
    host_combo = picker.combos["host"]
    offered = [host_combo.itemData(i) for i in range(host_combo.count())]
    assert host_combo.currentData() == "2024" and picker.state_text("host") == "exact"
    other = next(v for v in offered if v != "2024")
    host_combo.setCurrentIndex(host_combo.findData(other))  # the artist picks another Maya
    software = controller.task_files().task_json["software_config"]
    assert controller.options.cg_version == other and software["cg_version"] == other
    assert "software.host_picked" in codes(view) and picker.state_text("host") == "picked"
    env = controller.env
    assert env.edit_name == default_edit_name("Maya", other, env.plugin_versions, "1")
    assert f"Will create" in picker.target.text() and env.edit_name in picker.target.text()
    assert "mtoa" in picker.combos  # plugin versions offered for the picked host version
    qtbot.mouseClick(picker.reset_button, QtCore.Qt.LeftButton)
    assert controller.options.cg_version is None and picker.combos["host"].currentData() == "2024"
    assert controller.task_files().task_json["software_config"]["cg_version"] == "2024"


def test_picker_lists_the_accounts_environments_and_the_one_used(qtbot, make_view):
    from rv_dcc.submit.catalog import Catalog

    view = make_view(maya())
    controller = view.controller
    data = controller.catalog.to_dict()
    match = controller.env
    data["render_envs"] = [
        {"editName": "lighting team", "cgId": 2000, "cgName": "Maya", "cgVersion": match.cg_version, "osName": 1,
         "renderLayerType": match.render_layer_type, "isDefault": 1,
         "respUserPluginInfoVos": [{"pluginId": p.plugin_id, "pluginName": p.name, "pluginVersion": p.chosen}
                                   for p in match.plugins]},
        {"editName": "old 2022", "cgId": 2000, "cgName": "Maya", "cgVersion": "2022", "osName": 1,
         "respUserPluginInfoVos": []},
    ]
    view._catalog_loaded(Catalog.from_dict(data, cg_id=2000, os_name="1"))
    text = view.env.envs.text()
    assert "lighting team" in text and "old 2022" in text and "used" in text
    assert "Will use" in view.env.target.text() and "lighting team" in view.env.target.text()
    assert controller.task_files().task_json["software_config"]["cg_version"] == match.cg_version


def test_missing_plugin_offers_a_host_version_that_has_it(qtbot, make_view):
    from rv_dcc.submit.catalog import Catalog

    desc = maya(plugins=[Plugin(name="mtoa", version="5.3.4"), Plugin(name="redshift", version="3.5.19")])
    view = make_view(desc)
    data = view.controller.catalog.to_dict()
    cv_2024 = next(v["id"] for v in data["detail"]["cgVersion"] if v["cgVersion"] == "2024")
    data["detail"]["cgPlugin"] = [p for p in data["detail"]["cgPlugin"]  # no redshift for Maya 2024 here
                                  if not (p["cvId"] == cv_2024 and p["pluginName"] == "redshift")]
    view._catalog_loaded(Catalog.from_dict(data, cg_id=2000, os_name="1"))
    row = view.issues.row_for("software.plugin_missing")
    assert row.fix_buttons["use_host"].text() == "Use Maya 2025"  # 2023 and 2025 are as near: the newer
    click(qtbot, view, "software.plugin_missing", "use_host")
    assert view.controller.options.cg_version == "2025" and "software.plugin_missing" not in codes(view)
    software = view.controller.task_files().task_json["software_config"]
    assert software["cg_version"] == "2025" and "redshift" in software["plugins"]


def test_chinese_checks_and_fix_labels_in_the_panel(qtbot, make_view):
    from rv_dcc.ui import i18n

    i18n.set_language("zh_CN")
    try:
        host = StrictHost(maya(scene_saved=False))
        view = make_view(maya(scene_saved=False, frame_end=400), host)
        row = view.issues.row_for("scene.modified")
        assert "场景有未保存的修改" in row.title.text() and "保存场景" in row.hint.text()
        assert row.fix_buttons["save_scene"].text() == "保存场景"
        per = view.issues.row_for("frames.one_per_machine")
        assert per.fix_buttons["frames_per_task"].text() == "每台机器 4 帧"
        assert view.env.state_text("host") == "完全匹配"
    finally:
        i18n.set_language("en")
