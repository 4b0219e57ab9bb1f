"""``rv-dcc retry TASK [--failed | --frames 5,7-9]``: render frames again.

``--failed`` (the default): the task's failed and timed-out frames, the panel's "Retry failed
frames" (``api.query.restart_failed_frames(task_param_list=[id])``, ``recommitTasks``).
``--frames``: the frames named, the panel's "Retry selected" (``api.query.restart_frame(task_id,
ids_list=frame ids)``, ``recommitTaskFrames``); a frame number the task does not have is refused
and nothing is sent. The task's frames are read back and the retried ones' states shown.
"""
import argparse
from typing import Any, List, Set


def frame_list(text: str) -> List[int]:
    """``"5,7-9"`` -> [5, 7, 8, 9]; an argparse type (a usage error for anything else)."""
    numbers: Set[int] = set()
    for part in "".join(str(text).split()).split(","):
        if not part:
            continue
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise argparse.ArgumentTypeError(f"{text!r} is not a frame list: give frame numbers and ranges "
                                             "such as 5,7-9")
        low, high = int(first), int(last) if dash else int(first)
        if high < low or high - low > 100000:
            raise argparse.ArgumentTypeError(f"{part!r} is not a frame range: give first-last, e.g. 7-9")
        numbers.update(range(low, high + 1))
    if not numbers:
        raise argparse.ArgumentTypeError("--frames needs frame numbers such as 5,7-9")
    return sorted(numbers)


frame_list.__name__ = "frame list"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--failed", action="store_true", help="the failed and timed-out frames (the default)")
    which.add_argument("--frames", type=frame_list, metavar="LIST", help="these frames, e.g. 5,7-9")


def run(args: Any) -> int:
    """Send the frames to render again, then show their states."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def _run(args: Any) -> int:
    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.api.status import frame_failed
    from rv_dcc.commands.frames import frame_record
    from rv_dcc.commands.taskops import existing_task, frame_number, frame_rows, layer_names
    from rv_dcc.errors import RvDccError

    api = connect(args)
    task_id = args.task_id
    try:
        layers = layer_names(existing_task(api, task_id))
        rows = frame_rows(api, task_id)
        if args.frames:
            wanted = set(args.frames)
            chosen = [row for row in rows if frame_number(row) in wanted]
            missing = sorted(wanted - {frame_number(row) for row in chosen})
            if missing:
                shown = ", ".join(str(n) for n in missing[:20]) + (" ..." if len(missing) > 20 else "")
                raise RvDccError(f"task {task_id} has no frame {shown}; nothing was sent",
                                 hint=f"See its frames with `rv-dcc frames {task_id}`.")
            api.query.restart_frame(task_id=task_id, ids_list=[int(row["id"]) for row in chosen], select_all=0)
        else:
            chosen = [row for row in rows if frame_failed(_int(row.get("frameStatus")))]
            if chosen:
                api.query.restart_failed_frames(task_param_list=[task_id])
        ids = {row.get("id") for row in chosen}
        after = [frame_record(row, layers) for row in frame_rows(api, task_id) if row.get("id") in ids]
    finally:
        api.close()
    if args.json:
        emit_json({"task_id": task_id, "action": "retry", "retried": len(after), "frames": after})
        return 0
    if not after:
        print(f"task {task_id} has no failed frames: nothing to retry")
        return 0
    states = sorted({record["status"] for record in after})
    print(f"task {task_id}: {len(after)} frame(s) sent to render again ({', '.join(states)}): "
          + ", ".join((f"{record['layer']}:" if record["layer"] else "") + record["frame"] for record in after[:20]) + (" ..." if len(after) > 20 else ""))
    return 0


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
