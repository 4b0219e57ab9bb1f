"""``rv-dcc download TASK_ID --to DIR``: bring a task's outputs home, resumably.

Lists the task's output files (``getOutputUserDirFile``, walked), then downloads them through the
farm's transfer engine into DIR (``<DIR>/<output path>``). Run it again after an interruption:
complete files are skipped, partial ones continue from where they stopped, and a file only gets
its final name once complete. A tqdm bar shows bytes and ETA; ``--json`` prints the result.
"""
import argparse
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    parser.add_argument("task_id", type=int, help="task id")
    parser.add_argument("--to", required=True, metavar="DIR", help="folder to download into")
    parser.add_argument("--workers", type=int, default=4, help="parallel downloads (embedded farm; default 4)")


def run(args: Any) -> int:
    """Download a task's outputs."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def download_task(api: Any, task_id: int, dest: Any, progress: Any = None, workers: int = 4) -> Any:
    """Download every output of ``task_id`` into ``dest``; returns the local paths."""
    from pathlib import Path

    from rv_dcc.submit.transfer import engine_for
    from rv_dcc.submit.transfer.outputs import list_outputs

    files = list_outputs(api, task_id)
    engine = engine_for(api, workers=workers)
    try:
        if progress is not None:
            progress.stage("download", f"{len(files)} file(s)", files_total=len(files),
                           bytes_total=sum(f.size or 0 for f in files))
        return files, engine.download(files, Path(dest), progress)
    finally:
        engine.close()


def _run(args: Any) -> int:
    import sys

    from tqdm import tqdm

    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.submit.transfer import Progress

    api = connect(args)
    bar = None if args.json else tqdm(total=0, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
                                      dynamic_ncols=True, desc=f"task {args.task_id}")

    def on_progress(event: Any) -> None:
        if bar is not None:
            if event.bytes_total and bar.total != event.bytes_total:
                bar.total = event.bytes_total
            bar.n = event.bytes_done
            bar.set_postfix_str(f"{event.files_done}/{event.files_total} files", refresh=False)
            bar.refresh()

    try:
        files, paths = download_task(api, args.task_id, args.to, Progress(on_progress), args.workers)
    finally:
        if bar is not None:
            bar.close()
        api.close()
    if args.json:
        emit_json({"task_id": args.task_id, "to": str(args.to), "files": [str(p) for p in paths]})
    else:
        print(f"{len(paths)} file(s) of task {args.task_id} in {args.to}")
    return 0
