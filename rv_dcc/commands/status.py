"""``rv-dcc status [TASK_ID]``: one task's record as the service returns it, or the task list.

With a task id, ``queryTaskInfo`` is asked and the record is printed (``--json``: exactly the
service's JSON for the task, ``taskStatus`` included; otherwise a short summary). Without, the
newest page of ``getTaskList``. Queries only.
"""
import argparse
from typing import Any, Dict, Optional


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser, "task id (19002) or alias (2W19002); omit for the task list", nargs="?")
    parser.add_argument("--page", type=int, default=1, help="task list page (default 1)")
    parser.add_argument("--page-size", type=int, default=20, help="tasks per page (default 20)")


def run(args: Any) -> int:
    """Print a task or the task list."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def _number(value: Any) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def printable(value: Any, limit: int = 120) -> str:
    """``value`` as one line of text: control characters (NUL, newlines...) shown as ``?``."""
    text = "" if value is None else str(value)
    return "".join(ch if ch.isprintable() else "?" for ch in text[:limit])


def describe(task: Dict[str, Any]) -> str:
    """A one-line summary of a task record; wrongly typed values are shown as the farm sent them."""
    from rv_dcc.api.status import task_status_text

    status = task.get("taskStatus")
    code = _number(status)
    if status is None:
        text = "?"
    elif code is None:
        text = f"farm sent taskStatus {printable(status, 30)!r}"
    else:
        text = task_status_text(code)
    done, total = printable(task.get("doneFrames") or 0, 12), printable(task.get("totalFrames") or 0, 12)
    failed = task.get("failedFrames") or 0
    name = printable(task.get("sceneName"))
    alias = printable(task.get("taskAlias"), 20)
    extra = f", {printable(failed, 12)} failed" if failed else ""
    return f"{printable(task.get('id'), 20)}  {alias:<10} {text:<28} {done}/{total} frames{extra}  {name}"


def _run(args: Any) -> int:
    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.errors import RvDccError
    from rv_dcc.api.replies import to_wire
    from rv_dcc.submit.recovery import task_record

    api = connect(args)
    try:
        if args.task_id is not None:
            record = task_record(api, args.task_id)
            if record is None:
                raise RvDccError(f"the farm has no task {args.task_id}",
                                 hint="Check the id with `rv-dcc status` (the task list).")
            if args.json:
                emit_json(record)
            else:
                print(describe(record))
                subs = record.get("respRenderingTaskList")
                for sub in subs if isinstance(subs, list) else []:
                    if isinstance(sub, dict):
                        layer = sub.get("layerName")
                        print("  " + describe(sub) + (f"  [{printable(layer, 60)}]" if layer else ""))
            return 0
        page = to_wire(api.query.get_task_list(page_num=args.page, page_size=args.page_size))
        if args.json:
            emit_json(page)
            return 0
        page = page if isinstance(page, dict) else {}
        items = [item for item in (page.get("items") or []) if isinstance(item, dict)] \
            if isinstance(page.get("items"), list) else []
        if not items:
            print("no tasks")
        for item in items:
            print(describe(item))
        total = _number(page.get("total"))
        if total is not None and total > len(items):
            print(f"({len(items)} of {total}; --page N for more)")
        return 0
    finally:
        api.close()
