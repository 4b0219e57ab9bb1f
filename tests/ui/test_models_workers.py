"""Item models apply change sets by id; the async runner drops superseded results."""
import threading

from qtpy import QtCore, QtWidgets

from rv_dcc.monitor.changes import Snapshot
from rv_dcc.ui.columns import FRAME_COLUMNS, Role, column_index
from rv_dcc.ui.models import FrameTableModel, TaskTreeModel
from rv_dcc.ui.workers import AsyncRunner


def _task(task_id, done=0, subs=()):
    return {"id": task_id, "taskAlias": f"2W{task_id}", "sceneName": f"s{task_id}.ma", "taskStatus": 5,
            "doneFrames": done, "totalFrames": 10, "respRenderingTaskList": list(subs)}


def test_insert_above_remove_and_change_keep_the_selected_row(qtbot):
    model = TaskTreeModel()
    view = QtWidgets.QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    old = Snapshot()
    new = Snapshot.of_tasks([_task(5, subs=[_task(51)]), _task(4), _task(3), _task(2)])
    model.apply(old.changes_to(new))
    resets = []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    view.selectionModel().select(model.index_of(3), QtCore.QItemSelectionModel.ClearAndSelect
                                 | QtCore.QItemSelectionModel.Rows)
    view.expandAll()
    newer = Snapshot.of_tasks([_task(7), _task(6), _task(5, done=3, subs=[_task(51, done=3), _task(52)]),
                               _task(3, done=1), _task(2)])
    model.apply(new.changes_to(newer))
    assert resets == []
    assert model.keys() == [7, 6, 5, 3, 2] and model.keys(5) == [51, 52]
    selected = [model.key_of(index) for index in view.selectionModel().selectedRows(0)]
    assert selected == [3]
    assert model.row_data(3)["doneFrames"] == 1
    assert model.data(model.index_of(5, 3), int(Role.PROGRESS)) == (3, 0, 10)
    assert view.isExpanded(model.index_of(5))
    assert model.parent(model.index_of(52)) == model.index_of(5)


def test_frame_model_is_flat_and_changes_by_id(qtbot):
    model = FrameTableModel()
    model.show_task(1)
    frames = [{"id": n, "frameIndex": str(n), "frameStatus": 1} for n in range(1, 6)]
    first = Snapshot.of_frames(frames)
    model.apply(Snapshot().changes_to(first))
    seen = []
    model.dataChanged.connect(lambda a, b, *rest: seen.append((a.row(), b.row())))
    frames[2] = dict(frames[2], frameStatus=4, feeAmount=0.5)
    model.apply(first.changes_to(Snapshot.of_frames(frames)))
    assert seen == [(2, 2)]
    assert model.data(model.index_of(3, column_index(FRAME_COLUMNS, "status"))) == "Done"
    assert model.rowCount(model.index_of(3)) == 0


def test_runner_delivers_on_the_gui_thread_and_drops_superseded_keys(qtbot):
    runner = AsyncRunner(2)
    gate = threading.Event()
    got, threads = [], []

    def slow():
        gate.wait(5)
        return "old"

    runner.run(slow, lambda value: got.append(value), key="k")
    runner.run(lambda: "new", lambda value: (got.append(value), threads.append(threading.current_thread())),
               key="k")
    qtbot.waitUntil(lambda: got == ["new"], timeout=5000)
    gate.set()
    runner.wait(5000)
    assert got == ["new"] and runner.dropped == 1
    assert threads == [threading.main_thread()]
    errors = []
    runner.run(lambda: 1 / 0, on_error=errors.append)
    runner.wait(5000)
    assert isinstance(errors[0], ZeroDivisionError)
    runner.close()


def test_progress_is_throttled_but_every_new_stage_is_shown_in_order(qtbot):
    runner = AsyncRunner(1)
    shown = []
    report = runner.channel(shown.append, every=3600.0, phase=lambda event: event[0])
    done = []

    def job():
        for stage in ("check", "upload", "submit"):
            for n in range(200):
                report((stage, n))
        return "ok"

    runner.run(job, done.append)
    qtbot.waitUntil(lambda: done == ["ok"], timeout=10000)
    runner.deliver()
    # the first event of each stage, at once; the other 597 held back (the interval is an hour)
    assert shown == [("check", 0), ("upload", 0), ("submit", 0)]
    runner.close()


def test_the_grid_has_a_tile_per_frame_in_frame_order_so_a_gap_shows_at_its_place(qtbot):
    """Frames finish out of order (5 fails, 3 is still rendering): the tiles read 1..6 like the
    sequence, each saying its state, and a state change or an image updates its tile where it is."""
    from qtpy import QtGui

    from rv_dcc.ui.thumb_model import ThumbnailModel

    model = ThumbnailModel()
    model.show_task(1)
    status = {1: 4, 2: 4, 3: 2, 4: 4, 5: 5, 6: 1}  # done, done, rendering, done, failed, waiting
    rows = [{"id": 100 + n, "frameIndex": str(n), "frameStatus": status[n]} for n in (6, 4, 1, 5, 3, 2)]
    wanted = model.add_frames(rows)
    assert sorted(wanted) == [101, 102, 104]  # only finished frames have images to fetch
    shown = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert shown == ["1", "2", "3", "4", "5", "6"]
    states = [model.data(model.index(row, 0), QtCore.Qt.StatusTipRole) for row in range(model.rowCount())]
    assert states[2] != states[5] and "…" not in (states[2], states[4], states[5])  # rendering, failed, waiting
    changed = []
    model.dataChanged.connect(lambda first, last, *roles: changed.append(first.row()))
    assert model.add_frames([{"id": 103, "frameIndex": "3", "frameStatus": 4}]) == [103]  # 3 finished
    image = QtGui.QImage(8, 6, QtGui.QImage.Format_RGB32)
    image.fill(QtGui.QColor("#336699"))
    model.set_image(103, image, "/cache/103.png")
    assert changed == [2, 2] and model.data(model.index(2, 0), int(Role.THUMBNAIL)) == "/cache/103.png"
