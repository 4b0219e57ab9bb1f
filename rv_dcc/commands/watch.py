"""``rv-dcc watch TASK_ID``: follow a task's progress until it ends.

Polls ``queryTaskInfo`` (a query: safe to repeat; transient failures are retried by the
client, and a failed poll is reported and retried at the next tick; a garbled answer -- not a
page, rows without a task id, a status that is not a number -- is reported once and asked again,
and fails with a clear message when the farm never answered sanely at all), draws a tqdm bar of
finished frames per task, and returns when every task reached an end state (exit 0 when all
finished cleanly, 1 when any failed, stopped or was abandoned). The bar counts rendered frames:
a task that finished with failed frames never reads 100%. It ends with one line per task: where
it ended, its cost and the next command (download, retry, start the rest after test frames).
A task that ends rings the terminal's bell and shows a desktop notification (rv_dcc.monitor.
notify; ``--no-notify`` for none). A task submitted with a budget is stopped when its projected
or real cost passes it (rv_dcc.monitor.budget), and watch says so. ``--json`` prints one JSON
line per event instead (docs/JSON.md, rv_dcc/schemas/watch.json). :func:`follow` is the loop,
reused by ``rv-dcc demo``.
"""
import argparse
import logging
import sys
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional

from rv_dcc.api.replies import to_wire
from rv_dcc.api.status import TaskStatus, task_final, task_status_text
from rv_dcc.monitor.progress import task_progress

if TYPE_CHECKING:
    from rv_dcc.api.client import RayvisionAPI

log = logging.getLogger("rv_dcc.commands.watch")

#: End states (spec/wire.md §6) and "test finished" (40), after which a task waits for the user.
END_STATES = frozenset(int(status) for status in TaskStatus if status.is_final)
CLEAN_END = frozenset({int(TaskStatus.FINISHED)})
#: Garbled answers in a row, before the farm ever answered sanely, after which watching gives up.
GARBLED_LIMIT = 3


def _number(value: Any, default: int = -1) -> int:
    """An integer the farm sent (int or digit string), or ``default`` when it is unreadable."""
    if isinstance(value, bool) or value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _task_id(value: Any) -> Optional[int]:
    """A row's task id (an int or a string of digits, as page_from accepts), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        return None
    return int(value)


def read_tasks(reply: Any, task_ids: List[int]) -> Dict[int, Dict[str, Any]]:
    """The watched tasks' records in a ``queryTaskInfo`` reply, keyed by task id.

    Raises :class:`~rv_dcc.monitor.source.MalformedReplyError` (an RvDccError, a sentence to
    show) when the reply is not a page of tasks, a row has no readable task id, or a watched
    task's status is not a number: such an answer says nothing reliable about the render.
    """
    from rv_dcc.monitor.source import MalformedReplyError, page_from

    data = to_wire(reply)
    rows = data.get("items") if isinstance(data, dict) else data
    if isinstance(rows, list):
        # Checked here rather than letting page_from skip them: a skipped row is a watched task
        # silently missing, and page_from would log the same warning at every poll.
        unreadable = [row for row in rows if not isinstance(row, dict) or _task_id(row.get("id")) is None]
        if unreadable:
            raise MalformedReplyError(f"{len(unreadable)} of the farm's {len(rows)} task row(s) have no readable task id")
    page = page_from(data)  # not a page, or items that are not a list: MalformedReplyError
    wanted = set(task_ids)
    records: Dict[int, Dict[str, Any]] = {}
    for row in page.items:
        task_id = int(row["id"])
        if task_id not in wanted:
            continue
        if _number(row.get("taskStatus"), -1) < 0 and row.get("taskStatus") is not None:
            raise MalformedReplyError(f"task {task_id}'s status {str(row.get('taskStatus'))[:20]!r} is not a number")
        records[task_id] = dict(row)
    return records


def configure(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments."""
    from rv_dcc.commands.taskid import add_task_argument

    add_task_argument(parser, "task id(s) (19002) or alias(es) (2W19002) to follow", nargs="+")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls (default 2)")
    parser.add_argument("--timeout", type=float, default=0, help="give up after N seconds (0: never)")
    parser.add_argument("--no-notify", action="store_true",
                        help="no bell or desktop notification when a task ends (RV_DCC_NOTIFY=0 does the same)")


def run(args: Any) -> int:
    """Follow tasks until they end."""
    from rv_dcc.commands.connect import run_guarded

    return run_guarded(_run, args)


def follow(api: "RayvisionAPI", task_ids: List[int], on_update: Callable[[Dict[int, Dict[str, Any]]], None], *,
           interval: float = 2.0, timeout: float = 0, should_stop: Optional[Callable[[], bool]] = None) -> Dict[int, Dict[str, Any]]:
    """Poll the tasks until all end (or ``timeout`` / ``should_stop``); returns their last records.

    ``on_update`` receives ``{task_id: record}`` after every poll that changed something.
    """
    from rv_dcc.api.errors import TransportError
    from rv_dcc.monitor.source import MalformedReplyError

    started = time.monotonic()
    last: Dict[int, Dict[str, Any]] = {}
    reached = False   # a farm never reached is a wrong domain / no network: say so and stop
    lost = False      # report a lost connection once, not every poll all night
    sane = False      # the farm gave at least one readable answer
    garbled = 0       # garbled answers in a row (reported once, not every poll)
    while True:
        current: Optional[Dict[int, Dict[str, Any]]] = None
        try:
            page = to_wire(api.query.task_info(task_ids_list=list(task_ids)))
        except TransportError as error:
            if not reached:
                raise
            if not lost:  # the farm was there and is briefly unreachable: keep watching
                sys.stderr.write(f"rv-dcc: lost contact with the farm ({error.message}); still trying, "
                                 "Ctrl-C to stop watching\n")
                lost = True
        else:
            reached = True
            if lost:
                sys.stderr.write("rv-dcc: the farm answers again\n")
                lost = False
            try:
                current = read_tasks(page, task_ids)
            except MalformedReplyError as error:
                garbled += 1
                if not sane and garbled >= GARBLED_LIMIT:
                    # Never one readable answer: not a blip but a wrong server or a broken farm.
                    raise MalformedReplyError(f"{error.message}, {garbled} times in a row; the farm never "
                                              "answered with a readable task list",
                                              hint="Check the domain and any proxy in between, then run "
                                                   "rv-dcc watch again.") from error
                if garbled == 1:
                    sys.stderr.write(f"rv-dcc: could not read the farm's answer ({error.message}); asking again, "
                                     "Ctrl-C to stop watching\n")
            else:
                if garbled and sane:
                    sys.stderr.write("rv-dcc: the farm's answers are readable again\n")
                garbled = 0
                sane = True
        if current is not None:
            if current != last:
                last = current
                on_update(current)
            if len(current) == len(task_ids) and all(task_final(t.get("taskStatus"))
                                                     for t in current.values()):
                return last
        if timeout and time.monotonic() - started > timeout:
            return last
        if should_stop is not None and should_stop():
            return last
        time.sleep(interval)


class Bars:
    """One tqdm bar per task: frames rendered of total frames, status and failures in the text.

    The bar counts rendered frames only: a task that finished with failed frames ends short of
    100% (failed frames have no output), with "N failed" beside it.
    """

    def __init__(self, file: Any = None) -> None:
        self.bars: Dict[int, Any] = {}
        self.file = file or sys.stderr

    def update(self, records: Dict[int, Dict[str, Any]]) -> None:
        from tqdm import tqdm

        for task_id, record in sorted(records.items()):
            done, failed, total = task_progress(record)  # frames, not render blocks
            bar = self.bars.get(task_id)
            if bar is None:
                # initial=done: frames finished before we looked are not "rendered in 0 s" (the
                # rate and ETA would read 500000 frame/s).
                bar = tqdm(total=total or None, initial=done, position=len(self.bars), unit="frame",
                           file=self.file, dynamic_ncols=True, leave=True)
                self.bars[task_id] = bar
            if total and bar.total != total:
                bar.total = total
            status = task_status_text(record.get("taskStatus"))
            name = str(record.get("sceneName") or "")
            shown = str(record.get("taskAlias") or task_id)  # the id as the panel shows it (2W19002)
            bar.set_description(f"{shown[:20]} {name[:24]} [{status}]", refresh=False)
            bar.set_postfix_str(f"{failed} failed" if failed else "", refresh=False)
            bar.n = min(done, total) if total else done
            bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def exit_code(records: Dict[int, Dict[str, Any]]) -> int:
    """0 when every task finished cleanly, else 1."""
    return 0 if records and all(TaskStatus.of(r.get("taskStatus")) is TaskStatus.FINISHED
                                for r in records.values()) else 1


def summary_lines(records: Dict[int, Dict[str, Any]], ids: List[int], symbol: str = "$") -> List[str]:
    """One line per task: where it ended, its cost, and the next command to run."""
    from rv_dcc.monitor.outcome import outcome_line

    return [outcome_line(task_id, records.get(task_id), symbol=symbol) for task_id in ids]


def progress_json(task_id: int, record: Dict[str, Any]) -> Dict[str, Any]:
    """A ``progress`` event of a task record (docs/JSON.md; also the demo's lines)."""
    from rv_dcc.commands.jsonout import iso, task_status
    from rv_dcc.monitor.cost import estimate_from_task

    estimate = estimate_from_task(record)
    return {"event": "progress", "task_id": task_id, **task_status(record.get("taskStatus")),
            "frames": dict(zip(("done", "failed", "total"), task_progress(record))),
            "cost": {"so_far": estimate.so_far, "projected": estimate.projected}, "at": iso(time.time())}


def _frames_estimate(api: Any, task_id: int, record: Optional[Dict[str, Any]]) -> Any:
    """After test frames, the projection from the frames' real fees (what `status` and the panel
    show: rv_dcc.monitor.cost.estimate_from_frames); None otherwise (the record's figure is enough)."""
    if record is None or _number(record.get("taskStatus")) != 40:
        return None
    from rv_dcc.commands.taskops import frame_rows
    from rv_dcc.monitor.cost import estimate_from_frames

    try:
        return estimate_from_frames(frame_rows(api, task_id))
    except Exception as error:  # noqa: BLE001 - the summary still comes, with the record's figure
        log.info("frames of task %s not read for the summary: %s", task_id, error)
        return None


def _ended_json(task_id: int, record: Optional[Dict[str, Any]], symbol: str, estimate: Any = None) -> Dict[str, Any]:
    from rv_dcc.commands.jsonout import iso, task_status
    from rv_dcc.monitor.cost import estimate_from_task
    from rv_dcc.monitor.outcome import next_step, outcome_line

    cost = estimate if estimate is not None else (estimate_from_task(record) if record is not None else None)
    step = next_step(task_id, record or {}, cost.projected if cost is not None else None, symbol)
    return {"event": "ended" if record is not None and _number(record.get("taskStatus")) in END_STATES else "left",
            "task_id": task_id, **task_status((record or {}).get("taskStatus")),
            "summary": outcome_line(task_id, record, estimate, symbol),
            "next": {"kind": step.kind, "command": step.command or None, "text": step.text}, "at": iso(time.time())}


class Watcher:
    """What ``watch`` does at each change: enforce budgets (rv_dcc.monitor.budget), report, and
    notify once per task that ends (a bell and a desktop notification)."""

    def __init__(self, api: Any, as_json: bool, notify: bool) -> None:
        from rv_dcc.monitor.budget import BudgetGuard

        self.api = api
        self.guard = BudgetGuard(api)
        self.as_json = as_json
        self.notify = notify
        self._symbol: Optional[str] = None
        self.bars = None if as_json else Bars()
        self.ended: Dict[int, int] = {}
        self.alive: set = set()  #: tasks seen before they ended (one already over when watching began is not news)

    @property
    def symbol(self) -> str:
        """The account's currency symbol, asked once the farm answered (never before: a farm not
        reached must fail fast)."""
        if self._symbol is None:
            from rv_dcc.commands.status import currency

            self._symbol = currency(self.api).symbol
        return self._symbol

    def update(self, records: Dict[int, Dict[str, Any]]) -> None:
        from rv_dcc.commands.connect import emit_json

        for event in self.guard.check(records.values()):
            if self.as_json:
                emit_json(dict(event.to_json(), at=_now_iso()))
            else:
                print(f"rv-dcc: {event.message(self.symbol)}", file=sys.stderr)
        if self.as_json:
            for task_id, record in sorted(records.items()):
                emit_json(progress_json(task_id, record))
        elif self.bars is not None:
            self.bars.update(records)
        for task_id, record in sorted(records.items()):
            status = _number(record.get("taskStatus"))
            if status not in END_STATES:
                self.alive.add(task_id)
            elif self.ended.get(task_id) != status:
                self.ended[task_id] = status
                if self.notify and task_id in self.alive:
                    self._notify(task_id, record)

    def _notify(self, task_id: int, record: Dict[str, Any]) -> None:
        from rv_dcc.monitor.notify import bell, desktop
        from rv_dcc.monitor.outcome import outcome_line

        line = outcome_line(task_id, record, symbol=self.symbol)
        if not self.as_json:
            bell()
        desktop(f"rv_dcc: task {task_id} {'finished' if _number(record.get('taskStatus')) in CLEAN_END else 'ended'}",
                line)

    def close(self) -> None:
        if self.bars is not None:
            self.bars.close()


def _now_iso() -> Optional[str]:
    from rv_dcc.commands.jsonout import iso

    return iso(time.time())


def _run(args: Any) -> int:
    from rv_dcc.commands.connect import connect, emit_json

    api = connect(args)
    ids = [int(t) for t in args.task_id]
    final: Dict[int, Dict[str, Any]] = {}
    try:
        watcher = Watcher(api, args.json, not args.no_notify)
        try:
            final = follow(api, ids, watcher.update, interval=args.interval, timeout=args.timeout)
        except KeyboardInterrupt:
            watcher.close()
            # Ctrl-C stops the watching, not the render: say so, an artist fears the opposite.
            print("stopped watching; the task(s) keep rendering on the farm. Watch again: rv-dcc watch "
                  + " ".join(str(t) for t in ids), file=sys.stderr)
            return 130
        finally:
            watcher.close()
        symbol = watcher.symbol if final else "$"
        for task_id in ids:
            record = final.get(task_id)
            estimate = _frames_estimate(api, task_id, record)
            if args.json:
                emit_json(_ended_json(task_id, record, symbol, estimate))
            else:
                from rv_dcc.monitor.outcome import outcome_line

                print(outcome_line(task_id, record, estimate, symbol), file=sys.stderr)
        return exit_code(final)
    finally:
        api.close()
