"""Asking the farm what it already did, so a resumed submission never does it twice.

Two calls of the submission cannot be repeated safely: ``createTask`` (each call is a new task)
and ``submit/task``. When a reply is lost (connection cut, process killed) the journal knows the
call was *requested* but not whether the farm acted. These helpers answer that from the farm:
:func:`find_task_by_marker` looks for the task created with the journal's marker label (the
task list searched by keyword, then the newest pages scanned), and :func:`is_submitted` reads
the task's record. Only queries are sent here (safe to repeat). No state, no secrets.
"""
import json
import logging
from typing import Any, Dict, List, Optional

log = logging.getLogger("rv_dcc.submit.recovery")

#: taskStatus of a task that was created but not submitted yet: the farm analyses it ("50").
PRE_SUBMIT_STATUSES = frozenset({50})
#: How many of the newest task-list pages to scan when the keyword search finds nothing.
SCAN_PAGES = 5
PAGE_SIZE = 100


def raw(value: Any) -> Any:
    """A client reply as the decoded JSON the service sent (wire keys), whatever wraps it."""
    to_wire = getattr(value, "to_wire", None)
    if callable(to_wire):
        return to_wire()
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(by_alias=True)
    if isinstance(value, dict):
        return {k: raw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [raw(v) for v in value]
    return value


def _items(page: Any) -> List[Dict[str, Any]]:
    data = raw(page)
    if isinstance(data, dict):
        data = data.get("items") or []
    return [item for item in (data or []) if isinstance(item, dict)]


def carries_marker(item: Dict[str, Any], marker: str) -> bool:
    """True when a task record mentions ``marker`` anywhere (labels, producer, keyword fields)."""
    return marker in json.dumps(item, ensure_ascii=False, default=str)


def find_task_by_marker(api: Any, marker: str) -> Optional[Dict[str, Any]]:
    """The task record carrying ``marker``, or None when the farm has no such task.

    Raises the client's errors when the farm cannot be asked: "could not ask" must never be
    read as "there is no task", or a resume would create a second one.
    """
    found = [item for item in _items(api.query.get_task_list(page_num=1, page_size=PAGE_SIZE,
                                                              search_keyword=marker))
             if carries_marker(item, marker)]
    if not found:
        # Not every service searches labels by keyword: scan the newest tasks too.
        for page_num in range(1, SCAN_PAGES + 1):
            items = _items(api.query.get_task_list(page_num=page_num, page_size=PAGE_SIZE))
            found.extend(item for item in items if carries_marker(item, marker))
            if found or len(items) < PAGE_SIZE:
                break
    if not found:
        return None
    ids = sorted({int(item["id"]) for item in found if item.get("id") is not None})
    if len(ids) > 1:
        # Cannot happen through this pipeline (one createTask per marker); say so loudly.
        log.error("the farm holds %d tasks with marker %s: %s", len(ids), marker, ids)
    return next(item for item in found if int(item.get("id", -1)) == ids[0])


def task_record(api: Any, task_id: int) -> Optional[Dict[str, Any]]:
    """The task's record from ``queryTaskInfo`` (the parent task), or None when unknown."""
    items = _items(api.query.task_info(task_ids_list=[int(task_id)]))
    for item in items:
        if int(item.get("id", -1)) == int(task_id):
            return item
    return items[0] if items else None


def is_submitted(record: Optional[Dict[str, Any]]) -> bool:
    """Whether a task record shows that ``submit/task`` took effect."""
    if not record:
        return False
    status = record.get("taskStatus")
    if record.get("submitDate") or (record.get("totalFrames") or 0) > 0 or record.get("respRenderingTaskList"):
        return True
    return status is not None and int(status) not in PRE_SUBMIT_STATUSES


def user_id(api: Any) -> Optional[str]:
    """The account's user id (queryUserProfile)."""
    profile = raw(api.user.query_user_profile())
    if isinstance(profile, dict) and profile.get("userId") is not None:
        return str(profile["userId"])
    return None
