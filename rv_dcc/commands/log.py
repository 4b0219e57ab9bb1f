"""``rv-dcc log TASK --frame N``: a frame's render log, as the panel's log view shows it.

The frame is found by its number among the task's frames; its log is read page by page through
the monitor's :meth:`~rv_dcc.monitor.source.ApiSource.frame_log` (a very long log: its first
and last lines, with a line saying what was left out). A task with layers renders a frame
number once per layer: every layer's log is shown. ``--json``: ``{task_id, frame, logs: [{frame_id,
layer_task_id, log}]}``.
"""
import argparse
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser)
    parser.add_argument("--frame", type=int, required=True, metavar="N", help="the frame number, e.g. 5")


def run(args: Any) -> int:
    """Print the frame's render log."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def _run(args: Any) -> int:
    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.commands.taskops import existing_task, frame_number, frame_rows
    from rv_dcc.errors import RvDccError
    from rv_dcc.monitor.source import ApiSource

    api = connect(args)
    try:
        existing_task(api, args.task_id)
        rows = frame_rows(api, args.task_id)
        matching = [row for row in rows if frame_number(row) == args.frame]
        if not matching:
            known = sorted({n for n in (frame_number(row) for row in rows) if n is not None})
            shown = ", ".join(str(n) for n in known[:20]) + (" ..." if len(known) > 20 else "")
            raise RvDccError(f"task {args.task_id} has no frame {args.frame}",
                             hint=f"Its frames: {shown or 'none yet'} (see `rv-dcc frames {args.task_id}`).")
        logs = []
        for row in matching:
            text = ApiSource(api).frame_log(int(row["id"]))
            logs.append((row, text))
    finally:
        api.close()
    if args.json:
        emit_json({"task_id": args.task_id, "frame": args.frame,
                   "logs": [{"frame_id": int(row["id"]), "layer_task_id": row.get("taskId"), "log": text}
                            for row, text in logs]})
        return 0
    for row, text in logs:
        if len(logs) > 1:
            print(f"--- frame {args.frame} of task {row.get('taskId')} (frame id {row.get('id')}) ---")
        print(text if text.strip() else "(the farm has no log for this frame yet)")
    return 0
