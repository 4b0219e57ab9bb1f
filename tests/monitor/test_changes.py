"""Snapshots and change sets by id: added with position, only changed fields, removals."""
from rv_dcc.monitor.changes import Snapshot, task_row

from monitor_fakes import frame, task


def test_first_snapshot_adds_every_row_in_server_order_with_subtasks_under_parents():
    items = [task(3, subs=[task(31), task(32)]), task(2), task(1)]
    changes = Snapshot().changes_to(Snapshot.of_tasks(items))
    assert [(a.key, a.parent, a.position) for a in changes.added] == [
        (3, None, 0), (2, None, 1), (1, None, 2), (31, 3, 0), (32, 3, 1)]
    assert not changes.changed and not changes.removed


def test_only_changed_fields_are_reported_and_unshown_fields_are_ignored():
    old = Snapshot.of_tasks([task(1, done=1), task(2, done=5)])
    new_items = [task(1, done=2, unshown="different"), task(2, done=5, unshown="also")]
    changes = old.changes_to(Snapshot.of_tasks(new_items))
    assert changes.changed == {1: {"doneFrames": 2}}
    assert not changes.added and not changes.removed


def test_new_task_on_top_and_removed_task_and_removed_parent_hides_children():
    old = Snapshot.of_tasks([task(2, subs=[task(21)]), task(1)])
    new = Snapshot.of_tasks([task(3), task(1)])
    changes = old.changes_to(new)
    assert [(a.key, a.parent, a.position) for a in changes.added] == [(3, None, 0)]
    assert changes.removed == [2]  # 21 goes with its parent


def test_new_subtask_under_existing_parent():
    old = Snapshot.of_tasks([task(1, subs=[task(11)])])
    new = Snapshot.of_tasks([task(1, subs=[task(11), task(12, status=0)])])
    changes = old.changes_to(new)
    assert [(a.key, a.parent, a.position) for a in changes.added] == [(12, 1, 1)]
    assert changes.changed == {}


def test_frames_snapshot_keeps_order_and_diffs_status():
    old = Snapshot.of_frames([frame(10, 2), frame(11, 1)])
    new = Snapshot.of_frames([frame(10, 4, fee=0.5), frame(11, 2)])
    changes = old.changes_to(new)
    assert changes.changed == {10: {"frameStatus": 4, "feeAmount": 0.5}, 11: {"frameStatus": 2}}
    assert len(changes) == 2 and bool(changes)


def test_task_row_reads_a_typed_reply_by_its_wire_data():
    from rv_dcc.api.models import TaskInfo

    row = task_row(TaskInfo.from_wire(task(7, status=25)))
    assert row["id"] == 7 and row["taskStatus"] == 25 and "unshown" not in row
