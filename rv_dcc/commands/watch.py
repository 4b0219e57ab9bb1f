"""``rv-dcc watch TASK_ID``: follow a task's progress until it ends.

Polls ``queryTaskInfo`` (a query: safe to repeat; transient failures are retried by the
client, and a failed poll is reported and retried at the next tick), draws a tqdm bar of
finished frames per task, and returns when every task reached an end state (exit 0 when all
finished cleanly, 1 when any failed, stopped or was abandoned). ``--json`` prints one JSON line
per change instead. :func:`follow` is the loop, reused by ``rv-dcc demo``.
"""
import argparse
import sys
import time
from typing import Any, Callable, Dict, List, Optional

#: End states (spec/wire.md §6) and "test finished" (40), after which a task waits for the user.
END_STATES = frozenset({10, 15, 20, 23, 25, 30, 35, 40, 45})
CLEAN_END = frozenset({25})


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    parser.add_argument("task_id", type=int, nargs="+", help="task id(s) to follow")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls (default 2)")
    parser.add_argument("--timeout", type=float, default=0, help="give up after N seconds (0: never)")


def run(args: Any) -> int:
    """Follow tasks until they end."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def follow(api: Any, task_ids: List[int], on_update: Callable[[Dict[int, Dict[str, Any]]], None], *,
           interval: float = 2.0, timeout: float = 0, should_stop: Optional[Callable[[], bool]] = None) -> Dict[int, Dict[str, Any]]:
    """Poll the tasks until all end (or ``timeout`` / ``should_stop``); returns their last records.

    ``on_update`` receives ``{task_id: record}`` after every poll that changed something.
    """
    from rv_dcc.api.errors import TransportError
    from rv_dcc.submit.recovery import raw

    started = time.monotonic()
    last: Dict[int, Dict[str, Any]] = {}
    reached = False   # a farm never reached is a wrong domain / no network: say so and stop
    lost = False      # report a lost connection once, not every poll all night
    while True:
        try:
            page = raw(api.query.task_info(task_ids_list=list(task_ids)))
        except TransportError as error:
            if not reached:
                raise
            if not lost:  # the farm was there and is briefly unreachable: keep watching
                sys.stderr.write(f"rv-dcc: lost contact with the farm ({error.message}); still trying, "
                                 "Ctrl-C to stop watching\n")
                lost = True
            page = None
        else:
            reached = True
            if lost:
                sys.stderr.write("rv-dcc: the farm answers again\n")
                lost = False
        if page is not None:
            items = page.get("items") if isinstance(page, dict) else page
            current = {int(item["id"]): item for item in items or [] if int(item["id"]) in task_ids}
            if current != last:
                last = current
                on_update(current)
            if len(current) == len(task_ids) and all(int(t.get("taskStatus", -1)) in END_STATES
                                                     for t in current.values()):
                return last
        if timeout and time.monotonic() - started > timeout:
            return last
        if should_stop is not None and should_stop():
            return last
        time.sleep(interval)


class Bars:
    """One tqdm bar per task: finished frames of total frames, status in the description."""

    def __init__(self, file: Any = None) -> None:
        self.bars: Dict[int, Any] = {}
        self.file = file or sys.stderr

    def update(self, records: Dict[int, Dict[str, Any]]) -> None:
        from tqdm import tqdm

        from rv_dcc.api.operations import TASK_STATUS

        for task_id, record in sorted(records.items()):
            total = int(record.get("totalFrames") or 0)
            done = int(record.get("doneFrames") or 0) + int(record.get("failedFrames") or 0)
            bar = self.bars.get(task_id)
            if bar is None:
                # initial=done: frames finished before we looked are not "rendered in 0 s" (the
                # rate and ETA would read 500000 frame/s).
                bar = tqdm(total=total or None, initial=done, position=len(self.bars), unit="frame",
                           file=self.file, dynamic_ncols=True, leave=True)
                self.bars[task_id] = bar
            if total and bar.total != total:
                bar.total = total
            status = TASK_STATUS.get(int(record.get("taskStatus", -1)), str(record.get("taskStatus")))
            name = record.get("sceneName") or record.get("taskAlias") or ""
            bar.set_description(f"{task_id} {name[:24]} [{status}]", refresh=False)
            bar.n = done
            bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def exit_code(records: Dict[int, Dict[str, Any]]) -> int:
    """0 when every task finished cleanly, else 1."""
    return 0 if records and all(int(r.get("taskStatus", -1)) in CLEAN_END for r in records.values()) else 1


def summary_lines(records: Dict[int, Dict[str, Any]], ids: List[int]) -> List[str]:
    """One line per task saying where it ended (or that it has not)."""
    from rv_dcc.api.operations import TASK_STATUS

    lines = []
    for task_id in ids:
        record = records.get(task_id)
        if record is None:
            lines.append(f"task {task_id}: no answer from the farm")
            continue
        status = int(record.get("taskStatus", -1))
        text = TASK_STATUS.get(status, str(status))
        frames = f"{record.get('doneFrames') or 0}/{record.get('totalFrames') or 0} frames"
        failed = int(record.get("failedFrames") or 0)
        extra = f", {failed} failed" if failed else ""
        follow_up = ""
        if status == 25:
            follow_up = f"; fetch the outputs: rv-dcc download {task_id} --to DIR"
        elif status not in END_STATES:
            follow_up = f"; still going on the farm: rv-dcc watch {task_id}"
        lines.append(f"task {task_id}: {text} ({frames}{extra}){follow_up}")
    return lines


def _run(args: Any) -> int:
    from rv_dcc.commands.connect import connect, emit_json

    api = connect(args)
    ids = [int(t) for t in args.task_id]
    final: Dict[int, Dict[str, Any]] = {}
    try:
        if args.json:
            def on_update(records: Dict[int, Dict[str, Any]]) -> None:
                for task_id, record in sorted(records.items()):
                    emit_json({"task_id": task_id, "taskStatus": record.get("taskStatus"),
                               "doneFrames": record.get("doneFrames"), "failedFrames": record.get("failedFrames"),
                               "totalFrames": record.get("totalFrames"), "time": time.time()})

            final = follow(api, ids, on_update, interval=args.interval, timeout=args.timeout)
        else:
            bars = Bars()
            try:
                final = follow(api, ids, bars.update, interval=args.interval, timeout=args.timeout)
            except KeyboardInterrupt:
                bars.close()
                # Ctrl-C stops the watching, not the render: say so, an artist fears the opposite.
                print("stopped watching; the task(s) keep rendering on the farm. Watch again: rv-dcc watch "
                      + " ".join(str(t) for t in ids), file=sys.stderr)
                return 130
            finally:
                bars.close()
            for line in summary_lines(final, ids):
                print(line, file=sys.stderr)
        return exit_code(final)
    finally:
        api.close()
