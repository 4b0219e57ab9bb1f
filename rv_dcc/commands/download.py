"""``rv-dcc download TASK_ID --to DIR``: bring a task's outputs home, resumably.

Lists the task's output files (``getOutputUserDirFile``, walked), then downloads them through the
farm's transfer engine into DIR (``<DIR>/<output path>``). Run it again after an interruption:
complete files are skipped, partial ones continue from where they stopped, and a file only gets
its final name once complete. A tqdm bar shows bytes and ETA; ``--json`` prints the result.
"""
import argparse
import logging
from typing import Any, Callable, List, Optional

log = logging.getLogger("rv_dcc.commands.download")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser)
    parser.add_argument("--to", required=True, metavar="DIR", help="folder to download into")
    parser.add_argument("--workers", type=int, default=4, help="parallel downloads (embedded farm; default 4)")


def run(args: Any) -> int:
    """Download a task's outputs."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def download_task(api: Any, task_id: int, dest: Any, progress: Any = None, workers: int = 4,
                  on_listed: Optional[Callable[[Any], None]] = None) -> Any:
    """Download every output of ``task_id`` into ``dest``; returns (remote files, local paths).

    ``on_listed`` sees the remote file list before anything is fetched. A name the farm lists that
    would land outside ``dest`` (``..``, a drive, UNC, NUL, absolute...) is not fetched: the
    others are, then :class:`UnsafePathError` names the refused ones.
    """
    from pathlib import Path

    from rv_dcc.transfer import engine_for
    from rv_dcc.transfer.base import UnsafePathError, local_target
    from rv_dcc.transfer.outputs import list_outputs

    from rv_dcc.monitor.downloads import remember_folder

    listed = list_outputs(api, task_id)
    remember_folder(api, task_id, str(dest))
    files, refused = [], []
    for remote in listed:
        try:
            local_target(dest, remote.path)
            files.append(remote)
        except UnsafePathError:
            refused.append(remote.path)
    if refused:
        log.warning("task %s: %d farm file name(s) refused as unsafe", task_id, len(refused))
    if on_listed is not None:
        on_listed(files)
    engine = engine_for(api, workers=workers)
    try:
        if progress is not None:
            progress.stage("download", f"{len(files)} file(s)", files_total=len(files),
                           bytes_total=sum(f.size or 0 for f in files))
        paths = engine.download(files, Path(dest), progress)
    finally:
        engine.close()
    if refused:
        shown = ", ".join(repr(p[:120]) for p in refused[:5]) + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
        raise UnsafePathError(f"{len(paths)} file(s) of task {task_id} downloaded into {dest}; refused "
                              f"{len(refused)} name(s) the farm listed that would be written outside it: {shown}")
    return files, paths


def _already_here(files: Any, dest: Any) -> int:
    """How many of ``files`` are complete in ``dest`` already (the engine skips those)."""
    from rv_dcc.transfer.base import local_target

    count = 0
    for remote in files:
        local = local_target(dest, str(remote.path))
        if local.is_file() and (remote.size is None or local.stat().st_size == remote.size):
            count += 1
    return count


def _failed_frames(api: Any, task_id: int) -> List[str]:
    """The frames of ``task_id`` that failed (their numbers as the farm shows them); [] when the
    farm cannot be asked (the download itself succeeded)."""
    from rv_dcc.api.status import frame_failed
    from rv_dcc.monitor.source import ApiSource

    try:
        frames = ApiSource(api).task_frames(int(task_id))
    except Exception:  # noqa: BLE001 - a courtesy after the download
        return []
    return [str(row.get("frameIndex") or row.get("id")) for row in frames
            if frame_failed(row.get("frameStatus"))]  # failed or timed out: no output unless rendered again


def _task_note(api: Any, task_id: int) -> str:
    """" (the task is still rendering: ...)" when more outputs are coming, else ""."""
    from rv_dcc.api.status import TaskStatus
    from rv_dcc.submit.recovery import task_record

    try:
        record = task_record(api, task_id) or {}
    except Exception:  # the note is a courtesy; the download itself succeeded
        return ""
    from rv_dcc.commands.connect import printable

    status = TaskStatus.of(record.get("taskStatus"))
    if status is None or status.is_final:  # none, unknown or of the wrong type: no note
        return ""
    return (f"; the task is still {status.display} "
            f"({printable(record.get('doneFrames') or 0, 12)}/{printable(record.get('totalFrames') or 0, 12)} "
            "frames): run this again when it ends to fetch the rest")


def _run(args: Any) -> int:
    import os
    import sys

    from tqdm import tqdm

    from rv_dcc.commands.connect import connect, emit_json
    from rv_dcc.errors import RvDccError
    from rv_dcc.transfer import Progress

    if os.path.exists(args.to) and not os.path.isdir(args.to):
        raise RvDccError(f"{args.to} is a file; --to needs a folder",
                         hint="Give a folder to download into (it is created when missing).")
    api = connect(args)
    before: List[int] = []

    def on_listed(files: Any) -> None:
        before.append(_already_here(files, args.to))

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
        files, paths = download_task(api, args.task_id, args.to, Progress(on_progress), args.workers,
                                     on_listed=on_listed)
        note = _task_note(api, args.task_id)
        failed = _failed_frames(api, args.task_id)
    finally:
        if bar is not None:
            bar.close()
        api.close()
    skipped = before[0] if before else 0
    if args.json:
        emit_json({"task_id": args.task_id, "to": str(args.to), "files": [str(p) for p in paths],
                   "downloaded": len(paths) - skipped, "already_there": skipped,
                   "complete": not note and not failed, "failed_frames": failed})
    elif not paths:
        print(f"task {args.task_id} has no outputs yet{note or ''}")
    else:
        print(f"{len(paths)} file(s) of task {args.task_id} in {args.to} "
              f"({len(paths) - skipped} downloaded, {skipped} already there){note}")
    if failed and not args.json:  # never a silent "done" for a render with holes in it
        shown = ", ".join(failed[:20]) + (f" and {len(failed) - 20} more" if len(failed) > 20 else "")
        print(f"{len(failed)} frame(s) failed and have no output: {shown}. "
              f"Render them again in the panel (Retry failed frames), then run this again.")
    return 0
