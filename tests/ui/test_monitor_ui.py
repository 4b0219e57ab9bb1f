"""The monitor against the embedded farm: row changes by id, thumbnails, logs, actions, error paths."""
import os

import pytest
from qtpy import QtCore

from rv_dcc.api import RayvisionAPI
from rv_dcc.monitor.thumbs import ThumbnailCache
from rv_dcc.ui.columns import Role
from rv_dcc.ui.monitor_controller import MonitorController
from rv_dcc.ui.monitor_widget import MonitorWidget


@pytest.fixture
def monitor(qtbot, farm, tmp_path):
    controller = MonitorController(farm.api, thumbnails=ThumbnailCache(str(tmp_path / "thumbs")), fast=0.3, slow=0.3)
    widget = MonitorWidget(controller)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.confirm = lambda text: pytest.fail(f"unexpected confirmation: {text}")
    widget.show()
    qtbot.waitUntil(lambda: widget.tasks.rowCount() >= len(farm.tasks), timeout=10000)
    yield widget
    widget.shutdown()


def _task_status(api, task_id):
    info = api.query.task_info(task_ids_list=[task_id]).to_wire()
    return info["items"][0]["taskStatus"]


def test_polls_change_rows_by_id_and_keep_selection_expansion_and_scroll(qtbot, monitor, farm):
    resets = []
    monitor.tasks.modelAboutToBeReset.connect(lambda: resets.append("tasks"))
    changed = []
    monitor.tasks.dataChanged.connect(lambda first, last, *roles: changed.append((first.row(), last.row())))
    maya = farm.tasks["maya"]
    monitor.tree.setFixedHeight(90)  # fewer rows visible than the list holds: it scrolls
    monitor.tree.expandAll()
    assert monitor.select_task(maya)
    monitor.tree.scrollToBottom()
    scroll = monitor.tree.verticalScrollBar().value()
    assert scroll > 0
    start_done = monitor.tasks.row_data(maya)["doneFrames"] or 0
    qtbot.waitUntil(lambda: (monitor.tasks.row_data(maya)["doneFrames"] or 0) > start_done + 5, timeout=20000)
    assert resets == []  # never a reset while polling
    assert changed, "progress arrived as dataChanged on existing rows"
    assert monitor.selected_task_ids() == [maya]
    assert monitor.tree.verticalScrollBar().value() == scroll
    subtask = monitor.tasks.keys(maya)[0]
    assert monitor.tree.isExpanded(monitor.task_rows.index_of(maya))
    assert monitor.tasks.row_data(subtask)["parent"] == maya


def test_frames_thumbnails_log_and_cost_of_the_selected_task(qtbot, monitor, farm):
    max_task = farm.tasks["3dsmax"]
    qtbot.waitUntil(lambda: monitor.tasks.row_data(max_task)["taskStatus"] in (25, 30), timeout=20000)
    assert monitor.select_task(max_task)
    qtbot.waitUntil(lambda: monitor.frames.rowCount() == 25, timeout=10000)
    done = [row for row in monitor.controller.poller.frames.rows.values() if row["frameStatus"] == 4]
    qtbot.waitUntil(lambda: monitor.thumbs.loaded() == len(done), timeout=15000)
    settled = [row for row in monitor.controller.poller.frames.rows.values() if row["frameStatus"] in (4, 5, 11)]
    assert monitor.thumbs.rowCount() == len(settled) and len(done) > 0  # failed frames get a red tile
    cache = monitor.controller.thumbnails
    assert all(cache.cached(row["id"]) for row in done)
    # double-click a tile: its image at full size, from the cache
    thumbs = monitor.thumbs
    tile = thumbs.index(thumbs.frame_ids().index(done[0]["id"]), 0)
    assert monitor.detail.preview_frame(tile) and monitor.detail.preview.isVisible()
    from qtpy import QtGui
    preview = monitor.detail.preview
    native = QtGui.QImage(thumbs.data(tile, int(Role.THUMBNAIL)))
    assert (preview.original.width(), preview.original.height()) == (native.width(), native.height()) > (0, 0)
    title = preview.windowTitle()
    assert title.startswith(monitor.tasks.row_data(max_task)["taskAlias"]) and "cache" not in preview.caption.text()
    # fitted to the window: a bigger window shows it bigger, keeping its aspect
    preview.resize(preview.width() * 2, preview.height() * 2)
    qtbot.waitUntil(lambda: preview.image.pixmap().width() > native.width(), timeout=5000)
    shown = preview.image.pixmap()
    assert abs(shown.width() / shown.height() - native.width() / native.height()) < 0.02
    failed = [key for key in thumbs.frame_ids() if key not in {row["id"] for row in done}]
    if failed:  # a failed frame's tile has no image: nothing opens
        assert not monitor.detail.preview_frame(thumbs.index(thumbs.frame_ids().index(failed[0]), 0))
    monitor.detail.preview.close()
    estimate = monitor.controller.cost()
    assert estimate.so_far > 0 and estimate.projected == pytest.approx(estimate.so_far)  # finished: nothing left
    assert "projected" in monitor.detail.cost.text()
    first = monitor.detail.frame_rows.index_of(done[0]["id"])
    monitor.detail.table.setCurrentIndex(first)
    qtbot.waitUntil(lambda: "end status" in monitor.detail.log.toPlainText(), timeout=10000)
    assert monitor.detail.log.textCursor().atEnd(), "the log opens at its end, where a failure's error is"
    # the progress image of a 3ds Max task comes through loadTaskProcessImg
    qtbot.waitUntil(lambda: monitor.detail.progress_image.pixmap() is not None
                    and not monitor.detail.progress_image.pixmap().isNull(), timeout=10000)
    downloads = monitor.controller.thumbnails.downloads
    monitor.select_task(farm.tasks["houdini"])
    qtbot.waitUntil(lambda: monitor.frames.task_id == farm.tasks["houdini"] and monitor.frames.rowCount() > 0,
                    timeout=10000)
    monitor.select_task(max_task)
    qtbot.waitUntil(lambda: monitor.thumbs.loaded() == len(done), timeout=15000)
    assert monitor.controller.thumbnails.downloads == downloads  # served from the disk cache


def test_destructive_actions_ask_first_and_act_on_the_farm(qtbot, monitor, farm):
    maya = farm.tasks["maya"]
    assert monitor.select_task(maya)
    questions = []
    monitor.confirm = lambda text: questions.append(text) or False
    assert monitor.run_action("stop") is False
    assert questions and "Stop 1 task" in questions[0]
    assert _task_status(farm.api, maya) in (0, 5, 8)
    monitor.confirm = lambda text: questions.append(text) or True
    assert monitor.run_action("stop")
    qtbot.waitUntil(lambda: _task_status(farm.api, maya) in (10, 15), timeout=10000)
    qtbot.waitUntil(lambda: monitor.tasks.row_data(maya)["taskStatus"] in (10, 15), timeout=10000)
    assert monitor.run_action("start")  # not destructive: no question
    assert len(questions) == 2
    qtbot.waitUntil(lambda: _task_status(farm.api, maya) in (0, 5, 8), timeout=10000)
    monitor.ask_value = lambda name, prompt: 60
    assert monitor.run_action("priority")
    qtbot.waitUntil(lambda: monitor.tasks.row_data(maya)["taskUserLevel"] == 60, timeout=10000)
    monitor.ask_value = lambda name, prompt: None  # cancelled prompt: nothing runs
    assert monitor.run_action("label") is False


def test_stop_selected_frames_asks_and_stops_only_those(qtbot, monitor, farm):
    houdini = farm.tasks["houdini"]
    assert monitor.select_task(houdini)
    qtbot.waitUntil(lambda: monitor.frames.rowCount() > 0, timeout=10000)
    assert monitor.run_action("stop_selected") is False  # no frame selected: nothing to do
    first = monitor.frames.keys()[0]
    monitor.detail.table.selectRow(0)
    asked = []
    monitor.confirm = lambda text: asked.append(text) or True
    assert monitor.run_action("retry_selected")
    assert asked == []
    assert monitor.run_action("stop_selected")
    assert asked and "1 selected frame" in asked[0]
    assert monitor.detail.selected_frame_ids() == [first]


def test_failed_poll_shows_a_quiet_banner_and_retries(qtbot, tmp_path):
    api = RayvisionAPI(access_id="x", access_key="y", domain="127.0.0.1:9", platform="2", protocol="http",
                       timeout=0.5, retries=0)
    widget = MonitorWidget(MonitorController(api, thumbnails=ThumbnailCache(str(tmp_path)), fast=0.2, slow=0.2))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.banner.isVisible(), timeout=10000)
    assert widget.banner.kind == "warning"
    assert "Retrying" in widget.banner.text.text()
    assert [b.text() for b in widget.banner.buttons()] == ["Retry now", "Details…"]
    # the artist's words; where the request went and its details only behind Details
    assert "127.0.0.1" not in widget.banner.text.text() and "no connection to the farm" in widget.banner.text.text()
    assert "127.0.0.1:9" in widget.reports.details
    from rv_dcc.ui.i18n import set_language

    set_language("zh_CN")
    try:
        widget.show_failure(widget.controller.poller.failure)
        text = widget.banner.text.text()
        assert "无法连接到农场" in text and not any("a" <= ch.lower() <= "z" for ch in text), text
    finally:
        set_language("en")
        widget.show_failure(widget.controller.poller.failure)
    first = widget.controller.poller.failure.count
    qtbot.waitUntil(lambda: widget.controller.poller.failure.count > first, timeout=10000)  # it retries
    # manual updates: no promise of a retry that will not come, and indeed none comes
    widget.filters.rate.setCurrentIndex(widget.filters.rate.count() - 1)
    qtbot.waitUntil(lambda: widget._polls_in_flight == 0, timeout=10000)
    widget.show_failure(widget.controller.poller.failure)
    assert "Retrying" not in widget.banner.text.text() and "Retry" in widget.banner.text.text()
    count = widget.controller.poller.failure.count
    qtbot.wait(700)
    assert widget.controller.poller.failure.count == count and not widget.timer.isActive()
    widget.banner.buttons()[0].click()  # Retry now still works
    qtbot.waitUntil(lambda: widget.controller.poller.failure.count > count, timeout=10000)
    widget.shutdown()


def test_authentication_error_offers_to_fix_the_credentials(qtbot, farm, tmp_path):
    api = RayvisionAPI(access_id=farm.access_id, access_key="not-the-key", domain=farm.domain,
                       platform=farm.platform, protocol="http", retries=0)
    widget = MonitorWidget(MonitorController(api, thumbnails=ThumbnailCache(str(tmp_path)), fast=0.2, slow=0.2))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.banner.isVisible() and widget.banner.kind == "auth", timeout=10000)
    fix, details = widget.banner.buttons()
    assert details.text() == "Details…"
    assert fix.text() == "Fix credentials…"
    with qtbot.waitSignal(widget.credentials_requested, timeout=2000):
        qtbot.mouseClick(fix, QtCore.Qt.LeftButton)
    assert "not-the-key" not in widget.banner.text.text()
    widget.shutdown()


def test_download_outputs_and_auto_download_as_frames_finish(qtbot, monitor, farm, tmp_path):
    max_task = farm.tasks["3dsmax"]
    qtbot.waitUntil(lambda: monitor.tasks.row_data(max_task)["taskStatus"] in (25, 30), timeout=20000)
    target = tmp_path / "outputs"
    files = monitor.controller.download_job(max_task, str(target))()
    assert files and all(os.path.isfile(path) for path in files)
    assert not [p for p in target.rglob("*") if p.name.endswith(".part")]
    assert monitor.controller.download_job(max_task, str(target))() == []  # nothing new: nothing fetched
    # auto-download: every poll that brings finished frames fetches what is new
    houdini = farm.tasks["houdini"]
    auto = tmp_path / "auto"
    auto.mkdir()
    monitor.downloads.auto_folder = str(auto)
    # the frames must render now: earlier tests of this module raise the Maya task's priority
    # (400 frames ahead in the farm's queue) and stop one of these frames
    farm.api.task.full_speed(task_id_list=[houdini])
    farm.api.query.restart_frame(task_id=houdini, select_all=1)
    assert monitor.select_task(houdini)
    qtbot.waitUntil(lambda: any(auto.rglob("*.*")), timeout=20000)


def test_polling_goes_on_while_another_job_is_still_running(qtbot, tmp_path):
    """A slow non-poll job (profile, log, download) must not stop the next poll being scheduled."""
    import threading

    from rv_dcc.monitor.source import Page

    class Source:
        def task_page(self, query):
            return Page(items=[{"id": 1, "taskAlias": "1", "sceneName": "a.ma", "taskStatus": 5}], total=1)

        def task_frames(self, task_id):
            return []

    release = threading.Event()
    widget = MonitorWidget(MonitorController(source=Source(), thumbnails=ThumbnailCache(str(tmp_path)),
                                             fast=30, slow=30))
    qtbot.addWidget(widget)
    try:
        widget.runner.run(lambda: release.wait(10))  # e.g. a download still running
        widget.show()
        qtbot.waitUntil(lambda: widget.tasks.rowCount() == 1, timeout=10000)
        assert widget.runner.busy()
        assert widget.timer.isActive(), "the next poll is scheduled although another job still runs"
    finally:
        release.set()
        widget.shutdown()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_task_column_shows_at_1280_px_and_the_scene_name_takes_the_rest(qtbot, farm, tmp_path, language):
    from rv_dcc.ui import i18n
    from rv_dcc.ui.columns import column_index

    i18n.set_language(language)
    try:
        controller = MonitorController(farm.api, thumbnails=ThumbnailCache(str(tmp_path / "thumbs")), fast=5, slow=5)
        widget = MonitorWidget(controller)
        qtbot.addWidget(widget)
        widget.resize(1280, 820)
        widget.show()
        qtbot.waitUntil(lambda: widget.tasks.rowCount() >= len(farm.tasks), timeout=10000)
        qtbot.wait(50)
        header = widget.tree.header()
        assert widget.tree.horizontalScrollBar().maximum() == 0, "the task list scrolls sideways at 1280 px"
        scene = column_index(widget.tasks.columns, "scene")
        before = header.sectionSize(scene)
        widget.resize(1500, 820)
        qtbot.waitUntil(lambda: header.sectionSize(scene) > before + 100, timeout=5000)
        cost = column_index(widget.tasks.columns, "cost")
        alignment = widget.tasks.headerData(cost, QtCore.Qt.Horizontal, QtCore.Qt.TextAlignmentRole)
        assert int(alignment) & int(QtCore.Qt.AlignRight), "a numbers column's title is not over its numbers"
        widget.shutdown()
    finally:
        i18n.set_language("en")


def test_the_artist_sets_how_often_the_list_updates_and_it_is_remembered(qtbot, monitor, farm, tmp_path):
    from rv_dcc.ui.monitor_filters import REFRESH_RATES

    rates = [every for _key, every in REFRESH_RATES]
    assert monitor.filters.rate.currentIndex() == rates.index(None), "adaptive by default"
    monitor.filters.rate.setCurrentIndex(rates.index(0))  # manual only
    qtbot.waitUntil(lambda: monitor._polls_in_flight == 0, timeout=10000)
    assert not monitor.timer.isActive(), "manual only, yet a poll is scheduled"
    fetched = []
    source = monitor.controller.poller.source
    original = source.task_page
    source.task_page = lambda query: (fetched.append(query), original(query))[1]
    qtbot.wait(900)  # the fixture polls every 0.3 s when left adaptive
    assert fetched == []
    monitor.filters.refresh.click()
    qtbot.waitUntil(lambda: len(fetched) == 1 and monitor._polls_in_flight == 0, timeout=10000)
    assert not monitor.timer.isActive()
    monitor.filters.rate.setCurrentIndex(rates.index(30))
    assert monitor.timer.isActive() and monitor.timer.interval() == 30000

    controller = MonitorController(farm.api, thumbnails=ThumbnailCache(str(tmp_path / "thumbs2")), fast=0.3, slow=0.3)
    reopened = MonitorWidget(controller)
    qtbot.addWidget(reopened)
    assert reopened.filters.rate.currentIndex() == rates.index(30), "the choice was not remembered"
    assert controller.poller.every == 30
    reopened.shutdown()


def test_find_text_and_walk_the_errors_of_a_render_log(qtbot):
    from qtpy import QtWidgets

    from rv_dcc.ui.log_find import LogFindBar
    from rv_dcc.ui.monitor_parts import DetailPane
    from rv_dcc.ui.models import FrameTableModel
    from rv_dcc.ui.thumb_model import ThumbnailModel

    pane = DetailPane(FrameTableModel(), ThumbnailModel())
    qtbot.addWidget(pane)
    lines = [f"frame 1: tile {n} rendered" for n in range(300)]
    lines[40] = "[mtoa] ERROR   | texture wall.tx not found"
    lines[210] = "Traceback (most recent call last):"
    lines[250] = "no errors here: 0 warnings"  # 'errors' counts as an error word too
    pane.show_log("\n".join(lines))
    bar = pane.findChild(LogFindBar)
    assert bar is not None and pane.log.textCursor().atEnd()
    found = []
    for _ in range(4):
        assert bar.next_error()
        found.append(pane.log.textCursor().selectedText())
    assert found == [lines[40], lines[210], lines[250], lines[40]], "errors in order from the top, then round again"
    bar.field.setText("tile 123")
    assert pane.log.textCursor().selectedText() == "tile 123"
    assert bar.find_text() and pane.log.textCursor().selectedText() == "tile 123"  # the only one: wraps to itself
    assert bar.find_text(backwards=True)
    bar.field.setText("no such thing")
    assert not bar.find_text() and bar.status.text() == "Not found"
    pane.show_log("all frames fine")
    assert not bar.next_error()
    assert isinstance(pane.log, QtWidgets.QPlainTextEdit)


def test_f5_refreshes_and_ctrl_f_finds_in_the_log_while_the_monitor_has_focus(qtbot, monitor):
    fetched = []
    source = monitor.controller.poller.source
    original = source.task_page
    source.task_page = lambda query: (fetched.append(query), original(query))[1]
    monitor.filters.rate.setCurrentIndex(monitor.filters.rate.count() - 1)  # manual only: F5 is the one poll
    qtbot.waitUntil(lambda: monitor._polls_in_flight == 0, timeout=10000)
    fetched.clear()
    monitor.activateWindow()
    monitor.tree.setFocus()
    qtbot.keyClick(monitor.tree, QtCore.Qt.Key_F5)
    qtbot.waitUntil(lambda: len(fetched) == 1, timeout=10000)
    qtbot.keyClick(monitor.tree, QtCore.Qt.Key_F, QtCore.Qt.ControlModifier)
    assert monitor.detail.tabs.currentWidget() is monitor.detail.log_find.parentWidget()
    assert monitor.focusWidget() is monitor.detail.log_find.field


def test_moving_to_another_frame_stops_reading_the_previous_frames_log(qtbot, tmp_path):
    import threading

    from rv_dcc.monitor.source import Page

    pages_read = {}
    first_page, moved_on = threading.Event(), threading.Event()

    class Source:
        def task_page(self, query):
            return Page(items=[], total=0)

        def task_frames(self, task_id):
            return []

        def frame_log(self, frame_id, wanted=None):
            pages_read[frame_id] = 0
            for _page in range(20):  # a long log: 20 pages
                if wanted is not None and not wanted():
                    break
                pages_read[frame_id] += 1
                first_page.set()
                moved_on.wait(10)  # frame 11's read is mid-log when the artist moves on
            return f"log of frame {frame_id}"

    widget = MonitorWidget(MonitorController(source=Source(), thumbnails=ThumbnailCache(str(tmp_path)),
                                             fast=30, slow=30))
    qtbot.addWidget(widget)
    try:
        widget._load_log(11)
        assert first_page.wait(5)
        widget._load_log(12)  # the artist pressed Down
        moved_on.set()
        qtbot.waitUntil(lambda: widget.detail.log.toPlainText() == "log of frame 12", timeout=10000)
        assert pages_read[11] == 1, f"the abandoned log went on for {pages_read[11]} pages"
        assert pages_read[12] == 20
        assert not widget.runner.busy(), "log reads ran on the polls' worker pool"
    finally:
        widget.shutdown()


def test_rows_arriving_above_the_selected_task_leave_its_log_and_polls_alone(qtbot, tmp_path):
    from rv_dcc.monitor.source import Page

    tasks = [{"id": n, "taskAlias": str(n), "sceneName": f"s{n}.ma", "taskStatus": 5} for n in (20, 10)]
    pages = []

    class Source:
        def task_page(self, query):
            pages.append(query)
            return Page(items=[dict(task) for task in tasks], total=len(tasks))

        def task_frames(self, task_id):
            return [{"id": 500 + task_id, "taskId": task_id, "frameIndex": "1", "frameStatus": 2}]

        def frame_log(self, frame_id, wanted=None):
            return "the line the artist is reading"

    widget = MonitorWidget(MonitorController(source=Source(), thumbnails=ThumbnailCache(str(tmp_path)),
                                             fast=30, slow=30))
    qtbot.addWidget(widget)
    widget.show()
    try:
        qtbot.waitUntil(lambda: widget.tasks.rowCount() == 2, timeout=10000)
        assert widget.select_task(10)
        qtbot.waitUntil(lambda: widget.frames.rowCount() == 1 and not widget.runner.busy(), timeout=10000)
        widget._load_log(510)
        qtbot.waitUntil(lambda: "reading" in widget.detail.log.toPlainText(), timeout=10000)
        tasks.insert(0, {"id": 30, "taskAlias": "30", "sceneName": "new.ma", "taskStatus": 0})  # a new submission
        before = len(pages)
        seen = []
        widget.tree.selectionModel().selectionChanged.connect(lambda *a: seen.append(widget.selected_task_ids()))
        widget.poll_now()
        qtbot.waitUntil(lambda: widget.tasks.rowCount() == 3 and not widget.runner.busy(), timeout=10000)
        qtbot.wait(100)
        assert widget.selected_task_ids() == [10]
        assert "reading" in widget.detail.log.toPlainText(), f"a poll cleared the log the artist was reading {seen}"
        assert len(pages) - before == 1, "rows arriving above the selection set off another poll"
    finally:
        widget.shutdown()


def test_a_task_filtered_out_of_the_list_leaves_the_detail_pane_empty(qtbot, monitor, farm):
    """After a search that hides the selected task, the pane shows no task (not another job's
    frames, thumbnails and cost)."""
    from rv_dcc.ui.i18n import tr

    maya = farm.tasks["maya"]
    assert monitor.select_task(maya)
    qtbot.waitUntil(lambda: monitor.frames.task_id == maya and monitor.frames.rowCount() > 0, timeout=10000)
    monitor.filters.search.setText("no task is called this")
    qtbot.waitUntil(lambda: monitor.tasks.rowCount() == 0 and monitor.frames.task_id is None, timeout=10000)
    assert monitor.detail.title.text() == tr("monitor.no_task")
    assert monitor.frames.rowCount() == 0 and monitor.thumbs.rowCount() == 0
    assert monitor.detail.cost.text() == ""
    polls = []
    source = monitor.controller.poller.source
    original = source.task_page
    source.task_page = lambda query: (polls.append(query), original(query))[1]
    # two more polls (every 0.3 s here) have come back: nothing brings the hidden task back
    qtbot.waitUntil(lambda: len(polls) >= 2 and monitor._polls_in_flight == 0, timeout=10000)
    assert monitor.frames.task_id is None and monitor.detail.title.text() == tr("monitor.no_task")


def test_the_task_menu_offers_what_the_state_allows_with_final_actions_apart(qtbot, monitor, farm):
    from rv_dcc.ui.i18n import tr
    from rv_dcc.ui.monitor_controller import allowed_actions

    assert allowed_actions({"taskStatus": 5}) >= {"stop", "abandon"} and "start" not in allowed_actions(
        {"taskStatus": 5}) and "delete" not in allowed_actions({"taskStatus": 5})
    assert allowed_actions({"taskStatus": 40}) >= {"start", "delete"}  # test frames done: render the rest
    assert allowed_actions({"taskStatus": 35}) == {"label", "delete"}  # abandoned: nothing to run
    assert "retry_failed" in allowed_actions({"taskStatus": 30, "failedFrames": 2})
    assert "retry_failed" not in allowed_actions({"taskStatus": 25, "failedFrames": 0})
    maya = farm.tasks["maya"]
    assert monitor.select_task(maya)
    qtbot.waitUntil(lambda: monitor.selected_task_ids() == [maya], timeout=5000)
    row = monitor.tasks.row_data(maya)
    monitor._task_menu(QtCore.QPoint(5, 5))
    offered = [text for text in monitor.task_actions.last_menu if text]
    expected = [tr(spec.label) for name, spec in __import__("rv_dcc.ui.monitor_controller", fromlist=["ACTIONS"])
                .ACTIONS.items() if spec.scope == "tasks" and name in allowed_actions(row)]
    assert sorted(offered) == sorted(expected)
    final = [tr("action.abandon"), tr("action.delete")]
    present = [text for text in offered if text in final]
    assert present and monitor.task_actions.last_menu[len(monitor.task_actions.last_menu) - len(present) - 1] == "", \
        "abandon/delete come last, after a separator"


def test_in_a_480_px_dock_columns_give_way_by_priority_and_come_back(qtbot, monitor):
    from rv_dcc.ui.columns import columns_to_hide

    assert columns_to_hide({"task": 100, "scene": 150, "cost": 80, "project": 100}, 2000, ["project", "cost"]) == []
    assert columns_to_hide({"task": 100, "scene": 150, "cost": 80, "project": 100}, 250, ["project", "cost"]) == [
        "project", "cost"]
    keys = [column.key for column in monitor.tasks.columns]

    def hidden():
        return {key for index, key in enumerate(keys) if monitor.tree.isColumnHidden(index)}

    monitor.resize(480, 700)
    qtbot.waitUntil(lambda: "project" in hidden(), timeout=5000)
    assert not hidden() & {"task", "scene", "status", "progress"}
    shown = sum(monitor.tree.columnWidth(i) for i, key in enumerate(keys) if key not in hidden() and key != "scene")
    assert shown < monitor.tree.viewport().width()  # what stays fits without scrolling sideways
    monitor.resize(1600, 700)
    qtbot.waitUntil(lambda: not hidden(), timeout=5000)


def test_frames_of_a_task_with_several_layers_say_their_layer_and_filter_by_it(qtbot, monitor, farm):
    """Maya's rs_beauty and rs_closeup both have a frame 5: each frame and tile says whose it is."""
    from rv_dcc.ui.columns import column_index

    maya = farm.tasks["maya"]
    layers = {monitor.tasks.row_data(key)["layerName"] for key in monitor.tasks.keys(maya)}
    assert len(layers) > 1
    assert monitor.select_task(maya)
    qtbot.waitUntil(lambda: monitor.frames.rowCount() > 0 and monitor.detail.layer_filter.count() > 2,
                    timeout=15000)
    rows = [monitor.frames.row_data(key) for key in monitor.frames.keys()]
    assert {row["layer"] for row in rows} <= layers and all(row["layer"] for row in rows)
    table = monitor.detail.table
    assert not table.isColumnHidden(column_index(monitor.frames.columns, "layer"))
    chosen = sorted(layers)[0]
    monitor.detail.layer_filter.setCurrentIndex(monitor.detail.layer_filter.findData(chosen))
    view = table.model()  # what the table shows
    shown = [monitor.frames.row_data(view.key_of(view.index(row, 0)))["layer"] for row in range(view.rowCount())]
    assert shown and set(shown) == {chosen}
    assert len(shown) == sum(1 for row in rows if row["layer"] == chosen)
    monitor.detail.layer_filter.setCurrentIndex(0)
    assert view.rowCount() == monitor.frames.rowCount()


def _shown_keys(view):
    model = view.model()
    return [model.key_of(model.index(row, 0)) for row in range(model.rowCount())]


def test_columns_sort_on_a_header_click_and_stay_sorted_while_polls_change_rows(qtbot, monitor, farm):
    """A click on a header sorts the rows shown by that column (both ways); polls keep them in
    order; the selection follows its task, not its row; Qt 6's third click brings the farm's order back."""
    from rv_dcc.ui.columns import column_index

    farm_order = monitor.tasks.keys()
    assert _shown_keys(monitor.tree) == farm_order  # nothing sorted at first: the farm's order
    scene = column_index(monitor.tasks.columns, "scene")
    header = monitor.tree.header()
    maya = farm.tasks["maya"]
    assert monitor.select_task(maya)
    qtbot.mouseClick(header.viewport(), QtCore.Qt.LeftButton,
                     pos=QtCore.QPoint(header.sectionViewportPosition(scene) + 5, header.height() // 2))
    names = [monitor.tasks.row_data(key)["sceneName"].lower() for key in _shown_keys(monitor.tree)]
    assert header.sortIndicatorSection() == scene
    assert names == sorted(names, reverse=header.sortIndicatorOrder() == QtCore.Qt.DescendingOrder)
    assert names != [monitor.tasks.row_data(key)["sceneName"].lower() for key in farm_order]  # it did move
    assert monitor.selected_task_ids() == [maya]  # the selection follows the task
    # progress sorts by fraction done, and stays sorted while the farm renders
    progress = column_index(monitor.tasks.columns, "progress")
    monitor.tree.sortByColumn(progress, QtCore.Qt.DescendingOrder)

    def fractions():
        rows = [monitor.tasks.row_data(key) for key in _shown_keys(monitor.tree)]
        return [(r["doneFrames"] or 0) / max(r["totalFrames"] or 0, 1) for r in rows]
    before = fractions()
    qtbot.waitUntil(lambda: fractions() != before, timeout=20000)  # a poll changed progress
    assert fractions() == sorted(fractions(), reverse=True)
    if hasattr(header, "setSortIndicatorClearable"):
        monitor.tree.sortByColumn(-1, QtCore.Qt.AscendingOrder)
        assert _shown_keys(monitor.tree) == monitor.tasks.keys()


def test_frames_sort_by_number_not_text(qtbot, monitor, farm):
    from rv_dcc.ui.columns import column_index

    maya = farm.tasks["maya"]
    assert monitor.select_task(maya)
    qtbot.waitUntil(lambda: monitor.frames.rowCount() > 2, timeout=15000)
    table = monitor.detail.table
    table.sortByColumn(column_index(monitor.frames.columns, "frame"), QtCore.Qt.DescendingOrder)
    numbers = [int(str(monitor.frames.row_data(key)["frameIndex"]).split("-")[-1].split("[")[0])
               for key in _shown_keys(table)]
    assert numbers == sorted(numbers, reverse=True)
