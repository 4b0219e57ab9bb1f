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

WAITING_STATES = (1, 6, 7, 8, 9, 10)
FAILED_STATES = (5, 11)
ENDED_TASK = (10, 15, 20, 23, 25, 30, 35, 40, 45)


def now_ms() -> int:
    """Wall-clock epoch milliseconds."""
    return int(time.time() * 1000)


def _counts(conn: sqlite3.Connection, task_id: int) -> Dict[int, int]:
    return {row[0]: row[1] for row in conn.execute(
        "SELECT status, COUNT(*) FROM frames WHERE task_id = ? GROUP BY status", (task_id,))}


def derive_status(counts: Dict[int, int]) -> int:
    """A render task's status from its frame counts (no hold)."""
    total = sum(counts.values())
    rendering = counts.get(2, 0)
    waiting = sum(counts.get(s, 0) for s in WAITING_STATES)
    finished = counts.get(4, 0) + sum(counts.get(s, 0) for s in FAILED_STATES)
    failed = sum(counts.get(s, 0) for s in FAILED_STATES)
    if rendering:
        return 5
    if waiting:
        return 5 if finished else 0
    if counts.get(3, 0):
        return 10
    if total and failed == total:
        return 45
    if failed:
        return 30
    return 25


def aggregate_status(statuses: List[int]) -> int:
    """A parent task's status from its sub-tasks' statuses."""
    if not statuses:
        return 0
    present = set(statuses)
    if len(present) == 1:
        return statuses[0]
    if 5 in present or (0 in present and present & set(ENDED_TASK)):
        return 5
    for status in (0, 8, 40, 20, 23, 10, 15):
        if status in present:
            return status
    if present <= {35}:
        return 35
    if present & {30, 45}:
        return 30 if (25 in present or 30 in present) else 45
    return 25


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
    status = task["hold"] or (derive_status(counts) if task["submitted"] else 50)
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
        (status, sum(counts.values()), counts.get(4, 0), sum(counts.get(s, 0) for s in FAILED_STATES),
         counts.get(2, 0), sum(counts.get(s, 0) for s in WAITING_STATES), counts.get(3, 0),
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
    status = aggregate_status([r["status"] for r in rows]) if parent["submitted"] else 50
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
