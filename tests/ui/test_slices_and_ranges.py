"""Big change sets applied in slices, coalesced dataChanged ranges, and the C++-side tree shape."""
from qtpy import QtCore, QtWidgets

from rv_dcc.monitor.changes import Snapshot, split_changes
from rv_dcc.ui import models
from rv_dcc.ui.drain import Drain
from rv_dcc.ui.models import TaskTreeModel


def _tasks(count, done=0, bump=()):
    items = []
    for task_id in range(count, 0, -1):
        subs = [{"id": 100000 + task_id, "layerName": "beauty", "taskStatus": 5, "doneFrames": 0, "totalFrames": 5}] \
            if task_id % 7 == 0 else []
        items.append({"id": task_id, "taskAlias": f"2W{task_id}", "sceneName": f"s{task_id}.ma", "taskStatus": 5,
                      "doneFrames": done + (1 if task_id in bump else 0), "totalFrames": 10,
                      "respRenderingTaskList": subs})
    return items


def _shape(model, parent=None):
    return [(key, _shape(model, key)) for key in model.keys(parent)]


def test_split_pieces_applied_in_order_equal_the_whole_set():
    old = Snapshot.of_tasks(_tasks(300))
    new = Snapshot.of_tasks(_tasks(330)[:10] + _tasks(300)[40:])  # 30 new on top, 40 gone, sub-tasks kept
    changes = old.changes_to(new)
    whole, sliced = TaskTreeModel(), TaskTreeModel()
    for model in (whole, sliced):
        model.apply(Snapshot().changes_to(old))
    whole.apply(changes)
    pieces = split_changes(changes, 7)
    assert len(pieces) > 3 and sum(len(piece) for piece in pieces) == len(changes)
    for piece in pieces:
        sliced.apply(piece)
    assert _shape(sliced) == _shape(whole)
    assert [sliced.row_data(key) for key in sliced.keys()] == [whole.row_data(key) for key in whole.keys()]


def test_a_large_change_set_drained_in_slices_keeps_selection_expansion_and_scroll(qtbot):
    model = TaskTreeModel()
    view = QtWidgets.QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setUniformRowHeights(True)
    view.resize(600, 300)
    view.show()
    first = Snapshot.of_tasks(_tasks(3000))
    drain = Drain(budget=0.0)  # one step per event-loop turn: deterministic slicing
    pieces = split_changes(Snapshot().changes_to(first), 100)
    drain.push("tasks", [lambda piece=piece: model.apply(piece) for piece in pieces])
    qtbot.waitUntil(lambda: not drain.busy(), timeout=20000)
    assert drain.slices == len(pieces) == 35, "the first load is spread over one event-loop turn per piece"
    assert model.rowCount() == 3000 and model.keys(700) == [100700]
    view.expand(model.index_of(700))
    view.selectionModel().select(model.index_of(1500), QtCore.QItemSelectionModel.ClearAndSelect
                                 | QtCore.QItemSelectionModel.Rows)
    view.scrollTo(model.index_of(1500), QtWidgets.QAbstractItemView.PositionAtTop)
    qtbot.wait(10)
    scroll = view.verticalScrollBar().value()
    resets = []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    # 2,000 tasks progress and 50 tasks arrive above the selection (where the first rows were)
    second = Snapshot.of_tasks(_tasks(3050)[:50] + _tasks(3000, bump=range(1, 2001)))
    drain.slices = 0
    pieces = split_changes(first.changes_to(second), 100)
    drain.push("tasks", [lambda piece=piece: model.apply(piece) for piece in pieces])
    qtbot.waitUntil(lambda: not drain.busy(), timeout=20000)
    assert drain.slices == len(pieces) > 1 and resets == []
    assert [model.key_of(index) for index in view.selectionModel().selectedRows(0)] == [1500]
    assert model.row_data(1500)["doneFrames"] == 1 and model.rowCount() == 3050
    assert view.isExpanded(model.index_of(700))
    assert view.verticalScrollBar().value() == scroll  # the scroll position is kept


def test_coalesced_data_changed_covers_every_changed_cell(qtbot):
    model = TaskTreeModel()
    old = Snapshot.of_tasks(_tasks(200))
    model.apply(Snapshot().changes_to(old))
    ranges = []
    model.dataChanged.connect(lambda first, last, *roles: ranges.append(  # first.model(): no cycle via model
        (first.model().key_of(first.parent()) if first.parent().isValid() else None,
         first.row(), last.row(), first.column(), last.column())))
    bumped = set(range(1, 200, 3))  # scattered: far more runs than MAX_RUNS
    new = Snapshot.of_tasks(_tasks(200, bump=bumped))
    changes = old.changes_to(new)
    assert len(changes.changed) == len(bumped)
    model.apply(changes)
    assert len(ranges) <= models.MAX_RUNS  # one range, not one signal per row
    for key in bumped:
        row = model.index_of(key).row()
        assert any(parent is None and first <= row <= last and left == 0 and right == len(model.columns) - 1
                   for parent, first, last, left, right in ranges), key


def test_tree_shape_is_answered_without_python_callbacks(qtbot, monkeypatch):
    """A relayout of thousands of rows must not call into Python once per row."""
    model = TaskTreeModel()
    view = QtWidgets.QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setUniformRowHeights(True)
    view.resize(600, 200)
    view.show()
    model.apply(Snapshot().changes_to(Snapshot.of_tasks(_tasks(2000))))
    qtbot.wait(10)
    calls = []
    original = TaskTreeModel.data
    monkeypatch.setattr(TaskTreeModel, "data", lambda self, *args: (calls.append(1), original(self, *args))[1])
    view.doItemsLayout()
    QtWidgets.QApplication.processEvents()
    assert model.hasChildren(model.index_of(7)) and not model.hasChildren(model.index_of(8))
    assert model.rowCount(model.index_of(7)) == 1 and model.index_of(100007).parent() == model.index_of(7)
    assert len(calls) < 2000 // 4  # only the painted cells ask for data, never every row
