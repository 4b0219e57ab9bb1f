"""The farm's clock: moves frames waiting (1) -> rendering (2) -> done (4) / failed (5) / timed
out (11) and tasks through their statuses, on a clock scaled by ``speed``.

A frame "takes" ``sim_seconds`` farm seconds (20-90 s per frame number), i.e. ``sim_seconds /
speed`` of wall time; its ``frameExecuteTime`` and fee are in farm seconds. Machines are shared:
at most ``nodes`` frames render at once, at most ``taskLimit`` per task, higher
``taskUserLevel`` / full speed first, priority frames (frameType 4) before the others. When a
task's priority frames are finished, its other frames go from 8 to 1 — or, with
``stop_after_test``, the task pauses at 40 until startTask. ``job_stop_time`` times frames out
(11); ``task_stop_time`` / setTaskOverTimeStop stop a task (23) after that many farm seconds.
``fail_rate`` fails that share of frames with a log saying why. The thread is started by
``start()`` (never at import) and stopped by ``stop()``.
"""
import json
import logging
import os
import random
import threading
from typing import Any, Dict, List, Optional

from rv_dcc.farm.state import now_ms, recount

log = logging.getLogger("rv_dcc.farm.scheduler")

_FAIL_REASONS = (
    "render node ran out of memory (64 GB) while building the scene's acceleration structure",
    "renderer crashed with exit code -1073741819 (access violation) while loading textures",
    "license for the renderer could not be checked out before the render timed out",
    "a texture read failed: the file is truncated or unreadable",
)


class Scheduler:
    """Advances the farm's state in a background thread."""

    def __init__(self, farm: Any, speed: float = 1.0, fail_rate: float = 0.0, nodes: int = 20,
                 interval: float = 0.05) -> None:
        self.farm = farm
        self.speed = max(0.001, float(speed))
        self.fail_rate = min(1.0, max(0.0, float(fail_rate)))
        self.nodes = nodes
        self.interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._last_timeout_check = 0

    def start(self) -> None:
        """Start the clock thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="rv-farm-scheduler", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the clock thread and wait for it."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def wake(self) -> None:
        """Run a tick soon (after a submit or start)."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the clock must keep running; the failure is logged with its trace
                log.exception("farm scheduler tick failed")
            self._wake.wait(self.interval)
            self._wake.clear()

    # -- one tick -------------------------------------------------------------------------------
    def tick(self) -> None:
        """Finish due frames, release priority-held frames, apply timeouts, start waiting frames."""
        now = now_ms()
        self._finish_due(now)
        self._release_priority()
        if now - self._last_timeout_check > 500:
            self._last_timeout_check = now
            self._task_timeouts(now)
        self._dispatch(now)

    def _is_real_blender(self, task: Any) -> bool:
        return bool(task["blend_path"]) and self.farm.renderer.real_blender and os.path.isfile(task["blend_path"])

    def _finish_due(self, now: int) -> None:
        store, renderer = self.farm.store, self.farm.renderer
        with store.read() as conn:
            due = conn.execute("SELECT * FROM frames WHERE status = 2 AND due_ms <= ? ORDER BY due_ms LIMIT 200",
                               (now,)).fetchall()
            tasks = {r["id"]: r for r in conn.execute(
                f"SELECT * FROM tasks WHERE id IN ({','.join('?' * len({f['task_id'] for f in due}))})",
                list({f["task_id"] for f in due}))} if due else {}
        results: List[tuple] = []
        for frame in due:
            task = tasks[frame["task_id"]]
            numbers = [int(n) for n in frame["frame_numbers"].split(",") if n]
            rng = random.Random(f"{frame['id']}:{frame['recommit']}")
            execute = min(frame["sim_seconds"], task["job_stop_time"])
            if frame["sim_seconds"] > task["job_stop_time"]:
                results.append((frame, task, 11, execute, [], [], [
                    f"frame {frame['frame_index']} exceeded job_stop_time ({task['job_stop_time']} s) and was stopped"]))
                continue
            if self.fail_rate and rng.random() < self.fail_rate:
                results.append((frame, task, 5, execute, [], [], [
                    f"frame {frame['frame_index']} failed: {rng.choice(_FAIL_REASONS)}"]))
                continue
            if self._is_real_blender(task):
                output = renderer.blender_result(frame["id"])
                if output is None:
                    if not renderer.has_job(frame["id"]):
                        renderer.start_blender(task, frame["id"], numbers, task["blend_path"],
                                               json.loads(task["render_options"]))
                    continue  # still rendering for real: the frame finishes when the image is there
            else:
                output = renderer.placeholder(task, frame["id"], numbers)
            results.append((frame, task, 4 if output.ok else 5, execute, output.outputs, output.thumbs, output.log))
        if results:
            self._store_results(results, now)

    def _store_results(self, results: List[tuple], now: int) -> None:
        store = self.farm.store
        with store.write() as conn:
            coupon = float(store.meta(conn, "coupon", "0"))
            balance = float(store.meta(conn, "usdbalance", "0"))
            consumed = float(store.meta(conn, "consumed", "0"))
            touched = set()
            for frame, task, status, execute, outputs, thumbs, lines in results:
                current = conn.execute("SELECT status, recommit FROM frames WHERE id = ?", (frame["id"],)).fetchone()
                if current is None or current["status"] != 2 or current["recommit"] != frame["recommit"]:
                    continue  # stopped or recommitted while we rendered
                fee = coupon_fee = 0.0
                if status in (4, 11):
                    price = self.farm.profile_price(bool(task["gpu"]))
                    total = round(price * execute / 3600.0, 4)
                    coupon_fee = round(min(coupon, total), 4)
                    fee = round(total - coupon_fee, 4)
                    coupon, balance, consumed = coupon - coupon_fee, balance - fee, consumed + total
                node = f"10.60.3.{frame['id'] % 250 + 1}"
                text = "\n".join([f"[{node}] start frame {frame['frame_index']} of task 2W{task['id']} "
                                  f"(attempt {frame['recommit'] + 1})"] + lines +
                                 [f"[{node}] end status {status}, {execute} s, fee {fee + coupon_fee:.4f}"])
                conn.execute("UPDATE frames SET status = ?, end_ms = ?, execute_seconds = ?, fee = ?, coupon_fee = ?, "
                             "outputs = ?, thumbs = ?, log = ?, render_job = 0 WHERE id = ?",
                             (status, now, execute, fee, coupon_fee, json.dumps(outputs), json.dumps(thumbs), text,
                              frame["id"]))
                touched.add(task["id"])
            store.set_meta(conn, "coupon", round(coupon, 4))
            store.set_meta(conn, "usdbalance", round(balance, 4))
            store.set_meta(conn, "consumed", round(consumed, 4))
            for task_id in touched:
                recount(conn, task_id, now)

    def _release_priority(self) -> None:
        store = self.farm.store
        with store.read() as conn:
            held = [r[0] for r in conn.execute(
                "SELECT DISTINCT f.task_id FROM frames f JOIN tasks t ON t.id = f.task_id "
                "WHERE f.status = 8 AND t.hold = 0 AND t.is_delete = 1")]
        for task_id in held:
            with store.write() as conn:
                pending = conn.execute("SELECT 1 FROM frames WHERE task_id = ? AND frame_type = 4 AND status IN (1, 2) "
                                       "LIMIT 1", (task_id,)).fetchone()
                task = conn.execute("SELECT hold, stop_after_test FROM tasks WHERE id = ?", (task_id,)).fetchone()
                if pending or task is None or task["hold"]:
                    continue
                if task["stop_after_test"]:
                    conn.execute("UPDATE tasks SET hold = 40 WHERE id = ?", (task_id,))
                else:
                    conn.execute("UPDATE frames SET status = 1 WHERE task_id = ? AND status = 8", (task_id,))
                recount(conn, task_id)

    def _task_timeouts(self, now: int) -> None:
        store = self.farm.store
        with store.read() as conn:
            rows = conn.execute("SELECT id, start_ms, over_time_stop FROM tasks WHERE over_time_stop > 0 AND hold = 0 "
                                "AND is_delete = 1 AND status IN (0, 5) AND start_ms IS NOT NULL").fetchall()
        late = [r["id"] for r in rows if (now - r["start_ms"]) / 1000.0 * self.speed > r["over_time_stop"]]
        if not late:
            return
        with store.write() as conn:
            for task_id in late:
                for (frame_id,) in conn.execute("SELECT id FROM frames WHERE task_id = ? AND status = 2", (task_id,)):
                    self.farm.renderer.forget(frame_id)
                conn.execute("UPDATE frames SET status = 3, due_ms = 0, log = log || ? WHERE task_id = ? "
                             "AND status IN (1, 2, 8)", ("\nstopped: the task reached its overtime stop", task_id))
                conn.execute("UPDATE tasks SET hold = 23 WHERE id = ?", (task_id,))
                recount(conn, task_id, now)

    def _arrears(self, conn: Any, task_ids: List[int], now: int) -> None:
        # No balance and no coupon left: waiting work stops (20) until the account is topped up
        # and the task is started again.
        for task_id in task_ids:
            conn.execute("UPDATE frames SET status = 3 WHERE task_id = ? AND status IN (1, 8)", (task_id,))
            conn.execute("UPDATE tasks SET hold = 20 WHERE id = ?", (task_id,))
            recount(conn, task_id, now)

    def _dispatch(self, now: int) -> None:
        store = self.farm.store
        with store.read() as conn:
            busy = conn.execute("SELECT COUNT(*) FROM frames WHERE status = 2").fetchone()[0]
            free = self.nodes - busy
            if free <= 0:
                return
            candidates = conn.execute(
                "SELECT t.* FROM tasks t WHERE t.id IN (SELECT DISTINCT task_id FROM frames WHERE status = 1) "
                "AND t.hold = 0 AND t.is_delete = 1 AND t.submitted = 1 "
                "ORDER BY t.full_speed DESC, t.task_user_level DESC, t.id LIMIT 50").fetchall()
        if not candidates:
            return
        started: Dict[int, Any] = {}
        with store.write() as conn:
            if float(store.meta(conn, "usdbalance", "0")) + float(store.meta(conn, "coupon", "0")) <= 0:
                self._arrears(conn, [task["id"] for task in candidates], now)
                return
            for task in candidates:
                allowed = min(free, task["task_limit"] - conn.execute(
                    "SELECT COUNT(*) FROM frames WHERE task_id = ? AND status = 2", (task["id"],)).fetchone()[0])
                if allowed <= 0:
                    continue
                frames = conn.execute("SELECT id, sim_seconds, frame_numbers FROM frames WHERE task_id = ? AND status = 1 "
                                      "ORDER BY frame_type, id LIMIT ?", (task["id"], allowed)).fetchall()
                for frame in frames:
                    seconds = min(frame["sim_seconds"], task["job_stop_time"])
                    conn.execute("UPDATE frames SET status = 2, start_ms = ?, end_ms = 0, due_ms = ? WHERE id = ?",
                                 (now, now + int(seconds * 1000 / self.speed), frame["id"]))
                    started[frame["id"]] = (task, frame["frame_numbers"])
                free -= len(frames)
                if frames:
                    recount(conn, task["id"], now)
                if free <= 0:
                    break
        for frame_id, (task, numbers) in started.items():
            if self._is_real_blender(task):
                self.farm.renderer.start_blender(task, frame_id, [int(n) for n in numbers.split(",") if n],
                                                 task["blend_path"], json.loads(task["render_options"]))
