"""``rv-dcc history``: the submission journals on this machine and where each one stands.

Reads the journal root (``--root``, else RV_DCC_JOURNALS, else the user's data folder) and
prints one line per submission (newest first): when, scene, stage, task id, files uploaded,
and the reason of a cancelled / failed / abandoned one, with the folder to pass to
``rv-dcc submit --resume``. ``--json`` prints a list of objects. Reads files only.
"""
import argparse
import time
from typing import Any


#: the journal's stages (rv_dcc.submit.journal), spelled out so --help imports nothing heavy
STAGES = ("draft", "checked", "task_created", "config_uploaded", "assets_uploaded", "submitted",
          "cancelled", "failed", "abandoned")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    parser.add_argument("--root", help="journal folder (default: the user's rv_dcc data folder)")
    parser.add_argument("--limit", type=int, default=50, help="newest N submissions (default 50; 0 = all)")
    parser.add_argument("--stage", choices=STAGES, metavar="STAGE",
                        help="only submissions in this stage: " + ", ".join(STAGES))


def run(args: Any) -> int:
    """List journals."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def _run(args: Any) -> int:
    from pathlib import Path

    from rv_dcc.commands.connect import emit_json
    from rv_dcc.submit.journal import iter_journals

    root = Path(args.root) if args.root else None
    rows = []
    for journal in iter_journals(root):
        if args.stage and journal.stage != args.stage:
            continue
        rows.append(journal.summary())
        if args.limit and len(rows) >= args.limit:
            break
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        where = f" in {root}" if root else ""
        print(f"no submissions in stage {args.stage}{where}" if args.stage else f"no submissions yet{where}")
        return 0
    for row in rows:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row["created_at"] or 0))
        task = f"task {row['task_id']}" if row["task_id"] is not None else "no task"
        files = f"{row['assets_done']}/{row['assets_total']} files"
        scene = Path(row["scene"] or "?").name
        line = f"{when}  {row['stage']:<16} {task:<12} {files:<12} {scene}"
        if row.get("reason") and row["stage"] in ("failed", "cancelled", "abandoned"):
            line += f"  ({row['reason']})"
        print(line)
        print(f"    {row['journal']}")
    return 0
