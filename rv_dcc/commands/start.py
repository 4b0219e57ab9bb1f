"""``rv-dcc start TASK``: let a stopped task (or one paused after its test frames) render on.

The panel's Start: ``api.task.start_task(task_param_list=[id])`` (``startTask``).
"""
import argparse
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser)


def run(args: Any) -> int:
    """Start the task, then show its state."""
    from rv_dcc.commands.connect import run_guarded
    from rv_dcc.commands.taskops import run_action

    return run_guarded(lambda a: run_action(
        a, "start", lambda api, task_id: api.task.start_task(task_param_list=[task_id])), args)
