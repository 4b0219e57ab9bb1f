"""Changing a running task: stop, start, abandon, delete, recommit, stop frames, priority,
node limit, full speed, overtime stop, hardware, and task labels.

Every operation takes task ids as the service does (a parent id acts on all its sub-tasks),
changes frames and ``hold`` inside one write transaction, then recounts the tasks so statuses
and counters are right before the call is answered. Unknown or deleted ids are refused with 404
before anything changes.
"""
import json
import sqlite3
from typing import Any, Iterable, List, Sequence

from rv_dcc.farm import catalog
from rv_dcc.farm.errors import INVALID, Body, FarmError, not_found
from rv_dcc.farm.state import leaves, now_ms, recount
from rv_dcc.farm.tasks import ensure_label, get_task

_ACTIVE_FRAMES = (1, 2, 8)
_FINISHED = (25, 30, 45)


def _check_ids(conn: sqlite3.Connection, ids: Sequence[int]) -> List[int]:
    for task_id in ids:
        get_task(conn, task_id)
    return leaves(conn, ids)


def _placeholders(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _set_frames(ctx: Any, conn: sqlite3.Connection, task_id: int, status: int, where: str,
                params: Iterable[Any] = (), reset: bool = False) -> int:
    """Move the matching frames of one task to ``status``; returns how many moved."""
    rows = [r[0] for r in conn.execute(f"SELECT id FROM frames WHERE task_id = ? AND {where}", (task_id, *params))]
    for frame_id in rows:
        ctx.renderer.forget(frame_id)
    if not rows:
        return 0
    extra = (", start_ms = 0, end_ms = 0, due_ms = 0, execute_seconds = 0, fee = NULL, coupon_fee = NULL, "
             "outputs = '[]', thumbs = '[]', log = '', render_job = 0, recommit = recommit + 1") if reset else \
        ", due_ms = 0, render_job = 0"
    for chunk in range(0, len(rows), 500):
        part = rows[chunk:chunk + 500]
        conn.execute(f"UPDATE frames SET status = ?{extra} WHERE id IN ({_placeholders(part)})", (status, *part))
    return len(rows)


def _record(ctx: Any, conn: sqlite3.Connection, action: str, ids: List[int]) -> None:
    ctx.store.record(conn, "task", now_ms(), json.dumps({"action": action, "taskIds": ids}))


def stop_task(ctx: Any, body: Body) -> None:
    """stopTask: waiting/rendering frames -> stopped (3), task -> 10."""
    ids = body.ints("taskIds", required=True)
    with ctx.store.write() as conn:
        for leaf in _check_ids(conn, ids):
            task = get_task(conn, leaf)
            if not task["submitted"] or task["status"] in _FINISHED + (35,):
                continue
            _set_frames(ctx, conn, leaf, 3, f"status IN {_ACTIVE_FRAMES}")
            conn.execute("UPDATE tasks SET hold = 10 WHERE id = ?", (leaf,))
            recount(conn, leaf)
        _record(ctx, conn, "stopTask", ids)


def start_task(ctx: Any, body: Body) -> None:
    """startTask: stopped frames -> waiting; a task paused after its test frames goes on."""
    ids = body.ints("taskIds", required=True)
    with ctx.store.write() as conn:
        for leaf in _check_ids(conn, ids):
            task = get_task(conn, leaf)
            if not task["submitted"] or task["hold"] == 35:
                continue
            _set_frames(ctx, conn, leaf, 1, "status IN (3, 8)")
            conn.execute("UPDATE tasks SET hold = 0, stop_after_test = 0 WHERE id = ?", (leaf,))
            recount(conn, leaf)
        _record(ctx, conn, "startTask", ids)
    ctx.wake()


def abandon_task(ctx: Any, body: Body) -> None:
    """abandonTask: unfinished frames stop, the task becomes abandoned (35)."""
    ids = body.ints("taskIds", required=True)
    with ctx.store.write() as conn:
        for leaf in _check_ids(conn, ids):
            task = get_task(conn, leaf)
            if task["status"] in _FINISHED:
                continue
            _set_frames(ctx, conn, leaf, 3, f"status IN {_ACTIVE_FRAMES}")
            conn.execute("UPDATE tasks SET hold = 35 WHERE id = ?", (leaf,))
            recount(conn, leaf)
        _record(ctx, conn, "abandonTask", ids)


def delete_task(ctx: Any, body: Body) -> None:
    """deleteTask: stop what runs and hide the task (isDelete 0)."""
    ids = body.ints("taskIds", required=True)
    with ctx.store.write() as conn:
        for leaf in _check_ids(conn, ids):
            _set_frames(ctx, conn, leaf, 3, f"status IN {_ACTIVE_FRAMES}")
            recount(conn, leaf)
        for task_id in ids:
            parent = conn.execute("SELECT parent_id FROM tasks WHERE id = ?", (task_id,)).fetchone()[0]
            conn.execute("UPDATE tasks SET is_delete = 0 WHERE id = ? OR parent_id = ?", (task_id, task_id))
            if parent:  # a sub-task deleted on its own: its task's counters change
                recount(conn, parent)
        _record(ctx, conn, "deleteTask", ids)


def _restart(ctx: Any, conn: sqlite3.Connection, leaf: int, where: str, params: Iterable[Any] = ()) -> int:
    moved = _set_frames(ctx, conn, leaf, 1, where, params, reset=True)
    if moved:
        conn.execute("UPDATE tasks SET hold = 0 WHERE id = ? AND hold IN (10, 15, 20, 23, 35, 40)", (leaf,))
        recount(conn, leaf)
    return moved


def recommit_tasks(ctx: Any, body: Body) -> None:
    """recommitTasks: render the failed (or the given statuses') frames again."""
    ids = body.ints("taskIds", required=True)
    statuses = body.ints("status") or [5, 11]
    with ctx.store.write() as conn:
        for leaf in _check_ids(conn, ids):
            _restart(ctx, conn, leaf, f"status IN ({_placeholders(statuses)})", statuses)
        _record(ctx, conn, "recommitTasks", ids)
    ctx.wake()


def _frame_selection(conn: sqlite3.Connection, body: Body) -> tuple:
    task_id = body.need("taskId")
    get_task(conn, task_id)
    select_all = body.num_or("selectAll", default=0)
    if select_all not in (0, 1):
        raise FarmError(INVALID, f"parameter 'selectAll' must be 0 or 1, not {select_all}", "selectAll")
    ids = body.ints("ids")
    statuses = body.ints("status")
    if not select_all and not ids and statuses:
        select_all = 1  # no ids but statuses: every frame of the task in those statuses
    if not select_all and not ids:
        raise FarmError(601, "parameter 'ids' can't be empty when selectAll is 0: give frame ids "
                             "(from queryTaskFrames) or selectAll 1", "ids")
    leaf_ids = leaves(conn, [task_id])
    if ids:
        found = {r[0]: r[1] for r in conn.execute(
            f"SELECT id, task_id FROM frames WHERE id IN ({_placeholders(ids)})", ids)}
        missing = [i for i in ids if found.get(i) not in leaf_ids]
        if missing:
            raise FarmError(404, f"frames {missing[:10]} do not belong to task {task_id}", "ids")
    return leaf_ids, select_all, ids, statuses


def recommit_task_frames(ctx: Any, body: Body) -> None:
    """recommitTaskFrames: render the chosen frames (or all, optionally by status) again."""
    with ctx.store.write() as conn:
        leaf_ids, select_all, ids, statuses = _frame_selection(conn, body)
        for leaf in leaf_ids:
            if select_all:
                where, params = ("status IN (%s)" % _placeholders(statuses), statuses) if statuses else ("1", ())
            else:
                where, params = f"id IN ({_placeholders(ids)})", ids
            _restart(ctx, conn, leaf, where, params)
        _record(ctx, conn, "recommitTaskFrames", leaf_ids)
    ctx.wake()


def stop_task_frames(ctx: Any, body: Body) -> None:
    """stopTaskFrames: the chosen waiting/rendering frames -> stopped (3)."""
    with ctx.store.write() as conn:
        leaf_ids, select_all, ids, statuses = _frame_selection(conn, body)
        for leaf in leaf_ids:
            where, params = f"status IN {_ACTIVE_FRAMES}", []
            if not select_all:
                where, params = where + f" AND id IN ({_placeholders(ids)})", list(ids)
            elif statuses:
                where, params = where + f" AND status IN ({_placeholders(statuses)})", list(statuses)
            if _set_frames(ctx, conn, leaf, 3, where, params):
                recount(conn, leaf)
        _record(ctx, conn, "stopTaskFrames", leaf_ids)


def _update(ctx: Any, ids: List[int], sql: str, params: Sequence[Any], action: str) -> None:
    with ctx.store.write() as conn:
        targets = _check_ids(conn, ids)
        for task_id in set(targets) | set(ids):
            conn.execute(f"UPDATE tasks SET {sql} WHERE id = ?", (*params, task_id))
        _record(ctx, conn, action, ids)
    ctx.wake()


def full_speed(ctx: Any, body: Body) -> str:
    """fullSpeedRendering: no node limit, first in the queue."""
    _update(ctx, body.ints("taskIds", required=True), "full_speed = 1, task_limit = 9999", (), "fullSpeed")
    return "成功"


def update_task_user_level(ctx: Any, body: Body) -> None:
    """updateTaskUserLevel: the task's priority (higher renders first)."""
    task_id = body.need("taskId")
    level = body.need("taskUserLevel", minimum=0, maximum=100)
    _update(ctx, [task_id], "task_user_level = ?", (level,), "updateTaskUserLevel")


def update_task_limit(ctx: Any, body: Body) -> None:
    """updateTaskLimit: how many machines the task may use at once."""
    task_id = body.need("taskId")
    limit = body.need("taskLimit", minimum=1, maximum=10000)
    _update(ctx, [task_id], "task_limit = ?", (limit,), "updateTaskLimit")


def set_task_over_time_stop(ctx: Any, body: Body) -> str:
    """setTaskOverTimeStop: stop the task (23) once it has rendered this many farm seconds."""
    ids = body.ints("taskIds", required=True)
    seconds = body.need("overTime", minimum=0)
    _update(ctx, ids, "over_time_stop = ?", (seconds,), "setTaskOverTimeStop")
    return "SUCCESS"


def edit_task_hardware(ctx: Any, body: Body) -> None:
    """editTaskHardwareConfig: the machine configuration of tasks."""
    ids = body.ints("taskIds", required=True)
    hardware = body.ints("hardwareConfigIds", required=True)
    unknown = [h for h in hardware if h not in catalog.hardware_ids()]
    if unknown:
        raise FarmError(INVALID, f"hardwareConfigIds {unknown} are not in hardwareConfig/list", "hardwareConfigIds")
    ram = body.text("ram") or ""
    ram_gb = int("".join(c for c in ram if c.isdigit()) or 64)
    gpu = 1 if any(catalog.hardware_is_gpu(h) for h in hardware) else 0
    _update(ctx, ids, "hardware_ids = ?, ram = ?, gpu = ?", (json.dumps(hardware), ram_gb, gpu), "editHardware")


def add_task_label(ctx: Any, body: Body) -> None:
    """addTaskLabel: attach a label (created when new) to tasks."""
    label = body.need_text("label", max_length=100)
    ids = body.ints("taskIds", required=True)
    with ctx.store.write() as conn:
        for task_id in ids:
            get_task(conn, task_id)
        label_id = ensure_label(conn, label)
        for task_id in ids:
            conn.execute("INSERT OR IGNORE INTO task_labels(task_id, label_id) VALUES (?, ?)", (task_id, label_id))


def delete_task_label(ctx: Any, body: Body) -> None:
    """deleteTaskLabel: detach labels (by id or name; all when none named) from tasks."""
    ids = body.ints("taskIds")
    label_ids = body.ints("labelIds")
    names = body.texts("labelNames")
    if not ids and not label_ids and not names:
        raise FarmError(601, "give taskIds, labelIds or labelNames: nothing to delete", "taskIds")
    with ctx.store.write() as conn:
        for task_id in ids:
            get_task(conn, task_id)
        for name in names:
            row = conn.execute("SELECT id FROM labels WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise not_found("label", repr(name))
            label_ids.append(row[0])
        where: List[str] = []
        params: List[Any] = []
        if ids:
            where.append(f"task_id IN ({_placeholders(ids)})")
            params += ids
        if label_ids:
            where.append(f"label_id IN ({_placeholders(label_ids)})")
            params += label_ids
        conn.execute("DELETE FROM task_labels WHERE " + " AND ".join(where), params)
