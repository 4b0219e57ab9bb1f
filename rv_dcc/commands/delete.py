"""``rv-dcc delete TASK [--yes]``: stop what still renders and remove the task from the list.

The panel's Delete: ``api.task.delete_task(task_param_list=[id])`` (``deleteTask``). Asks
first on a terminal; without one it needs ``--yes``.
"""
import argparse
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument
    from rv_dcc.commands.taskops import add_yes

    add_task_argument(parser)
    add_yes(parser)


def run(args: Any) -> int:
    """Delete the task, then check it is gone."""
    from rv_dcc.commands.connect import run_guarded
    from rv_dcc.commands.taskops import run_action

    return run_guarded(lambda a: run_action(
        a, "delete", lambda api, task_id: api.task.delete_task(task_param_list=[task_id]),
        question="Delete {task}, now {status}? It leaves the task list."), args)
