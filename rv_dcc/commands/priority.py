"""``rv-dcc priority TASK {normal,high}``: the task's place in the farm's queue.

The panel's Priority: ``api.task.update_priority(task_id=id, priority=level)``
(``updateTaskUserLevel``) with the panel's two levels, normal (50) and high (60).
"""
import argparse
from typing import Any

#: the panel's priority levels (rv_dcc/ui i18n "priority.50" / "priority.60"): name -> taskUserLevel
LEVELS = {"normal": 50, "high": 60}


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser)
    parser.add_argument("level", choices=tuple(LEVELS), help="normal (50) or high (60)")


def run(args: Any) -> int:
    """Set the priority, then show the task's state."""
    from rv_dcc.commands.connect import run_guarded
    from rv_dcc.commands.taskops import run_action

    level = LEVELS[args.level]
    return run_guarded(lambda a: run_action(
        a, "priority", lambda api, task_id: api.task.update_priority(task_id=task_id, priority=level),
        done=f"; priority {args.level} ({level})"), args)
