"""How a task's status and counters follow from its frames (spec/wire.md §6 status codes).

One place decides a task's status: ``recount(conn, task_id)`` recounts a render task's frames,
derives its status unless a ``hold`` (stopped 10, arrears 20, timeout 23, abandoned 35, test
finished 40) pins it, and then re-aggregates its parent. Both the request handlers and the
scheduler call it after changing frames, so counters in the tasks table are always current and
list pages never count a million frames.
"""
import sqlite3
import time
from typing import Dict, Iterable, List, Optional

from rv_dcc.api.status import FrameStatus as F
from rv_dcc.api.status import TaskStatus as T

WAITING_STATES = tuple(s for s in F if s.is_active and s is not F.RENDERING)
FAILED_STATES = tuple(s for s in F if s.is_failed)
ENDED_TASK = tuple(s for s in T if s.is_final)


def now_ms() -> int:
    """Wall-clock epoch milliseconds."""
    return int(time.time() * 1000)


def _counts(conn: sqlite3.Connection, task_id: int) -> Dict[int, int]:
    return {row[0]: row[1] for row in conn.execute(
        "SELECT status, COUNT(*) FROM frames WHERE task_id = ? GROUP BY status", (task_id,))}


def derive_status(counts: Dict[int, int]) -> int:
    """A render task's status from its frame counts (no hold)."""
    total = sum(counts.values())
    rendering = counts.get(F.RENDERING, 0)
    waiting = sum(counts.get(s, 0) for s in WAITING_STATES)
    finished = counts.get(F.DONE, 0) + sum(counts.get(s, 0) for s in FAILED_STATES)
    failed = sum(counts.get(s, 0) for s in FAILED_STATES)
    if rendering:
        return T.RENDERING
    if waiting:
        return T.RENDERING if finished else T.WAITING
    if counts.get(F.STOPPED, 0):
        return T.STOPPED
    if total and failed == total:
        return T.FAILED
    if failed:
        return T.FINISHED_WITH_FAILURES
    return T.FINISHED


def aggregate_status(statuses: List[int]) -> int:
    """A parent task's status from its sub-tasks' statuses."""
    if not statuses:
        return T.WAITING
    present = set(statuses)
    if len(present) == 1:
        return statuses[0]
    if T.RENDERING in present or (T.WAITING in present and present & set(ENDED_TASK)):
        return T.RENDERING
    for status in (T.WAITING, T.PRE_RENDERING, T.TEST_FINISHED, T.STOPPED_ARREARS, T.STOPPED_TIMEOUT, T.STOPPED,
                   T.STOPPED_BY_USER):
        if status in present:
            return status
    if present <= {T.ABANDONED}:
        return T.ABANDONED
    if present & {T.FINISHED_WITH_FAILURES, T.FAILED}:
        return (T.FINISHED_WITH_FAILURES if (T.FINISHED in present or T.FINISHED_WITH_FAILURES in present)
                else T.FAILED)
    return T.FINISHED


def recount(conn: sqlite3.Connection, task_id: int, now: Optional[int] = None) -> None:
    """Recount one render task (and its parent) inside a write transaction."""
    now = now or now_ms()
    task = conn.execute("SELECT id, parent_id, submitted, hold, status, start_ms, completed_ms FROM tasks "
                        "WHERE id = ?", (task_id,)).fetchone()
    if task is None:
        return
    has_children = conn.execute("SELECT 1 FROM tasks WHERE parent_id = ? LIMIT 1", (task_id,)).fetchone()
    if has_children:
        _aggregate(conn, task_id, now)
        return
    counts = _counts(conn, task_id)
    status = task["hold"] or (derive_status(counts) if task["submitted"] else T.ANALYSING)
    sums = conn.execute("SELECT COALESCE(SUM(fee), 0), COALESCE(SUM(coupon_fee), 0), "
                        "COALESCE(SUM(execute_seconds), 0), MIN(NULLIF(start_ms, 0)) FROM frames WHERE task_id = ?",
                        (task_id,)).fetchone()
    completed = task["completed_ms"]
    if status in ENDED_TASK and status != task["status"]:
        completed = now
    elif status not in ENDED_TASK:
        completed = None
    conn.execute(
        "UPDATE tasks SET status = ?, total_frames = ?, done_frames = ?, failed_frames = ?, executing_frames = ?, "
        "waiting_frames = ?, abort_frames = ?, fee = ?, coupon_fee = ?, render_seconds = ?, start_ms = ?, "
        "completed_ms = ? WHERE id = ?",
        (status, sum(counts.values()), counts.get(F.DONE, 0), sum(counts.get(s, 0) for s in FAILED_STATES),
         counts.get(F.RENDERING, 0), sum(counts.get(s, 0) for s in WAITING_STATES), counts.get(F.STOPPED, 0),
         round(sums[0], 4), round(sums[1], 4), sums[2], sums[3], completed, task_id))
    if task["parent_id"]:
        _aggregate(conn, task["parent_id"], now)


def _aggregate(conn: sqlite3.Connection, parent_id: int, now: int) -> None:
    rows = conn.execute("SELECT status, total_frames, done_frames, failed_frames, executing_frames, waiting_frames, "
                        "abort_frames, fee, coupon_fee, render_seconds, start_ms FROM tasks "
                        "WHERE parent_id = ? AND is_delete = 1", (parent_id,)).fetchall()
    parent = conn.execute("SELECT status, submitted, completed_ms FROM tasks WHERE id = ?", (parent_id,)).fetchone()
    if parent is None:
        return
    status = aggregate_status([r["status"] for r in rows]) if parent["submitted"] else T.ANALYSING
    starts = [r["start_ms"] for r in rows if r["start_ms"]]
    completed = parent["completed_ms"]
    if status in ENDED_TASK and status != parent["status"]:
        completed = now
    elif status not in ENDED_TASK:
        completed = None
    conn.execute(
        "UPDATE tasks SET status = ?, total_frames = ?, done_frames = ?, failed_frames = ?, executing_frames = ?, "
        "waiting_frames = ?, abort_frames = ?, fee = ?, coupon_fee = ?, render_seconds = ?, start_ms = ?, "
        "completed_ms = ? WHERE id = ?",
        (status, *[sum(r[k] for r in rows) for k in ("total_frames", "done_frames", "failed_frames",
                                                       "executing_frames", "waiting_frames", "abort_frames")],
         round(sum(r["fee"] for r in rows), 4), round(sum(r["coupon_fee"] for r in rows), 4),
         sum(r["render_seconds"] for r in rows), min(starts) if starts else None, completed, parent_id))


def leaves(conn: sqlite3.Connection, task_ids: Iterable[int]) -> List[int]:
    """The render tasks behind ``task_ids``: a parent expands to its sub-tasks."""
    out: List[int] = []
    for task_id in task_ids:
        children = [r[0] for r in conn.execute("SELECT id FROM tasks WHERE parent_id = ? AND is_delete = 1",
                                               (task_id,))]
        out.extend(children or [task_id])
    return out
