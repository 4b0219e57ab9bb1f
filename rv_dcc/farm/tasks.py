"""Task creation and submission: createTask, taskJsonFile, submit/task.

``createTask`` reserves ids (aliases ``2W<id>``); ``taskJsonFile`` checks and stores the four
task files (in the database and under ``storage/config/<taskId>/cfg/``); ``submit/task``
expands task.json into sub-tasks and frames: priority frames first (frameType 4, from
``pre_frames``), the rest in blocks of ``frames_per_task`` (frameType 5), waiting (1) — or
waiting for the priority frames (8) when there are any.
"""
import json
import os
import random
import sqlite3
from typing import Any, Dict, List, Optional, Tuple

from rv_dcc.farm import catalog, tips
from rv_dcc.farm.errors import INVALID, Body, FarmError, not_found
from rv_dcc.farm.frames import blocks, format_block, priority_frames
from rv_dcc.farm.image_formats import scene_format
from rv_dcc.farm.render import output_name
from rv_dcc.farm.state import now_ms, recount
from rv_dcc.farm.taskfiles import FILE_NAMES, RenderUnit, check_file, fill_ids, render_units, scene_name, server_path, \
    storage_path

MAX_CREATE = 100


def get_task(conn: sqlite3.Connection, task_id: int) -> sqlite3.Row:
    """A live (not deleted) task row or a 404."""
    row = conn.execute("SELECT * FROM tasks WHERE id = ? AND is_delete = 1", (task_id,)).fetchone()
    if row is None:
        raise not_found("task", task_id)
    return row


def ensure_label(conn: sqlite3.Connection, name: str, status: int = 1) -> int:
    """The id of label/project ``name``, created when missing."""
    row = conn.execute("SELECT id FROM labels WHERE name = ?", (name,)).fetchone()
    if row:
        return int(row[0])
    return int(conn.execute("INSERT INTO labels(name, status) VALUES (?, ?)", (name, status)).lastrowid or 0)


def create_task(ctx: Any, body: Body) -> Dict[str, Any]:
    """createTask: reserve ``count`` task ids."""
    count = body.num_or("count", default=1, minimum=1, maximum=MAX_CREATE)
    level = body.num_or("taskUserLevel", default=50, minimum=0, maximum=100)
    out_user = body.num("outUserId")
    clone = body.num("cloneOriginalId")
    artist = body.text("artist", max_length=200)
    labels = body.texts("labels", max_items=50)
    now = now_ms()
    with ctx.store.write() as conn:
        if clone is not None:
            get_task(conn, clone)
        ids = ctx.store.reserve_task_ids(conn, count)
        for task_id in ids:
            conn.execute("INSERT INTO tasks(id, status, task_user_level, out_user_id, clone_original_id, artist, "
                         "producer, created_ms) VALUES (?, 50, ?, ?, ?, ?, ?, ?)",
                         (task_id, level, out_user, clone, artist, artist, now))
            for name in labels:
                conn.execute("INSERT OR IGNORE INTO task_labels(task_id, label_id) VALUES (?, ?)",
                             (task_id, ensure_label(conn, name)))
        ctx.store.record(conn, "task", now, json.dumps({"action": "createTask", "taskIds": ids}))
    return {"aliasTaskIdList": [f"2W{i}" for i in ids], "taskIdList": ids, "userId": catalog.USER_ID}


def task_json_file(ctx: Any, body: Body) -> None:
    """taskJsonFile: check and store one of the four task files."""
    task_id = body.need("taskId")
    name = body.text_or("fileName", default="task.json")
    content = body.data.get("content")
    if content is None or content == "":
        raise FarmError(601, "parameter 'content' can't be empty: send the file's JSON text", "content")
    if isinstance(content, (dict, list)):
        content = json.dumps(content)  # a caller that sent the object itself: accept it as its text
    if not isinstance(content, str):
        raise FarmError(INVALID, "parameter 'content' must be the file's JSON text (a string)", "content")
    with ctx.store.read() as conn:
        task = get_task(conn, task_id)
    if task["parent_id"]:
        raise FarmError(INVALID, f"task {task_id} is a sub-task; upload task files for its task {task['parent_id']}",
                        "taskId")
    if task["submitted"]:
        raise FarmError(INVALID, f"task {task_id} was already submitted; its task files can no longer change "
                                 "(create a new task)", "taskId")
    data = check_file(name or "task.json", content, task_id, catalog.USER_ID)
    if name == "task.json" and fill_ids(data, task_id, catalog.USER_ID):
        content = json.dumps(data, ensure_ascii=False, indent=1)
    folder = ctx.store.path("storage", "config", str(task_id), "cfg")
    os.makedirs(folder, exist_ok=True)
    with ctx.store.write() as conn:
        conn.execute("INSERT INTO task_files(task_id, file_name, content) VALUES (?, ?, ?) "
                     "ON CONFLICT(task_id, file_name) DO UPDATE SET content = excluded.content",
                     (task_id, name, content))
        tmp = os.path.join(folder, name + ".part")
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, os.path.join(folder, name))
    return None


def _files(conn: sqlite3.Connection, task_id: int) -> Dict[str, Any]:
    return {row["file_name"]: json.loads(row["content"]) for row in conn.execute(
        "SELECT file_name, content FROM task_files WHERE task_id = ?", (task_id,))}


def _scene_server_path(files: Dict[str, Any], local: str) -> str:
    for item in (files.get("upload.json") or {}).get("scene", []) + (files.get("upload.json") or {}).get("asset", []):
        if isinstance(item, dict) and item.get("local") == local and isinstance(item.get("server"), str):
            return storage_path(item["server"])
    return server_path(local)


def submit_task(ctx: Any, body: Body) -> None:
    """submit/task: expand task.json into sub-tasks and frames; the scheduler takes it from there."""
    task_id = body.need("taskId")
    producer = body.text("producer", max_length=200)
    now = now_ms()
    with ctx.store.write() as conn:
        task = get_task(conn, task_id)
        files = _submittable_files(conn, task)
        data = files["task.json"]
        info = data["task_info"]
        units = render_units(data)
        scene = scene_name(info)
        settings, options = _settings(ctx, files, units, scene)
        leaves = [task_id] if len(units) == 1 else ctx.store.reserve_task_ids(conn, len(units))
        for leaf, unit in zip(leaves, units):
            leaf_options = _submit_leaf(conn, task, leaf, unit, dict(settings, submitted=1, submit_ms=now), options,
                                        producer, info, scene_format(data, unit.layer))
        parent = dict(settings, submitted=1, submit_ms=now, frames_range=",".join(_range_text(u) for u in units),
                      camera=",".join(sorted({u.camera for u in units if u.camera})),
                      output_name=output_name(task_id, scene))
        if producer:
            parent["producer"] = producer
        if len(units) == 1:
            parent["layer_name"] = units[0].layer
            parent["render_options"] = leaf_options  # the task is its own (only) leaf
        _set(conn, task_id, parent)
        for leaf in leaves:
            recount(conn, leaf, now)
        ctx.store.record(conn, "task", now, json.dumps({"action": "submit", "taskId": task_id,
                                                        "subTasks": leaves if len(leaves) > 1 else []}))
    ctx.wake()
    return None


def _submittable_files(conn: sqlite3.Connection, task: sqlite3.Row) -> Dict[str, Any]:
    """The task files of a task that may be submitted now (a FarmError says why not)."""
    task_id = task["id"]
    if task["submitted"]:
        raise FarmError(INVALID, f"task {task_id} was already submitted", "taskId")
    if task["parent_id"]:
        raise FarmError(INVALID, f"task {task_id} is a sub-task; submit its task {task['parent_id']}", "taskId")
    files = _files(conn, task_id)
    if "task.json" not in files:
        raise FarmError(INVALID, f"task {task_id} has no task.json: upload it with taskJsonFile "
                                 "before submit/task", "taskId")
    blocking = [code for code in (files.get("tips.json") or {}) if tips.is_blocking(code)]
    if blocking:
        details = "; ".join(f"{c} {(tips.describe(c, 1) or {}).get('desDescriptionCn', '')}" for c in blocking)
        raise FarmError(INVALID, f"task {task_id} cannot be submitted: tips.json reports blocking errors "
                                 f"({details}); fix the scene and upload a new tips.json", "taskId")
    return files


def _settings(ctx: Any, files: Dict[str, Any], units: List[RenderUnit],
              scene: str) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The task's columns from task.json (shared by the task and its sub-tasks), and its render options."""
    data = files["task.json"]
    info = data["task_info"]
    blender = int(info["cg_id"]) == 2007
    blend = ctx.store.path("storage", "input") + _scene_server_path(files, info["input_cg_file"]) if blender else ""
    options = {"scene": (data["scene_info_render"].get("common", {}).get("scene_name") or [""])[0]
               if blender else "", "camera": units[0].camera}
    hardware = [int(h) for h in info.get("hardwareConfigIds", [])] or [catalog.DEFAULT_HARDWARE_ID]
    settings = {
        "cg_id": int(info["cg_id"]), "scene_name": scene, "project_name": info.get("project_name", ""),
        "job_stop_time": int(info.get("job_stop_time") or 259200),
        "over_time_stop": int(info.get("task_stop_time") or 0), "task_over_time": int(info.get("time_out") or 43200),
        "stop_after_test": 1 if info.get("stop_after_test", "2") == "1" else 0,
        "hardware_ids": json.dumps(hardware), "ram": int(info.get("ram") or 64),
        "gpu": 1 if any(catalog.hardware_is_gpu(h) for h in hardware) else 0,
        "blend_path": blend, "render_options": json.dumps(options),
    }
    return settings, options


def _submit_leaf(conn: sqlite3.Connection, task: sqlite3.Row, leaf: int, unit: RenderUnit, settings: Dict[str, Any],
                 options: Dict[str, Any], producer: Optional[str], info: Dict[str, Any], image_format: str) -> str:
    """Set up one render unit as task ``leaf`` (a new sub-task unless it is the task itself) with
    its frames; returns its render options (with the image format the scene asked for: render.py
    writes it, or PNG when it cannot)."""
    task_id = task["id"]
    if leaf != task_id:
        conn.execute("INSERT INTO tasks(id, parent_id, status, task_user_level, producer, artist, created_ms) "
                     "VALUES (?, ?, 0, ?, ?, ?, ?)", (leaf, task_id, task["task_user_level"],
                                                     producer or task["producer"], task["artist"],
                                                     settings["submit_ms"]))
        conn.execute("INSERT INTO task_labels(task_id, label_id) SELECT ?, label_id FROM task_labels "
                     "WHERE task_id = ?", (leaf, task_id))
    leaf_options = json.dumps(dict(options, format=image_format))
    if unit.single_block:  # a cache/simulation node writes cache files, not images (render.py)
        leaf_options = json.dumps(dict(options, kind="cache"))
    _set(conn, leaf, dict(settings, layer_name=unit.layer, camera=unit.camera, frames_range=_range_text(unit),
                          output_name=output_name(leaf, settings["scene_name"]), render_options=leaf_options))
    _insert_frames(conn, leaf, unit, int(info.get("frames_per_task") or 1), info.get("pre_frames", "000"))
    return leaf_options


def _range_text(unit: RenderUnit) -> str:
    text = format_block(unit.frames)
    return f"{unit.gop_name}{text}" if unit.gop_name else text


def _set(conn: sqlite3.Connection, task_id: int, values: Dict[str, Any]) -> None:
    columns = ", ".join(f"{key} = ?" for key in values)
    conn.execute(f"UPDATE tasks SET {columns} WHERE id = ?", (*values.values(), task_id))


def _insert_frames(conn: sqlite3.Connection, task_id: int, unit: RenderUnit, per_task: int, pre: str) -> None:
    rows: List[tuple] = []
    rng = random.Random(task_id)
    if unit.single_block:
        groups = [(5, 1, unit.frames)]
    else:
        first = priority_frames(unit.frames, pre)
        chosen = set(first)
        rest = [f for f in unit.frames if f not in chosen]
        groups = [(4, 1, [f]) for f in first]
        groups += [(5, 8 if first else 1, block) for block in blocks(rest, per_task)]
    for frame_type, status, numbers in groups:
        seconds = sum(rng.randint(20, 90) for _ in numbers)
        rows.append((task_id, format_block(numbers), ",".join(str(n) for n in numbers), frame_type, status,
                     seconds, unit.gop_name))
    conn.executemany("INSERT INTO frames(task_id, frame_index, frame_numbers, frame_type, status, sim_seconds, "
                     "gop_name) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


__all__ = ["FILE_NAMES", "create_task", "ensure_label", "get_task", "submit_task", "task_json_file"]
