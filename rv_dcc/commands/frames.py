"""``rv-dcc frames TASK``: one line per frame, as the panel's frame table shows them.

Layer (for a task with layers), frame, status name, render time, cost and machine
(``queryTaskFrames``, every page, through the monitor's
:class:`~rv_dcc.monitor.source.ApiSource`). ``--json``: one object, ``task_id`` and ``frames``: a
list of ``{frame, frame_id, layer, status, status_name, time_seconds, cost, machine}`` (times in
seconds, the status code beside its name).
"""
import argparse
from typing import Any, Dict, List, Mapping, Optional

from rv_dcc.monitor.text import duration


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser)


def run(args: Any) -> int:
    """Print the task's frames."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def frame_record(row: Mapping[str, Any], layers: Optional[Mapping[Any, str]] = None) -> Dict[str, Any]:
    """A frame row of the farm as this command's JSON record (``layers``: sub-task id -> layer)."""
    from rv_dcc.api.status import frame_status_text
    from rv_dcc.monitor.cost import frame_fee

    status = _int(row.get("frameStatus"))
    seconds = _int(row.get("frameExecuteTime")) or _int(row.get("currentRenderTime")) or 0
    return {"frame": str(row.get("frameIndex") or ""), "frame_id": _int(row.get("id")),
            "layer": (layers or {}).get(_int(row.get("taskId")), ""), "status": status,
            "status_name": frame_status_text(status),
            "time_seconds": seconds, "cost": round(frame_fee(row), 4), "machine": str(row.get("nodeId") or "")}


def _run(args: Any) -> int:
    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.commands.status import printable
    from rv_dcc.commands.taskops import existing_task, frame_rows, layer_names

    api = connect(args)
    try:
        layers = layer_names(existing_task(api, args.task_id))
        records: List[Dict[str, Any]] = [frame_record(row, layers) for row in frame_rows(api, args.task_id)]
    finally:
        api.close()
    if args.json:
        emit_json({"task_id": args.task_id, "frames": records})
        return 0
    if not records:
        print(f"task {args.task_id} has no frames yet")
        return 0
    with_layers = any(record["layer"] for record in records)
    layer_head = f"{'layer':<16} " if with_layers else ""
    print(f"{layer_head}{'frame':<14} {'status':<28} {'time':>8} {'cost':>9}  machine")
    for record in records:
        layer = f"{printable(record['layer'], 16):<16} " if with_layers else ""
        print(f"{layer}{printable(record['frame'], 14):<14} {record['status_name']:<28} {duration(record['time_seconds']) or '-':>8} "
              f"{record['cost']:>9.3f}  {printable(record['machine'], 40) or '-'}")
    return 0
