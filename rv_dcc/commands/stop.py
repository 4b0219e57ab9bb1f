"""``rv-dcc stop TASK [--yes]``: stop a task's waiting and rendering frames (``stopTask``).

The panel's Stop: ``api.task.stop_task(task_param_list=[id])``. Asks first on a terminal;
without one it needs ``--yes``. ``rv-dcc start TASK`` lets it render on.
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
    """Stop the task, then show its state."""
    from rv_dcc.commands.connect import run_guarded
    from rv_dcc.commands.taskops import run_action

    return run_guarded(lambda a: run_action(
        a, "stop", lambda api, task_id: api.task.stop_task(task_param_list=[task_id]),
        question="Stop {task}, now {status}?",
        done=f"; render on with: rv-dcc start {args.task_id}"), args)
