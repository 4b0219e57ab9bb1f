"""``rv-dcc open TASK [--print]``: the task's outputs folder if downloaded, else the farm's web page.

The folder is the one ``rv-dcc download`` or the panel last downloaded the task's outputs to
(recorded per farm and task by rv_dcc.monitor.downloads) when it still exists. Otherwise the
farm's web console, where the artist signs in and finds the task by its id: the service's
documentation gives no per-task address, so this is the console's address for the farm's
domain (``RV_DCC_WEB_URL`` replaces it; ``{task_id}`` in it is filled in). The embedded farm has
no web page: then the command says to download first. Opened with the platform's opener
(``xdg-open`` on Linux, ``open`` on macOS, the shell's default on Windows); ``--print`` only
prints it. ``--json``: ``{task_id, kind, target, opened}`` (rv_dcc/schemas/open.json).
"""
import argparse
import os
import shutil
import subprocess
import sys
from typing import Any, List, Optional

#: domain suffix -> the farm's web console (where a signed-in artist sees the task list)
WEB_CONSOLES = {"foxrenderfarm.com": "https://www.foxrenderfarm.com/", "renderbus.com": "https://www.renderbus.com/"}
#: seconds the opener may take to hand the target over
OPEN_TIMEOUT = 15.0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser)
    parser.add_argument("--print", dest="print_only", action="store_true",
                        help="only print the folder or address, do not open it")


def run(args: Any) -> int:
    """Open (or print) the task's folder or web page."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def web_page(domain: Optional[str], task_id: int) -> Optional[str]:
    """The farm's web page for ``domain`` (None for a farm without one: the embedded farm)."""
    template = os.environ.get("RV_DCC_WEB_URL")
    if template:
        return template.replace("{task_id}", str(task_id))
    host = (domain or "").split(":", 1)[0].lower()
    for suffix, url in WEB_CONSOLES.items():
        if host == suffix or host.endswith("." + suffix):
            return url
    return None


def opener(target: str, platform: Optional[str] = None) -> Optional[List[str]]:
    """The argv that opens ``target`` on this platform (None on Windows: os.startfile does it)."""
    platform = platform or sys.platform
    if platform == "darwin":
        return ["open", target]
    if platform == "win32":
        return None
    tool = shutil.which("xdg-open")
    return [tool, target] if tool else []


def open_target(target: str) -> None:
    """Hand ``target`` to the platform's opener; RvDccError when there is none or it refuses."""
    from rv_dcc.errors import RvDccError

    argv = opener(target)
    if argv is None:
        os.startfile(target)  # type: ignore[attr-defined]  # Windows only
        return
    if not argv:
        raise RvDccError("no program to open it with (xdg-open is not installed)",
                         hint=f"Open it yourself: {target} (or install xdg-utils); --print only prints it.")
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=OPEN_TIMEOUT, check=False, text=True)
    except (OSError, subprocess.SubprocessError) as error:
        raise RvDccError(f"could not open {target}: {error}", hint="Open it yourself; --print only prints it.") from None
    if done.returncode != 0:
        why = (done.stderr or "").strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
        raise RvDccError(f"{os.path.basename(argv[0])} could not open {target}: {why[0][:200]}",
                         hint="Open it yourself; --print only prints it.")


def _run(args: Any) -> int:
    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.commands.taskops import existing_task
    from rv_dcc.errors import RvDccError
    from rv_dcc.monitor.downloads import downloaded_folder

    api = connect(args)
    try:
        task_id = args.task_id
        folder = downloaded_folder(api, task_id)
        if folder is not None:
            kind, target = "folder", folder
        else:
            existing_task(api, task_id)  # an unknown id is said as such, not opened
            page = web_page(getattr(api, "domain", None), task_id)
            if page is None:
                raise RvDccError(f"task {task_id} has not been downloaded here, and this farm "
                                 f"({getattr(api, 'domain', '?')}) has no web page",
                                 hint=f"Download its outputs first: rv-dcc download {task_id} --to DIR")
            kind, target = "web", page
    finally:
        api.close()
    opened = False
    if not args.print_only:
        open_target(target)
        opened = True
    if args.json:
        emit_json({"task_id": task_id, "kind": kind, "target": target, "opened": opened})
    elif args.print_only:
        print(target)
    else:
        where = "outputs folder" if kind == "folder" else f"farm's web page (find task {task_id} there)"
        print(f"opened task {task_id}'s {where}: {target}")
    return 0
