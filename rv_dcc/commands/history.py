"""``rv-dcc history``: the submission journals on this machine and where each one stands.

Reads the journal root (``--journal-root`` as for submit, or ``--root``; else RV_DCC_JOURNALS,
else the user's data folder) and prints one line per submission (newest first): when, scene,
stage, task id, files uploaded, and the reason of a cancelled / failed / abandoned one, with the
folder to pass to
``rv-dcc submit --resume``. A journal that cannot be read is listed in stage ``damaged`` with
why; the others are shown. ``--json`` prints a list of objects. Reads files only.
"""
import argparse
import logging
import time
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

log = logging.getLogger("rv_dcc.commands.history")


#: the journal's stages (rv_dcc.submit.journal), spelled out so --help imports nothing heavy
STAGES = ("draft", "checked", "task_created", "config_uploaded", "assets_uploaded", "submitted",
          "cancelled", "failed", "abandoned", "damaged")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    parser.add_argument("--journal-root", "--root", dest="root", metavar="DIR",
                        help="journal folder, as for submit (default: the user's rv_dcc data folder)")
    parser.add_argument("--limit", type=int, default=50, help="newest N submissions (default 50; 0 = all)")
    parser.add_argument("--stage", choices=STAGES, metavar="STAGE",
                        help="only submissions in this stage: " + ", ".join(STAGES))


def run(args: Any) -> int:
    """List journals."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def history_rows(root: Optional[Path] = None) -> Iterator[Dict[str, Any]]:
    """``rv-dcc history``'s rows, newest first: each journal's summary, or for a journal that cannot
    be read a row in stage ``damaged`` saying why (one bad journal never hides the others)."""
    from rv_dcc.errors import RvDccError
    from rv_dcc.submit.journal import STATE_FILE, Journal, default_root

    root = Path(root) if root is not None else default_root()
    if not root.is_dir():
        return
    folders = sorted((p for p in root.iterdir() if (p / STATE_FILE).is_file()), key=lambda p: p.name, reverse=True)
    for folder in folders:
        try:
            yield _checked(Journal.open(folder).summary())
        except Exception as exc:  # noqa: BLE001 - any damage is reported as such, the rest still shown
            reason = exc.message if isinstance(exc, RvDccError) else f"{type(exc).__name__}: {exc}"
            log.warning("journal %s is damaged: %s", folder, reason)
            try:
                created = (folder / STATE_FILE).stat().st_mtime
            except OSError:
                created = None
            yield {"journal": str(folder), "id": folder.name, "scene": None, "host": None, "stage": "damaged",
                   "task_id": None, "task_alias": None, "reason": reason[:300], "farm": None,
                   "created_at": created, "updated_at": created, "assets_done": 0, "assets_total": 0}


def _checked(row: Dict[str, Any]) -> Dict[str, Any]:
    """``row`` when its fields have the types history prints, else ValueError naming the field."""
    kinds = {"created_at": (int, float), "task_id": (int,), "scene": (str,), "stage": (str,), "reason": (str,),
             "assets_done": (int,), "assets_total": (int,)}
    for key, types in kinds.items():
        value = row.get(key)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            raise ValueError(f"its {key} is {str(value)[:40]!r}, not a {types[0].__name__}")
    return row


def _run(args: Any) -> int:
    from rv_dcc.commands.connect import emit_json

    root = Path(args.root) if args.root else None
    rows = []
    for row in history_rows(root):
        if args.stage and row["stage"] != args.stage:
            continue
        rows.append(row)
        if args.limit and len(rows) >= args.limit:
            break
    if args.json:
        from rv_dcc.commands.jsonout import iso

        emit_json([dict(row, created_at=iso(row["created_at"]), updated_at=iso(row["updated_at"])) for row in rows])
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
        if row.get("reason") and row["stage"] in ("failed", "cancelled", "abandoned", "damaged"):
            line += f"  ({row['reason']})"
        print(line)
        print(f"    {row['journal']}")
    return 0
