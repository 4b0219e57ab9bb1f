"""Benchmark: the embedded farm's list pages with 10,000 tasks and 1,000,000 frames stored.

Generates the data directly in a fresh farm store (10,000 top-level tasks, 1,000 of them with
three layer sub-tasks; 1,000,000 frames, one sub-task alone holding 50,000), starts the farm on
it (scheduler running, a few tasks still rendering), then times real HTTP calls through
``rv_dcc.api.RayvisionAPI`` and prints median / p95 beside the target: a task-list page and a
frame page answer in under 20 ms.

    .venv/bin/python bench/farm_scale.py [--tasks 10000] [--frames 1000000] [--repeat 30] [--keep DIR]
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from typing import Callable, List

TARGET_MS = 20.0


def generate(data_dir: str, tasks: int, total_frames: int) -> None:
    """Write tasks and frames straight into the farm's SQLite store."""
    from rv_dcc.farm.render import output_name
    from rv_dcc.farm.store import FIRST_TASK_ID, Store

    store = Store(data_dir)
    rng = random.Random(7)
    now = int(time.time() * 1000)
    next_id = FIRST_TASK_ID
    task_rows, leaves = [], []
    for index in range(tasks):
        parent = next_id
        next_id += 1
        layered = index % 10 == 0
        kids = []
        if layered:
            kids = list(range(next_id, next_id + 3))
            next_id += 3
        scene = f"shot_{index:05d}.ma"
        active = index >= tasks - 20  # the newest tasks still render
        task_rows.append([parent, 0, scene, "", index, output_name(parent, scene), active])
        for n, kid in enumerate(kids):
            task_rows.append([kid, parent, scene, f"layer{n}", index, output_name(kid, scene), active])
        leaves += kids or [parent]
    huge = leaves[len(leaves) // 2]
    share = (total_frames - 50000) // (len(leaves) - 1)
    counts = {leaf: share for leaf in leaves}
    counts[huge] = 50000
    counts[leaves[0]] += total_frames - sum(counts.values())
    active = {row[0] for row in task_rows if row[6]}
    stats = {}
    with store.write() as conn:
        frame_rows = []
        for leaf in leaves:
            live = leaf in active
            done = waiting = 0
            for n in range(counts[leaf]):
                status = 1 if live and n >= counts[leaf] // 2 else 4
                done += status == 4
                waiting += status == 1
                frame_rows.append((leaf, str(n + 1), str(n + 1), 5, status, rng.randint(20, 90),
                                   now if status == 4 else 0, now if status == 4 else 0, 60 if status == 4 else 0,
                                   0.01 if status == 4 else None, 0.0 if status == 4 else None))
                if len(frame_rows) >= 100000:
                    _insert_frames(conn, frame_rows)
                    frame_rows = []
            stats[leaf] = (counts[leaf], done, waiting)
        _insert_frames(conn, frame_rows)
        for task_id, parent, scene, layer, index, folder, live in task_rows:
            total, done, waiting = stats.get(task_id, (0, 0, 0))  # parents: summed below
            conn.execute(
                "INSERT INTO tasks(id, parent_id, submitted, status, cg_id, scene_name, layer_name, camera, "
                "frames_range, task_user_level, created_ms, submit_ms, start_ms, completed_ms, total_frames, "
                "done_frames, waiting_frames, output_name, fee, render_seconds, blend_path) "
                "VALUES (?, ?, 1, ?, 2000, ?, ?, 'renderCamShape', '1-100[1]', 50, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
                (task_id, parent, 5 if live else 25, scene, layer, now - (tasks - index) * 60000,
                 now - (tasks - index) * 60000, now - (tasks - index) * 60000, None if live else now,
                 total, done, waiting, folder, round(done * 0.01, 2), done * 60))
        # parents' counters are the sums of their sub-tasks'
        conn.execute("UPDATE tasks SET total_frames = (SELECT SUM(total_frames) FROM tasks c WHERE c.parent_id = tasks.id), "
                     "done_frames = (SELECT SUM(done_frames) FROM tasks c WHERE c.parent_id = tasks.id), "
                     "waiting_frames = (SELECT SUM(waiting_frames) FROM tasks c WHERE c.parent_id = tasks.id) "
                     "WHERE id IN (SELECT DISTINCT parent_id FROM tasks WHERE parent_id != 0)")
        store.set_meta(conn, "next_task_id", next_id)
        store.set_meta(conn, "bench_huge_task", huge)
    with store.write() as conn:
        conn.execute("ANALYZE")
    conn = store._acquire()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a 100 MB WAL would slow every read until checkpointed
    store._release(conn)
    store.close()


def _insert_frames(conn, rows) -> None:
    conn.executemany("INSERT INTO frames(task_id, frame_index, frame_numbers, frame_type, status, sim_seconds, "
                     "start_ms, end_ms, execute_seconds, fee, coupon_fee) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     rows)


def timed(call: Callable[[], object], repeat: int) -> List[float]:
    """Milliseconds of ``repeat`` calls after two warm-up calls."""
    call()
    call()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--frames", type=int, default=1000000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", default=None, help="data folder to keep (default: a temporary one)")
    args = parser.parse_args()

    from rv_dcc.api import RayvisionAPI
    from rv_dcc.farm import EmbeddedFarm

    data_dir = args.keep or tempfile.mkdtemp(prefix="rv_farm_bench_")
    if not os.path.exists(os.path.join(data_dir, "farm.sqlite3")):
        started = time.perf_counter()
        generate(data_dir, args.tasks, args.frames)
        print(f"generated {args.tasks} tasks and {args.frames} frames in {time.perf_counter() - started:.1f} s "
              f"({os.path.getsize(os.path.join(data_dir, 'farm.sqlite3')) / 1e6:.0f} MB) in {data_dir}")
    with EmbeddedFarm(data_dir, port=0, speed=1, real_blender=False) as farm:
        with farm.store.read() as conn:
            huge = int(farm.store.meta(conn, "bench_huge_task"))
            tasks = conn.execute("SELECT COUNT(*) FROM tasks WHERE parent_id = 0").fetchone()[0]
            frames = conn.execute("SELECT COUNT(*) FROM frames").fetchone()[0]
            newest = conn.execute("SELECT MAX(id) FROM tasks WHERE parent_id = 0").fetchone()[0]
            small = conn.execute("SELECT id FROM tasks WHERE total_frames BETWEEN 50 AND 200 LIMIT 1").fetchone()[0]
        api = RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key, domain=farm.domain,
                           platform=farm.platform, protocol="http")
        cases = [
            ("getTaskList page 1 (100 tasks + sub-tasks)", lambda: api.query.get_task_list(page_num=1, page_size=100)),
            ("getTaskList page 50 (100 tasks)", lambda: api.query.get_task_list(page_num=50, page_size=100)),
            ("getTaskList status filter [25], page 10", lambda: api.query.get_task_list(
                page_num=10, page_size=100, status_list=[25])),
            ("getTaskList keyword 'shot_0999'", lambda: api.query.get_task_list(
                page_num=1, page_size=100, search_keyword="shot_0999")),
            ("queryTaskFrames page 1 (100 frames)", lambda: api.query.task_frames(small, 1, 100)),
            ("queryTaskFrames 50k-frame task, page 1", lambda: api.query.task_frames(huge, 1, 100)),
            ("queryTaskFrames 50k-frame task, page 400", lambda: api.query.task_frames(huge, 400, 100)),
            ("queryTaskInfo (1 task)", lambda: api.query.task_info([newest])),
            ("queryAllFrameStats", lambda: api.query.all_frame_status()),
        ]
        print(f"\nstore: {tasks} tasks, {frames} frames; HTTP through rv_dcc.api, {args.repeat} calls each "
              f"(python {sys.version.split()[0]})")
        print(f"{'call':48} {'median ms':>10} {'p95 ms':>8}   target")
        for name, call in cases:
            times = sorted(timed(call, args.repeat))
            median = statistics.median(times)
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            verdict = "ok" if median < TARGET_MS else "OVER"
            print(f"{name:48} {median:10.2f} {p95:8.2f}   < {TARGET_MS:.0f} ms: {verdict}")
        api.close()
    if not args.keep:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
