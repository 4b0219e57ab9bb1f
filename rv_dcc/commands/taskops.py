"""Shared by the task commands (stop, start, priority, abandon, delete, retry, frames, log).

The same client calls the panel's monitor makes (``api.task.stop_task(task_param_list=ids)``...),
run on one task named on the command line: the task is looked up first (an unknown id is said
as such, nothing is sent), the action is sent, and the task is read back so the person sees the
farm's state after it, not an assumption. Destructive actions ask first on a terminal; without a
terminal they need ``--yes``. Not a subcommand.
"""
import argparse
import sys
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional


if TYPE_CHECKING:
    from rv_dcc.api.client import RayvisionAPI

#: exit code of a refused confirmation / missing --yes (a usage error: nothing was sent)
REFUSED = 2


def add_yes(parser: argparse.ArgumentParser) -> None:
    """``--yes``: do it without asking (needed when there is no terminal to ask on)."""
    parser.add_argument("--yes", "-y", action="store_true",
                        help="do not ask for confirmation (required without a terminal)")


def status_of(record: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """``{"status": name, "status_code": code}`` of a task record (docs/JSON.md; code None and
    name ``unknown`` when unreadable)."""
    from rv_dcc.commands.jsonout import task_status

    return task_status((record or {}).get("taskStatus"))


def existing_task(api: "RayvisionAPI", task_id: int) -> Dict[str, Any]:
    """The task's record (a layer's own record for a sub-task id); an RvDccError naming the id
    when the farm has no such task."""
    from rv_dcc.errors import RvDccError
    from rv_dcc.submit.recovery import task_record

    record = own_record(task_record(api, task_id), task_id)
    if record is None:
        raise RvDccError(f"the farm has no task {task_id}",
                         hint="Check the id with `rv-dcc status` (the task list); nothing was sent.")
    return record


def own_record(record: Optional[Dict[str, Any]], task_id: int) -> Optional[Dict[str, Any]]:
    """``task_id``'s own record in a ``queryTaskInfo`` record: itself, one of its layers, or None."""
    if not isinstance(record, dict):
        return None
    if _number(record.get("id")) == task_id:
        return record
    subs = record.get("respRenderingTaskList")
    for sub in subs if isinstance(subs, list) else []:
        if isinstance(sub, dict) and _number(sub.get("id")) == task_id:
            return sub
    return None


def _number(value: Any) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def label(task_id: int, record: Optional[Dict[str, Any]]) -> str:
    """``task 19002 (shot010.ma)``: how a task is named in questions and results."""
    from rv_dcc.commands.connect import printable

    name = printable((record or {}).get("sceneName"), 60)
    return f"task {task_id}" + (f" ({name})" if name else "")


def confirmed(args: Any, question: str) -> Optional[int]:
    """None when the action may go ahead, else the exit code to return (nothing was sent).

    ``--yes`` goes ahead. On a terminal the person is asked; without one the command refuses
    and says to add ``--yes`` (a script must say so explicitly).
    """
    from rv_dcc.commands.connect import emit_json

    if getattr(args, "yes", False):
        return None
    prefix = f"rv-dcc {args.command}"
    if not _interactive():
        message = f"{question[:-1] if question.endswith('?') else question}: not done without confirmation"
        hint = "There is no terminal to ask on: add --yes to confirm."
        if args.json:
            emit_json({"error": "ConfirmationRequired", "message": message, "hint": hint})
        sys.stderr.write(f"{prefix}: {message} — {hint}\n")
        return REFUSED
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() in ("y", "yes"):
        return None
    sys.stderr.write(f"{prefix}: cancelled; nothing was sent to the farm\n")
    return REFUSED


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed or replaced stdin
        return False


def run_action(args: Any, action: str, call: Callable[[Any, int], Any], question: Optional[str] = None,
               done: str = "", extra: Optional[Callable[[Dict[str, Any]], Dict[str, Any]]] = None) -> int:
    """Look the task up, confirm when ``question`` is given, ``call(api, task_id)``, read back.

    Prints ``task N (scene): <status now> (was <status before>)`` or, with --json, one object:
    ``task_id``, ``action``, ``status``/``status_code`` now (``deleted`` true when the task is
    gone from the list), ``priority`` (its taskUserLevel), ``before`` (its status before) and
    what ``extra(record after)`` adds.
    """
    from rv_dcc.api.errors import NotFoundError
    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.submit.recovery import task_record

    api = connect(args)
    try:
        task_id = int(args.task_id)
        record = existing_task(api, task_id)
        before = status_of(record)
        if question is not None:
            refused = confirmed(args, question.format(task=label(task_id, record), **before))
            if refused is not None:
                return refused
        call(api, task_id)
        try:
            after_record = own_record(task_record(api, task_id), task_id)
        except NotFoundError:  # a deleted task is not found any more
            after_record = None
        after = status_of(after_record)
    finally:
        api.close()
    result: Dict[str, Any] = {"task_id": task_id, "action": action, **after, "deleted": after_record is None,
                              "priority": _number((after_record or {}).get("taskUserLevel")), "before": before}
    if extra is not None:
        result.update(extra(after_record or {}))
    if args.json:
        emit_json(result)
    elif after_record is None:
        print(f"{label(task_id, record)}: deleted (was {before['status']})")
    else:
        print(f"{label(task_id, record)}: {after['status']} (was {before['status']}){done}")
    return 0


def frame_rows(api: "RayvisionAPI", task_id: int) -> Any:
    """Every frame row of the task (its layers' frames too), as the monitor reads them."""
    from rv_dcc.monitor.source import ApiSource

    return ApiSource(api).task_frames(task_id)


def layer_names(record: Dict[str, Any]) -> Dict[Optional[int], str]:
    """``{sub-task id: layer name}`` of a task record (empty for a task without layers)."""
    subs = record.get("respRenderingTaskList")
    return {_number(sub.get("id")): str(sub.get("layerName") or "") for sub in subs
            if isinstance(sub, dict)} if isinstance(subs, list) else {}


def frame_number(row: Any) -> Optional[int]:
    """The frame number of a frame row (``frameIndex`` "5", or the first of a block "5-7[1]")."""
    text = str(row.get("frameIndex") or "").strip()
    head = text.split("-", 1)[0].split("[", 1)[0].split(",", 1)[0].strip()
    return _number(head) if head.lstrip("-").isdigit() else None
