"""``rv-dcc status [TASK_ID]``: one task (its layers, cost and what to run next), or the task list.

With a task id, ``queryTaskInfo`` and the task's frames are asked: a short summary, the cost so
far and the projected total from the frames' real fees (the panel's figure), and the next
command (after test frames: ``rv-dcc start`` renders the rest). Without, the newest page of
``getTaskList``. ``--json`` follows docs/JSON.md (schema rv_dcc/schemas/status.json). Queries only.
"""
import argparse
from typing import Any, Dict, Optional

from rv_dcc.commands.connect import printable


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
    if all(isinstance(task.get(k), int) for k in ("doneFrames", "totalFrames")):  # frames, not render blocks
        from rv_dcc.monitor.progress import task_progress

        counted = task_progress(task)
        done, total, failed = str(counted.done), str(counted.total), counted.failed
    name = printable(task.get("sceneName"))
    alias = printable(task.get("taskAlias"), 20)
    extra = f", {printable(failed, 12)} failed" if failed else ""
    return f"{printable(task.get('id'), 20)}  {alias:<10} {text:<28} {done}/{total} frames{extra}  {name}"


def currency(api: Any) -> Any:
    """The account's :class:`~rv_dcc.monitor.funds.Funds` (zone 1: ¥, else $); $ when the profile
    cannot be read (money is still shown, in the common currency)."""
    from rv_dcc.monitor.funds import funds_of
    from rv_dcc.submit.recovery import raw

    try:
        return funds_of(raw(api.user.query_user_profile()) or {})
    except Exception:  # noqa: BLE001 - the profile is a nicety here; the task is what was asked
        return funds_of({})


def task_report(api: Any, task_id: int, record: Dict[str, Any]) -> Dict[str, Any]:
    """One task in the JSON convention, its cost from its frames' fees (the panel's figure:
    rv_dcc.monitor.cost.estimate_from_frames) and what to run next."""
    from rv_dcc.commands.jsonout import task
    from rv_dcc.commands.taskops import frame_rows
    from rv_dcc.monitor.cost import estimate_from_frames
    from rv_dcc.monitor.outcome import next_step

    funds = currency(api)
    report = task(record)
    estimate = estimate_from_frames(frame_rows(api, task_id))
    report["cost"].update(so_far=estimate.so_far, projected=estimate.projected, currency=funds.code)
    step = next_step(task_id, record, estimate.projected, funds.symbol)
    report["next"] = {"kind": step.kind, "command": step.command or None, "text": step.text}
    return report


def _run(args: Any) -> int:
    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.commands.jsonout import task
    from rv_dcc.errors import RvDccError
    from rv_dcc.monitor.funds import money_text
    from rv_dcc.submit.recovery import raw, task_record

    api = connect(args)
    try:
        if args.task_id is not None:
            from rv_dcc.commands.taskops import own_record

            found = task_record(api, args.task_id)
            record = own_record(found, args.task_id) or found  # a layer's id: that layer's own record
            if record is None:
                raise RvDccError(f"the farm has no task {args.task_id}",
                                 hint="Check the id with `rv-dcc status` (the task list).")
            report = task_report(api, args.task_id, record)
            if args.json:
                emit_json(report)
                return 0
            print(describe(record))
            subs = record.get("respRenderingTaskList")
            for sub in subs if isinstance(subs, list) else []:
                if isinstance(sub, dict):
                    layer = sub.get("layerName")
                    print("  " + describe(sub) + (f"  [{printable(layer, 60)}]" if layer else ""))
            symbol = "\u00a5" if report["cost"]["currency"] == "CNY" else "$"
            cost = report["cost"]
            print(f"cost so far {money_text(cost['so_far'], symbol)}, projected {money_text(cost['projected'], symbol)}")
            step = report["next"]
            if step["command"]:
                print(f"next: {step['text']}: {step['command']}")
            return 0
        page = raw(api.query.get_task_list(page_num=args.page, page_size=args.page_size))
        page = page if isinstance(page, dict) else {}
        items = [item for item in (page.get("items") or []) if isinstance(item, dict)] \
            if isinstance(page.get("items"), list) else []
        total = _number(page.get("total"))
        if args.json:
            emit_json({"page": _number(page.get("pageNum")) or args.page, "page_count": _number(page.get("pageCount")) or 1,
                       "total": total if total is not None else len(items), "tasks": [task(item) for item in items]})
            return 0
        if not items:
            print("no tasks")
        for item in items:
            print(describe(item))
        if total is not None and total > len(items):
            print(f"({len(items)} of {total}; --page N for more)")
        return 0
    finally:
        api.close()
