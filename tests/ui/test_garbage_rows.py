"""Fields of the wrong type from the farm render as '—' in cells and delegates, never raise;
money carries the account's currency; the submit summary reads as a sentence with plurals."""
import pytest
from qtpy import QtWidgets

from rv_dcc.monitor.changes import Snapshot
from rv_dcc.ui import columns
from rv_dcc.ui.columns import FRAME_COLUMNS, NO_VALUE, TASK_COLUMNS, column_index, currency_of, money, set_currency
from rv_dcc.ui.delegates import ProgressDelegate, StatusDelegate
from rv_dcc.ui.i18n import count, set_language, tr
from rv_dcc.ui.models import FrameTableModel, TaskTreeModel

GARBAGE_TASKS = [
    {"id": 1, "taskAlias": "2W1", "sceneName": "ok.ma", "taskStatus": "abc", "doneFrames": None, "totalFrames": 10},
    {"id": 2, "taskAlias": ["x"], "sceneName": {"a": 1}, "taskStatus": [5], "doneFrames": "many",
     "totalFrames": None, "renderConsume": "lots", "submitDate": [1], "projectName": ["p"]},
    {"id": 3, "taskAlias": "2W3", "sceneName": "fine.ma", "taskStatus": 5, "doneFrames": 2, "totalFrames": 4,
     "renderConsume": 0.5},
]
GARBAGE_FRAMES = [
    {"id": 10, "frameIndex": ["1"], "frameStatus": "abc", "feeAmount": "x", "frameExecuteTime": [3],
     "nodeId": {"n": 1}, "recommitFlag": "z", "startTime": "never"},
    {"id": 11, "frameIndex": "2", "frameStatus": None, "feeAmount": None},
]


@pytest.fixture(autouse=True)
def _dollars():
    set_currency("$")
    yield
    set_currency("$")


def test_garbage_task_rows_render_as_dashes_and_paint(qtbot):
    model = TaskTreeModel()
    model.apply(Snapshot().changes_to(Snapshot.of_tasks(GARBAGE_TASKS)))
    status = column_index(TASK_COLUMNS, "status")
    assert model.data(model.index_of(1, status)) == NO_VALUE
    assert model.data(model.index_of(2, status)) == NO_VALUE
    assert model.data(model.index_of(2, column_index(TASK_COLUMNS, "task"))) == NO_VALUE
    assert model.data(model.index_of(1, column_index(TASK_COLUMNS, "progress"))) == "0/10"
    assert model.data(model.index_of(3, column_index(TASK_COLUMNS, "cost"))) == "$0.500"
    for key in (1, 2, 3):  # every cell of every row answers without raising
        for column in range(len(TASK_COLUMNS)):
            assert isinstance(model.data(model.index_of(key, column)), str)
    view = QtWidgets.QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegateForColumn(status, StatusDelegate(view))
    view.setItemDelegateForColumn(model.progress_column, ProgressDelegate(view))
    view.resize(900, 200)
    image = view.grab()  # paints every cell through the delegates
    assert not image.isNull() and image.width() == 900


def test_garbage_frame_rows_render_as_dashes_and_paint(qtbot):
    model = FrameTableModel()
    model.show_task(1)
    model.apply(Snapshot().changes_to(Snapshot.of_frames(GARBAGE_FRAMES)))
    assert model.data(model.index_of(10, column_index(FRAME_COLUMNS, "status"))) == NO_VALUE
    assert model.data(model.index_of(10, column_index(FRAME_COLUMNS, "frame"))) == NO_VALUE
    assert model.data(model.index_of(10, column_index(FRAME_COLUMNS, "machine"))) == NO_VALUE
    assert model.data(model.index_of(11, column_index(FRAME_COLUMNS, "status"))) == NO_VALUE
    view = QtWidgets.QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegateForColumn(column_index(FRAME_COLUMNS, "status"), StatusDelegate(view))
    assert not view.grab().isNull()


def test_currency_follows_the_account_zone():
    assert currency_of({"zone": 1, "rmbbalance": 3}) == ("\u00a5", "CNY")
    assert currency_of({"zone": 2}) == ("$", "USD")
    assert currency_of({"zone": "abc"}) == ("$", "USD")
    set_currency("\u00a5")
    assert money(1234.5) == "\u00a51,234.500" and money(0.25) == "\u00a50.250"  # one rule: decimals align
    assert money(float("nan")) == NO_VALUE
    assert money(None) == tr("monitor.cost_unknown")


def test_summary_plurals_in_both_languages():
    try:
        set_language("en")
        assert tr("submit.summary", frames=count("frames", 245), layers=count("layers", 2),
                  machines=count("machines", 245)) == "245 frames in 2 layers · up to 245 machines"
        assert tr("submit.summary", frames=count("frames", 1), layers=count("layers", 1),
                  machines=count("machines", 1)) == "1 frame in 1 layer · up to 1 machine"
        set_language("zh_CN")
        assert tr("submit.summary", frames=count("frames", 245), layers=count("layers", 2),
                  machines=count("machines", 245)) == "2 个层共 245 帧 · 最多 245 台机器"
    finally:
        set_language("en")


def test_status_column_fits_the_longest_status_of_the_language():
    set_language("en")
    widths = columns.fitted_widths(TASK_COLUMNS, lambda text: 7 * len(text), lambda text: 8 * len(text))
    status = column_index(TASK_COLUMNS, "status")
    assert widths[status] >= 7 * len("Finished with failures") + 22
    projected = column_index(TASK_COLUMNS, "projected")
    assert widths[projected] >= 8 * len("Projected")


def test_a_test_finished_task_looks_unfinished_and_says_what_happens_next(qtbot):
    from rv_dcc.ui.columns import task_colour
    from rv_dcc.ui.models import FrameTableModel
    from rv_dcc.ui.monitor_parts import DetailPane
    from rv_dcc.ui.thumb_model import ThumbnailModel

    assert task_colour(40) != task_colour(25)  # "Test finished" is not "Finished"
    pane = DetailPane(FrameTableModel(), ThumbnailModel())
    qtbot.addWidget(pane)
    pane.show()
    pane.set_task({"id": 7, "taskAlias": "2W7", "taskStatus": 40, "doneFrames": 2, "totalFrames": 10})
    pane.set_cost("$0.02", "$0.15", {"total": 10, "done": 2, "failed": 0, "rendering": 0})
    assert pane.next_step.isVisible()
    assert "remaining 8 frames" in pane.next_step.text() and "$0.15" in pane.next_step.text()
    assert pane.buttons["start"].isEnabled() and not pane.buttons["stop"].isEnabled()
    pane.set_task({"id": 8, "taskAlias": "2W8", "taskStatus": 25, "doneFrames": 10, "totalFrames": 10})
    assert not pane.next_step.isVisible()
    set_language("zh_CN")
    try:
        pane.set_task({"id": 7, "taskAlias": "2W7", "taskStatus": 40, "doneFrames": 2, "totalFrames": 10})
        pane.set_cost("¥0.02", "¥0.15", {"total": 10, "done": 2, "failed": 0, "rendering": 0})
        assert "其余 8 帧" in pane.next_step.text()
    finally:
        set_language("en")


def test_thumbnail_tiles_are_in_frame_order_whatever_order_frames_finish(qtbot):
    from rv_dcc.ui.columns import Role
    from rv_dcc.ui.thumb_model import ThumbnailModel

    model = ThumbnailModel()
    model.show_task(1)
    finish_order = [(14, "5", 4), (11, "2", 4), (19, "10", 5), (10, "1", 4), (13, "4", 11)]
    for frame_id, index, status in finish_order:  # one poll each, as they finish on the farm
        model.add_frames([{"id": frame_id, "frameIndex": index, "frameStatus": status}])
    shown = [model.data(model.index(row, 0), int(Role.ID)) for row in range(model.rowCount())]
    assert shown == [10, 11, 13, 14, 19]  # frames 1, 2, 4 (timed out, at its place), 5, 10


def test_dates_carry_the_year_when_it_is_not_this_year():
    import datetime

    from rv_dcc.ui.columns import when

    now = datetime.datetime.now()
    this_year = datetime.datetime(now.year, 1, 2, 3, 4)
    last_year = datetime.datetime(now.year - 1, 12, 30, 23, 10)
    assert when(int(this_year.timestamp() * 1000)) == "01-02 03:04"
    assert when(int(last_year.timestamp() * 1000)) == f"{now.year - 1}-12-30 23:10"
    assert when(None) == "" and when("soon") == "soon" and when(10 ** 30) == str(10 ** 30)
