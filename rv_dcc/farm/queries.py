"""Read-only operations: task list and details, frames, frame statistics, logs, thumbnails,
3ds Max progress images and operation records — in the shapes of spec/api_reference.md.

Task counters come from the tasks table (kept current by ``state.recount``), so a list page is
two indexed queries whatever the number of frames stored.
"""
import json
import math
import sqlite3
import time
from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence

from rv_dcc.farm import catalog
from rv_dcc.farm.errors import INVALID, Body, FarmError, not_found
from rv_dcc.farm.render import OUTPUT_SIZE
from rv_dcc.farm.state import leaves, now_ms
from rv_dcc.farm.tasks import get_task


def page(items: List[Any], page_num: int, page_size: int, total: int) -> Dict[str, Any]:
    """The service's paged shape."""
    return {"pageCount": max(1, math.ceil(total / page_size)) if page_size else 1, "pageNum": page_num,
            "total": total, "size": page_size, "items": items}


def fmt_time(ms: Optional[int]) -> Optional[str]:
    """Epoch ms as the service's "yyyy-MM-dd HH:mm:ss" (local time)."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ms / 1000)) if ms else None


def task_item(row: sqlite3.Row, labels: Optional[str], children: Optional[List[Dict[str, Any]]]) -> Dict[str, Any]:
    """One TaskInfo item."""
    fee, coupon = row["fee"], row["coupon_fee"]
    cameras = row["camera"] or ""
    return {
        "sceneName": row["scene_name"], "id": row["id"], "taskAlias": f"2W{row['id']}", "taskStatus": row["status"],
        "statusText": f"render_task_status_{row['status']}", "preTaskStatus": None, "preStatusText": None,
        "totalFrames": row["total_frames"], "abortFrames": row["abort_frames"],
        "executingFrames": row["executing_frames"], "doneFrames": row["done_frames"],
        "failedFrames": row["failed_frames"], "framesRange": row["frames_range"], "projectName": row["project_name"],
        "renderConsume": round(fee + coupon, 4), "taskArrears": 0, "submitDate": row["submit_ms"],
        "startTime": row["start_ms"], "completedDate": row["completed_ms"], "renderDuration": row["render_seconds"],
        "userName": catalog.USER_NAME, "producer": row["producer"], "taskLevel": 79, "taskUserLevel": row["task_user_level"],
        "taskLimit": row["task_limit"], "taskOverTime": row["task_over_time"], "overTimeStop": row["over_time_stop"],
        "userId": catalog.USER_ID, "outputFileName": row["output_name"] or None, "munuTaskId": str(row["id"]),
        "munuTaskIds": str(row["id"]), "layerParentId": row["parent_id"], "cgId": row["cg_id"],
        "taskKeyValueVo": {"tiles": "1", "allCamera": cameras or None, "renderableCamera": cameras or None},
        "userAccountConsume": round(fee, 4), "couponConsume": round(coupon, 4), "qyCouponConsume": None,
        "isOpen": 1 if children else 0, "taskType": "Render", "renderCamera": cameras,
        "cloneParentId": 0, "cloneOriginalId": row["clone_original_id"] or 0, "shareMainCapital": 0,
        "taskRam": row["ram"], "respRenderingTaskList": children or [], "layerName": row["layer_name"],
        "taskTypeText": "render_major_picture_task", "locationOutput": "", "isDelete": row["is_delete"],
        "channel": 4, "remark": "", "labels": labels, "isOverTime": 1 if row["render_seconds"] > row["task_over_time"] else 0,
        "waitingCount": row["waiting_frames"], "stopType": 0, "bid": catalog.OUTPUT_BID,
    }


def _items(conn: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> List[Dict[str, Any]]:
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    kids: Dict[int, List[sqlite3.Row]] = {}
    for child in conn.execute(f"SELECT * FROM tasks WHERE parent_id IN ({marks}) AND is_delete = 1 ORDER BY id", ids):
        kids.setdefault(child["parent_id"], []).append(child)
    every = ids + [c["id"] for group in kids.values() for c in group]
    labels: Dict[int, Dict[str, str]] = {}
    for chunk in range(0, len(every), 500):
        part = every[chunk:chunk + 500]
        for task_id, label_id, name in conn.execute(
                "SELECT t.task_id, l.id, l.name FROM task_labels t JOIN labels l ON l.id = t.label_id "
                f"WHERE t.task_id IN ({','.join('?' * len(part))})", part):
            labels.setdefault(task_id, {})[str(label_id)] = name

    def text(task_id: int) -> str:
        return json.dumps(labels.get(task_id, {}), ensure_ascii=False)

    return [task_item(r, text(r["id"]), [task_item(c, text(c["id"]), None) for c in kids.get(r["id"], [])])
            for r in rows]


def _epoch_ms(text: str, field: str) -> int:
    try:
        return int(datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S").timestamp() * 1000)
    except ValueError:
        raise FarmError(INVALID, f"parameter '{field}' must look like 2024-01-31 18:00:00, not {text!r}", field) from None


def get_task_list(ctx: Any, body: Body) -> Dict[str, Any]:
    """getTaskList: a page of top-level tasks, newest first, with their sub-tasks."""
    page_num = body.num_or("pageNum", default=1, minimum=1)
    page_size = body.num_or("pageSize", default=100, minimum=1, maximum=1000)
    where = ["parent_id = 0", "is_delete = ?"]
    params: List[Any] = [0 if body.num_or("recycleFlag", default=0) == 1 else 1]
    statuses = body.ints("statusList")
    if statuses:
        where.append(f"status IN ({','.join('?' * len(statuses))})")
        params += statuses
    keyword = body.text("searchKeyword", max_length=200)
    if keyword:
        bare = keyword[2:] if keyword.upper().startswith("2W") else keyword
        where.append("(scene_name LIKE ? OR project_name LIKE ? OR CAST(id AS TEXT) LIKE ? OR producer LIKE ?)")
        params += [f"%{keyword}%", f"%{keyword}%", f"%{bare}%", f"%{keyword}%"]
    for field, op in (("startTime", ">="), ("endTime", "<=")):
        text = body.text(field)
        if text:
            where.append(f"COALESCE(submit_ms, created_ms) {op} ?")
            params.append(_epoch_ms(text, field))
    clause = " AND ".join(where)
    with ctx.store.read() as conn:
        total = conn.execute(f"SELECT COUNT(*) FROM tasks WHERE {clause}", params).fetchone()[0]
        rows = conn.execute(f"SELECT * FROM tasks WHERE {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
                            (*params, page_size, (page_num - 1) * page_size)).fetchall()
        return page(_items(conn, rows), page_num, page_size, total)


def query_task_info(ctx: Any, body: Body) -> Dict[str, Any]:
    """queryTaskInfo: details of the given tasks (top-level or sub-tasks)."""
    ids = body.ints("taskIds", required=True, max_items=1000)
    with ctx.store.read() as conn:
        rows = conn.execute(f"SELECT * FROM tasks WHERE id IN ({','.join('?' * len(ids))}) AND is_delete = 1 "
                            "ORDER BY id DESC", ids).fetchall()
        if not rows:
            raise not_found("task", ", ".join(str(i) for i in ids))
        return page(_items(conn, rows), 1, 100, len(rows))


def frame_item(row: sqlite3.Row, task: sqlite3.Row, now: int, speed: float) -> Dict[str, Any]:
    """One FrameInfo item."""
    status = row["status"]
    current = int((now - row["start_ms"]) / 1000 * speed) if status == 2 and row["start_ms"] else 0
    numbers = row["frame_numbers"].split(",")
    return {
        "id": row["id"], "userId": None, "framePrice": None, "feeType": None, "platform": None,
        "frameIndex": row["frame_index"], "frameStatus": status, "feeAmount": row["fee"],
        "startTime": row["start_ms"], "endTime": row["end_ms"], "frameExecuteTime": row["execute_seconds"],
        "currentRenderTime": min(current, row["sim_seconds"]), "frameStatusText": f"task_frame_status_{status}",
        "arrearsFee": None, "munuJobId": str(row["id"]), "taskId": row["task_id"], "munuTaskId": str(row["task_id"]),
        "frameType": row["frame_type"], "couponFee": row["coupon_fee"], "recommitFlag": row["recommit"],
        "isCopy": None, "frameBlock": numbers[0] if numbers else "", "taskOverTime": task["task_over_time"],
        "gopName": row["gop_name"], "frameRam": task["ram"], "averageCpu": 92 if status == 4 else 0,
        "averageMemory": 2240647168 if status == 4 else 0,
        "isOverTime": 1 if row["execute_seconds"] > task["task_over_time"] else 0, "overOneMonth": None,
        "renderRam": None, "nodeId": f"10.60.3.{row['id'] % 250 + 1}" if row["start_ms"] else "",
        "openRenderRam": None,
    }


def query_task_frames(ctx: Any, body: Body) -> Dict[str, Any]:
    """queryTaskFrames: a page of a task's frames (a parent task pages all its sub-tasks' frames)."""
    task_id = body.need("taskId")
    page_num = body.num_or("pageNum", default=1, minimum=1)
    page_size = body.num_or("pageSize", default=100, minimum=1, maximum=1000)
    keyword = body.text("searchKeyword", max_length=100)
    with ctx.store.read() as conn:
        get_task(conn, task_id)
        ids = leaves(conn, [task_id])
        tasks = {r["id"]: r for r in conn.execute(
            f"SELECT * FROM tasks WHERE id IN ({','.join('?' * len(ids))})", ids)}
        where = f"task_id IN ({','.join('?' * len(ids))})"
        params: List[Any] = list(ids)
        if keyword:
            where += " AND frame_index LIKE ?"
            params.append(f"%{keyword}%")
        if len(ids) == 1 and not keyword:
            total = tasks[ids[0]]["total_frames"]
        else:
            total = conn.execute(f"SELECT COUNT(*) FROM frames WHERE {where}", params).fetchone()[0]
        rows = conn.execute(f"SELECT * FROM frames WHERE {where} ORDER BY task_id, id LIMIT ? OFFSET ?",
                            (*params, page_size, (page_num - 1) * page_size)).fetchall()
        now = now_ms()
        return page([frame_item(r, tasks[r["task_id"]], now, ctx.speed) for r in rows], page_num, page_size, total)


def query_all_frame_stats(ctx: Any, body: Body) -> Dict[str, Any]:
    """queryAllFrameStats: frame totals over every live render task."""
    with ctx.store.read() as conn:
        row = conn.execute(
            "SELECT COALESCE(SUM(executing_frames), 0), COALESCE(SUM(done_frames), 0), COALESCE(SUM(failed_frames), 0), "
            "COALESCE(SUM(waiting_frames), 0), COALESCE(SUM(abort_frames), 0), COALESCE(SUM(total_frames), 0) "
            "FROM tasks t WHERE is_delete = 1 AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id)"
        ).fetchone()
    keys = ("executingFramesTotal", "doneFramesTotal", "failedFramesTotal", "waitingFramesTotal",
            "abandonFramesTotal", "totalFrames")
    return dict(zip(keys, row))


def _frame(conn: sqlite3.Connection, frame_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT f.* FROM frames f JOIN tasks t ON t.id = f.task_id WHERE f.id = ? AND t.is_delete = 1",
                       (frame_id,)).fetchone()
    if row is None:
        raise not_found("frame", frame_id)
    return row


def show_log(ctx: Any, body: Body) -> Dict[str, Any]:
    """showLog: a frame's render log, paged by line."""
    frame_id = body.need("id")
    page_num = body.num_or("pageNum", default=1, minimum=1)
    page_size = body.num_or("pageSize", default=100, minimum=1, maximum=10000)
    with ctx.store.read() as conn:
        row = _frame(conn, frame_id)
    lines = row["log"].splitlines() if row["log"] else [f"frame {row['frame_index']}: "
                                                         f"{'waiting to render' if row['status'] in (1, 8) else 'no log yet'}"]
    start = (page_num - 1) * page_size
    return page(lines[start:start + page_size], page_num, page_size, len(lines))


def loading_frame_thumbnail(ctx: Any, body: Body) -> List[str]:
    """loadingFrameThumbnail: the URLs of a finished frame's thumbnails ([] until it is done)."""
    frame_id = body.need("id")
    with ctx.store.read() as conn:
        row = _frame(conn, frame_id)
    if row["status"] != 4:
        return []
    return [ctx.file_url("thumbs", rel) for rel in json.loads(row["thumbs"])]


def load_task_process_img(ctx: Any, body: Body) -> Dict[str, Any]:
    """loadTaskProcessImg: per-frame progress of a 3ds Max task (grabInfo empty for other hosts)."""
    task_id = body.need("taskId")
    body.num("frameType")
    with ctx.store.read() as conn:
        task = get_task(conn, task_id)
        ids = leaves(conn, [task_id])
        rows = conn.execute(f"SELECT * FROM frames WHERE task_id IN ({','.join('?' * len(ids))}) AND status IN (2, 4) "
                            "ORDER BY id LIMIT 200", ids).fetchall() if task["cg_id"] == 2001 else []
    now, grab = now_ms(), []
    for row in rows:
        thumbs = json.loads(row["thumbs"])
        done = row["status"] == 4
        used = row["execute_seconds"] if done else int((now - row["start_ms"]) / 1000 * ctx.speed)
        grab.append([{
            "couponFee": f"{row['coupon_fee'] or 0:.2f}", "frameIndex": row["frame_index"], "renderInfo": "",
            "frameBlock": None, "frameEst": "0" if done else str(max(0, row["sim_seconds"] - used)),
            "grabUrl": ctx.file_url("thumbs", thumbs[0]) if thumbs else "", "feeAmount": f"{row['fee'] or 0:.2f}",
            "frameUsed": str(used), "frameStatus": str(row["status"]),
            "framePercent": "100" if done else str(min(99, int(100 * used / max(1, row["sim_seconds"])))),
            "isMaxPrice": "0", "startTime": fmt_time(row["start_ms"]), "endTime": fmt_time(row["end_ms"]) or "",
        }])
    return {"isRenderPhoton": False, "completedTime": fmt_time(task["completed_ms"]), "currentTaskType": "Render",
            "sceneName": f"{task['scene_name']}-{(task['camera'] or '').split(',')[0]}", "grabInfo": grab,
            "width": OUTPUT_SIZE[0], "block": 1, "startTime": fmt_time(task["start_ms"]), "height": OUTPUT_SIZE[1],
            "endTime": fmt_time(task["completed_ms"])}


def records(kind: str):
    """taskRecord / loginRecord: the farm's operation records, paged, newest first."""
    def handler(ctx: Any, body: Body) -> Dict[str, Any]:
        page_num = body.num_or("pageNum", default=1, minimum=1)
        page_size = body.num_or("pageSize", default=10, minimum=1, maximum=1000)
        where: List[str] = ["kind = ?"]
        params: List[Any] = [kind]
        for field, op, suffix in (("startDate", ">=", " 00:00:00"), ("endDate", "<=", " 23:59:59")):
            text = body.text(field)
            if text:
                where.append(f"time_ms {op} ?")
                params.append(_epoch_ms(text if ":" in text else text + suffix, field))
        clause = " AND ".join(where)
        with ctx.store.read() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM records WHERE {clause}", params).fetchone()[0]
            rows = conn.execute(f"SELECT * FROM records WHERE {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
                                (*params, page_size, (page_num - 1) * page_size)).fetchall()
        items = [dict(json.loads(r["text"]), id=r["id"], time=fmt_time(r["time_ms"]), userId=catalog.USER_ID)
                 for r in rows]
        return page(items, page_num, page_size, total)
    return handler
