"""``rv-dcc panel``: the submit dialog and monitor as a standalone window.

Connects like the other commands (the configured account, else the embedded farm) and shows
the panel; ``--description FILE`` opens the submit view on a scene description (or any scene
file a host's batch interpreter can describe), ``--task TASK`` the monitor on that task, selected. ``--screenshot DIR`` instead starts a private
embedded farm with tasks in several states, writes PNGs of the panel and exits. The Qt side
lives in rv_dcc.ui.app; this module imports no Qt.
"""
import argparse
from typing import Any

from rv_dcc.commands.taskid import parse_task_id


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    parser.add_argument("--description", metavar="FILE", help="scene description JSON (or scene file) to submit")
    parser.add_argument("--screenshot", metavar="DIR",
                        help="start a private local farm with sample tasks, write PNGs of the panel to DIR, exit")
    parser.add_argument("--lang", choices=("auto", "en", "zh_CN"), default="auto",
                        help="interface language (default: RV_DCC_LANG, else LANGUAGE / LC_ALL / LC_MESSAGES / LANG, "
                             "else the desktop's; docs/I18N.md)")
    parser.add_argument("--task", type=parse_task_id, metavar="TASK",
                        help="open the monitor on this task, selected (19002 or 2W19002)")


def run(args: Any) -> int:
    """Open the panel (or take the screenshots)."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def _no_display() -> bool:
    """Linux/BSD without an X or Wayland display, and no Qt platform chosen: a window cannot open."""
    import os
    import sys

    if sys.platform.startswith(("win", "darwin")) or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run(args: Any) -> int:
    import os

    from rv_dcc.errors import RvDccError

    if args.screenshot:
        # Screenshots need no screen: without a display Qt would abort the process (SIGABRT).
        if _no_display():
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif _no_display():
        raise RvDccError("the panel needs a display, and this session has none (no DISPLAY / WAYLAND_DISPLAY)",
                         hint="Run it from a desktop session (or xvfb-run); in a terminal use rv-dcc status / "
                              "watch / download, or rv-dcc panel --screenshot DIR to see it as images.")
    from rv_dcc.ui import app

    lang = None if args.lang == "auto" else args.lang
    if args.screenshot:
        import functools

        from rv_dcc.app.local_farm import local_farm

        start_farm = functools.partial(local_farm, real_blender=False)
        paths = [str(path) for path in app.run_screenshots(args.screenshot, lang, start_farm)]
        if args.json:
            from rv_dcc.commands.connect import emit_json

            emit_json({"screenshots": paths})
        else:
            for path in paths:
                print(path)
        return 0
    from rv_dcc.app.connect import reconnect
    from rv_dcc.commands.connect import connect

    desc = None
    if args.description:
        if args.description.lower().endswith(".json"):
            from rv_dcc.scene.io import load_description

            desc = load_description(args.description)
        else:
            from rv_dcc.batch import describe_file

            desc = describe_file(args.description)
    return app.run_panel(lambda: connect(args), desc, lang, reconnect=reconnect, task=getattr(args, "task", None))
