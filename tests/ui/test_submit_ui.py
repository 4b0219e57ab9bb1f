"""The submit view against the embedded farm: binding, checks with Select, preview, export, submit."""
import json
import os
import stat

import pytest
from qtpy import QtCore

from rv_dcc.scene.io import load_description
from rv_dcc.scene.model import AssetRef
from rv_dcc.ui.screenshots import SAMPLES
from rv_dcc.ui.submit_controller import SubmitController
from rv_dcc.ui.submit_view import SubmitView


class FakeAdapter:
    """A host adapter that keeps settings in a dict and records what it was asked to select."""

    name = "maya"

    def __init__(self):
        self.stored = {}
        self.selected = []

    def load_settings(self):
        return dict(self.stored)

    def store_settings(self, settings):
        self.stored = dict(settings)

    def select(self, node):
        self.selected.append(node)
        return True


def _desc_with_missing_texture():
    desc = load_description(str(SAMPLES / "maya.json"))
    missing = AssetRef(path=os.path.join(os.path.dirname(desc.scene_file), "nowhere", "wall.tx"),
                       node="wall_file", attribute="fileTextureName", kind="texture")
    return desc.model_copy(update={"assets": list(desc.assets) + [missing]})


@pytest.fixture
def make_view(qtbot, tmp_path):
    views = []

    def make(desc, api=None, adapter=None):
        controller = SubmitController(desc, api, adapter, journal_root=tmp_path / "journals")
        view = SubmitView(controller)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: controller.catalog is not None and controller.scan is not None, timeout=20000)
        views.append(view)
        return view

    yield make
    for view in views:
        view.shutdown()


def test_options_bind_persist_per_scene_and_per_user(qtbot, make_view, tmp_path):
    adapter = FakeAdapter()
    view = make_view(load_description(str(SAMPLES / "maya.json")), adapter=adapter)
    view.per_task.setValue(3)
    view.test_first.setChecked(True)
    view.priority.setCurrentIndex(view.priority.findData(60))
    view.frames.setText("1-20x2")
    view.frames.editingFinished.emit()
    options = view.controller.options
    assert (options.frames_per_task, options.test_frames.first, options.priority, options.frames) == (3, True, 60, "1-20x2")
    assert adapter.stored["rv_dcc_submit"]["frames_per_task"] == 3  # saved in the scene on every change
    user = json.loads((tmp_path / "config" / "panel.json").read_text())
    assert user["options"]["priority"] == 60 and "frames" not in user["options"]
    reopened = SubmitController(load_description(str(SAMPLES / "maya.json")), None, adapter)
    assert reopened.options.frames == "1-20x2" and reopened.options.frames_per_task == 3
    fresh_scene = SubmitController(load_description(str(SAMPLES / "maya.json")), None, FakeAdapter())
    assert fresh_scene.options.priority == 60 and fresh_scene.options.frames is None  # last-used per user
    view.per_task.setValue(1)
    assert "20 frames in 2 layers · up to 20 machines" in view.summary.text()  # 1-20x2 on two layers, in parallel


def test_bad_frame_spec_is_an_issue_and_blocks_submit(qtbot, make_view, farm):
    view = make_view(load_description(str(SAMPLES / "3dsmax.json")), api=farm.api)
    assert view.submit_button.isEnabled()
    view.frames.setText("1-x")
    view.frames.editingFinished.emit()
    errors = [row.issue for row in view.issues.rows if getattr(row, "issue", None) and row.issue.severity == "error"]
    assert errors and "1-x" in (errors[0].title + errors[0].detail + errors[0].hint)
    assert not view.submit_button.isEnabled()


def test_all_checks_in_one_list_with_select_through_the_adapter(qtbot, make_view):
    adapter = FakeAdapter()
    view = make_view(_desc_with_missing_texture(), adapter=adapter)
    rows = [row for row in view.issues.rows if getattr(row, "issue", None)]
    missing = [row for row in rows if row.issue.code == "assets.missing"]
    assert missing and missing[0].select_button is not None
    qtbot.mouseClick(missing[0].select_button, QtCore.Qt.LeftButton)
    assert adapter.selected == ["wall_file.fileTextureName"]
    standalone = make_view(_desc_with_missing_texture())
    assert all(row.select_button is None for row in standalone.issues.rows if getattr(row, "issue", None))


def test_environment_table_shows_exact_and_nearest(qtbot, make_view):
    from rv_dcc.scene.model import Plugin

    desc = load_description(str(SAMPLES / "maya.json"))
    desc = desc.model_copy(update={"plugins": [Plugin(name="mtoa", version="5.3.3")]})
    view = make_view(desc)
    texts = [view.env.state_text("host"), view.env.state_text("mtoa")]
    assert texts[0].endswith("exact")
    assert "nearest" in texts[1] and "5.3.4" in texts[1]


def test_preview_and_export_are_the_exact_task_files(qtbot, make_view, tmp_path, monkeypatch):
    view = make_view(load_description(str(SAMPLES / "houdini.json")))
    dialog = view.preview()
    qtbot.addWidget(dialog)
    assert sorted(dialog.texts) == ["asset.json", "task.json", "tips.json", "upload.json"]
    shown = json.loads(dialog.texts["task.json"].toPlainText())
    assert shown == view.controller.task_files().task_json
    assert shown["task_info"]["cg_id"] == "2004"
    monkeypatch.setattr("rv_dcc.ui.submit_view.pick_folder", lambda *_args: str(tmp_path / "export"))
    (tmp_path / "export").mkdir()
    written = view.export()
    names = sorted(os.path.basename(path) for path in written)
    assert names == ["asset.json", "description.json", "options.json", "task.json", "tips.json", "upload.json"]
    assert json.loads((tmp_path / "export" / "task.json").read_text()) == shown


def test_submit_reports_progress_and_opens_the_monitor_on_the_task(qtbot, make_view, farm):
    view = make_view(load_description(str(SAMPLES / "blender.json")), api=farm.api)
    stages = []
    view.progress_shown.connect(lambda event: stages.append(event.stage))
    with qtbot.waitSignal(view.submitted, timeout=30000) as signal:
        qtbot.mouseClick(view.submit_button, QtCore.Qt.LeftButton)
        assert view.cancel_button.isVisible() and not view.submit_button.isEnabled()
    task_id = signal.args[0]
    assert {"create", "submit"} <= set(stages) or "done" in stages
    info = farm.api.query.task_info(task_ids_list=[task_id]).to_wire()["items"][0]
    assert info["sceneName"].endswith(".blend")
    assert str(task_id) in view.status.text() or info["taskAlias"] in view.status.text()
    assert not view.cancel_button.isVisible()


def test_a_cancelled_submission_says_it_can_be_resumed(qtbot, farm, tmp_path):
    from rv_dcc.transfer.base import CancelToken

    controller = SubmitController(load_description(str(SAMPLES / "3dsmax.json")), farm.api,
                                  journal_root=tmp_path / "journals")
    token = CancelToken()
    token.cancel()
    result = controller.submit_job(lambda event: True, token)()
    assert result.cancelled and (tmp_path / "journals").exists()


def test_sign_in_stores_the_key_privately(qtbot, tmp_path, monkeypatch):
    from rv_dcc.api import credentials
    from rv_dcc.ui import keystore
    from rv_dcc.ui.signin_dialog import SignInDialog

    monkeypatch.setattr(keystore, "_keyring", lambda: None)  # no OS keyring here: the private file
    dialog = SignInDialog(offer_local=True)
    qtbot.addWidget(dialog)
    dialog.access_id.setText("AKIDtest")
    dialog._save()
    assert dialog.result_mode == "" and "both" in dialog.message.text()
    dialog.access_key.setText("s3cret-key")
    dialog.region.setCurrentIndex(1)
    assert dialog.domain.text() == "task.renderbus.com"
    dialog._save()
    assert dialog.result_mode == "account" and dialog.stored[0] == "file"
    path = credentials.account_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    account = credentials.load_account()
    assert (account.access_id, account.access_key, account.domain) == ("AKIDtest", "s3cret-key", "task.renderbus.com")
    local = SignInDialog(offer_local=True)
    qtbot.addWidget(local)
    local._use_local()
    assert local.result_mode == "local"


def test_chinese_text_in_the_panel(qtbot, make_view):
    from rv_dcc.ui import i18n

    i18n.set_language("zh_CN")
    try:
        view = make_view(load_description(str(SAMPLES / "maya.json")))
        assert view.submit_button.text() == "提交"
        assert i18n.task_status_text(5) == "渲染中"
    finally:
        i18n.set_language("en")


def test_a_submission_stopped_mid_upload_is_offered_again_and_finishes_as_one_task(qtbot, make_view, farm,
                                                                                      tmp_path):
    """The host closed (here: the submission stopped) during the upload: the next panel on the same
    scene offers to finish it, and finishing it creates no second task."""
    from rv_dcc.transfer.base import CancelToken

    desc = load_description(str(SAMPLES / "maya.json"))
    controller = SubmitController(desc, farm.api, journal_root=tmp_path / "journals")
    result = controller.submit_job(lambda event: event.stage != "upload", CancelToken())()  # stops at upload
    assert result.cancelled and result.task_id
    view = make_view(desc, api=farm.api)
    qtbot.waitUntil(lambda: view.unfinished is not None and view.banner.isVisible(), timeout=10000)
    assert view.unfinished["task_id"] == result.task_id
    assert "Resume" in [button.text() for button in view.banner.buttons()]
    with qtbot.waitSignal(view.submitted, timeout=30000) as signal:
        qtbot.mouseClick(view.banner.buttons()[0], QtCore.Qt.LeftButton)
    assert signal.args[0] == result.task_id  # the same task, finished: not a second one
    assert view.unfinished is None


def test_without_a_scene_the_checks_offer_to_open_one_instead_of_no_problems(qtbot, tmp_path, monkeypatch):
    from qtpy import QtWidgets

    from rv_dcc.ui.i18n import tr

    controller = SubmitController(None, None, None, journal_root=tmp_path / "journals")
    view = SubmitView(controller)
    qtbot.addWidget(view)
    view.show()
    try:
        shown = " ".join(w.text() for w in view.issues.findChildren(QtWidgets.QLabel) if w.isVisible())
        assert tr("submit.checks_ok") not in shown and tr("submit.no_scene_hint") in shown
        buttons = [b for b in view.issues.findChildren(QtWidgets.QPushButton) if b.isVisible()]
        assert [b.text() for b in buttons] == [tr("submit.open_scene")]
        # the button opens a file dialog; the description chosen is loaded and checked
        picked = str(SAMPLES / "maya.json")
        monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                            staticmethod(lambda *args, **kwargs: (picked, "")))
        qtbot.mouseClick(buttons[0], QtCore.Qt.LeftButton)
        qtbot.waitUntil(lambda: controller.desc is not None and controller.scan is not None, timeout=20000)
        assert view.title.text() == os.path.basename(controller.desc.scene_file)
        qtbot.waitUntil(lambda: not [b for b in view.issues.findChildren(QtWidgets.QPushButton)
                                     if b.isVisible() and b.text() == tr("submit.open_scene")], timeout=5000)
    finally:
        view.shutdown()
