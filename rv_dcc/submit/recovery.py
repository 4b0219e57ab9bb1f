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
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from rv_dcc.api.replies import to_wire
from rv_dcc.api.status import TaskStatus

if TYPE_CHECKING:
    from rv_dcc.api.client import RayvisionAPI


log = logging.getLogger("rv_dcc.submit.recovery")

#: taskStatus of a task that was created but not submitted yet: the farm analyses it ("50").
PRE_SUBMIT_STATUSES = frozenset({TaskStatus.ANALYSING})
#: How many of the newest task-list pages to scan when the keyword search finds nothing.
SCAN_PAGES = 5
PAGE_SIZE = 100


#: The name the submission code and its tests have used for :func:`rv_dcc.api.replies.to_wire`.
raw = to_wire


def _items(page: Any, operation: str = "getTaskList") -> List[Dict[str, Any]]:
    """The task records of a list reply; a reply that cannot be read raises, never reads as "none".

    "No task" decides whether a resume creates a task: a garbled page (``items`` not a list, a
    non-empty page without items, records without a readable id) is an InvalidReplyError, which
    the caller treats like a lost reply, never as an empty list.
    """
    from rv_dcc.api.errors import InvalidReplyError

    data = raw(page)
    if data is None:
        return []
    if isinstance(data, dict):
        items = data.get("items")
        if items is None:
            if str(data.get("total") or 0) not in ("0", "None"):
                raise InvalidReplyError(f"the farm's {operation} answer has no items but says total "
                                        f"{str(data.get('total'))[:20]}", operation=operation)
            return []
        data = items
    if not isinstance(data, list):
        raise InvalidReplyError(f"the farm's {operation} answer is a {type(data).__name__}, not a list of tasks",
                                operation=operation)
    records = [item for item in data if isinstance(item, dict)]
    for item in records:
        try:
            int(item.get("id"))  # type: ignore[arg-type]  # a missing id raises TypeError, reported below
        except (TypeError, ValueError):
            raise InvalidReplyError(f"the farm's {operation} answer has a task without a readable id "
                                    f"({str(item.get('id'))[:20]!r})", operation=operation) from None
    return records


def carries_marker(item: Dict[str, Any], marker: str) -> bool:
    """True when a task record mentions ``marker`` anywhere (labels, producer, keyword fields)."""
    return marker in json.dumps(item, ensure_ascii=False, default=str)


def find_task_by_marker(api: "RayvisionAPI", marker: str) -> Optional[Dict[str, Any]]:
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


def task_record(api: "RayvisionAPI", task_id: int) -> Optional[Dict[str, Any]]:
    """The task's record from ``queryTaskInfo`` (the parent task), or None when unknown."""
    items = _items(api.query.task_info(task_ids_list=[int(task_id)]), "queryTaskInfo")
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


def user_id(api: "RayvisionAPI") -> Optional[str]:
    """The account's user id (queryUserProfile)."""
    profile = raw(api.user.query_user_profile())
    if isinstance(profile, dict) and profile.get("userId") is not None:
        return str(profile["userId"])
    return None


def created_task(reply: Any) -> Any:
    """(task id, alias, user id) of a createTask answer; InvalidReplyError when it names no task.

    An unreadable answer is handled like a lost one (the caller asks the farm for the marker):
    the farm may well have made the task.
    """
    from rv_dcc.api.errors import InvalidReplyError

    ids = reply.get("taskIdList") if isinstance(reply, dict) else None
    try:
        task_id = int(ids[0]) if isinstance(ids, list) and ids and not isinstance(ids[0], bool) else None
    except (TypeError, ValueError):
        task_id = None
    if task_id is None or task_id <= 0:
        shown = json.dumps(reply, default=str)[:120]
        raise InvalidReplyError(f"the farm's answer to createTask names no task id: {shown}", operation="createTask")
    aliases = reply.get("aliasTaskIdList")
    alias = aliases[0] if isinstance(aliases, list) and aliases and isinstance(aliases[0], (str, int)) else None
    user = reply.get("userId") if isinstance(reply.get("userId"), (str, int)) else None
    return task_id, alias, user
