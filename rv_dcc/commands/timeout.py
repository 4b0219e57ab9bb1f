"""``rv-dcc timeout TASK DURATION``: stop a task once it has rendered this long.

The service's overtime stop: ``api.task.set_task_overtime_top(task_id_list=[id], overtime=s)``
(``setTaskOverTimeStop``, spec/api_reference.md "Task Setting Of Over Time Stop": the task
stops after ``overtime`` seconds of rendering), the panel's "Overtime stop…". DURATION is
seconds (``3600``) or with a unit (``90m``, ``12h``); the task is read back and its
``overTimeStop`` shown.
"""
import argparse
import re
from typing import Any, Dict

_DURATION = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([smh]?)\s*", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600}


def parse_duration(text: str) -> int:
    """Seconds from ``3600``, ``90m``, ``1.5h``, ``45s``; a usage error for anything else or 0."""
    match = _DURATION.fullmatch(str(text))
    if match is None:
        raise argparse.ArgumentTypeError(f"{str(text)[:30]!r} is not a duration: give seconds (3600) or 90m, 12h")
    seconds = int(round(float(match.group(1)) * _UNIT[match.group(2).lower()]))
    if seconds <= 0:
        raise argparse.ArgumentTypeError("a timeout of 0 stops nothing: give seconds (3600) or 90m, 12h")
    return seconds


parse_duration.__name__ = "duration"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser)
    parser.add_argument("duration", type=parse_duration, metavar="DURATION",
                        help="stop the task after it rendered this long: seconds (3600) or 90m, 12h")


def _read_back(record: Dict[str, Any]) -> Dict[str, Any]:
    from rv_dcc.commands.jsonout import number

    return {"timeout_seconds": number(record.get("overTimeStop"))}


def run(args: Any) -> int:
    """Set the task's overtime stop, then show its state."""
    from rv_dcc.commands.connect import run_guarded
    from rv_dcc.commands.taskops import run_action
    from rv_dcc.monitor.text import duration

    seconds = args.duration
    return run_guarded(lambda a: run_action(
        a, "timeout", lambda api, task_id: api.task.set_task_overtime_top(task_id_list=[task_id], overtime=seconds),
        done=f"; stops after {duration(seconds)} of rendering ({seconds} s)", extra=_read_back), args)
