"""``rv-dcc abandon TASK [--yes]``: give a task up; its unfinished frames will not render.

The panel's Abandon: ``api.task.abort_task(task_param_list=[id])`` (``abandonTask``). Asks
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
    """Abandon the task, then show its state."""
    from rv_dcc.commands.connect import run_guarded
    from rv_dcc.commands.taskops import run_action

    return run_guarded(lambda a: run_action(
        a, "abandon", lambda api, task_id: api.task.abort_task(task_param_list=[task_id]),
        question="Abandon {task}, now {status}? Its unfinished frames will not render."), args)
