"""Where a task stands and what to run next, in one place for ``watch``, ``status`` and notifications.

:func:`next_step` maps a task record to the command an artist runs next: download a finished
task, retry failed frames, start a task that waits after its test frames (with the projected
total of the whole render from the test frames' real cost — :func:`rv_dcc.monitor.cost.
estimate_from_frames`, the figure the panel shows), start a stopped one. :func:`outcome_line` is
the one-line summary. Pure standard library.
"""
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from rv_dcc.monitor.cost import CostEstimate, estimate_from_task
from rv_dcc.monitor.funds import money_text
from rv_dcc.monitor.progress import task_progress

FINISHED, WITH_FAILURES, TEST_FINISHED, FAILED, ABANDONED = 25, 30, 40, 45, 35
STOPPED = frozenset({10, 15, 23})
ARREARS = 20
#: where watching stops: the farm's end states and "test finished" (it waits for the artist)
END_STATES = frozenset({10, 15, 20, 23, 25, 30, 35, 40, 45})


def _int(value: Any) -> int:
    try:
        return max(int(value), 0) if not isinstance(value, bool) else 0
    except (TypeError, ValueError):
        return 0


def _code(value: Any) -> Optional[int]:
    try:
        return None if isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        return None


def remaining_after_test(record: Mapping[str, Any]) -> int:
    """Frames a test-finished task still has to render (total minus done, as the panel counts)."""
    progress = task_progress(record)  # frames, not render blocks
    return max(progress.total - progress.done, 0)


@dataclass(frozen=True)
class NextStep:
    """What to do next: ``command`` to run ("" when nothing is left to do) and why, in words."""

    kind: str       #: download, retry, render_rest, start, top_up, watch, investigate, none
    command: str
    text: str


def next_step(task_id: int, record: Mapping[str, Any], projected: Optional[float] = None,
              symbol: str = "$") -> NextStep:
    """The next command for a task in ``record``'s state (``projected``: the whole render's
    projected total, for a test-finished task)."""
    status = _code(record.get("taskStatus"))
    failed = _int(record.get("failedFrames"))
    if status == TEST_FINISHED:
        rest = remaining_after_test(record)
        cost = f", projected total {money_text(projected, symbol)}" if projected is not None else ""
        return NextStep("render_rest", f"rv-dcc start {task_id}",
                        f"test frames done — check them, then render the remaining {rest} frames{cost}")
    if status in (WITH_FAILURES, FAILED) or (status == FINISHED and failed):
        return NextStep("retry", f"rv-dcc retry {task_id} --failed",
                        f"{failed} frame(s) failed: see why with rv-dcc frames {task_id}, then render them again")
    if status == FINISHED:
        return NextStep("download", f"rv-dcc download {task_id} --to DIR", "fetch the outputs")
    if status == ARREARS:
        return NextStep("top_up", f"rv-dcc start {task_id}", "the account ran out of money: top it up, then start it")
    if status in STOPPED:
        return NextStep("start", f"rv-dcc start {task_id}", "stopped: start it to render on")
    if status == ABANDONED:
        return NextStep("none", "", "abandoned")
    return NextStep("watch", f"rv-dcc watch {task_id}", "still going on the farm")


def outcome_line(task_id: int, record: Optional[Mapping[str, Any]], estimate: Optional[CostEstimate] = None,
                 symbol: str = "$") -> str:
    """``task 19002 finished with failed frames: 8/10 frames, 2 failed, cost $0.12 — next: rv-dcc
    retry 19002 --failed``; ``estimate`` from the task's frames when known, else from the record."""
    from rv_dcc.api.status import TaskStatus

    if record is None:
        return f"task {task_id}: no answer from the farm — try again: rv-dcc status {task_id}"
    status = _code(record.get("taskStatus"))
    sent = str(record.get("taskStatus"))[:20] if record.get("taskStatus") is not None else "unknown"
    known = TaskStatus.of(status)
    name = known.display if known is not None else sent
    cost = estimate if estimate is not None else estimate_from_task(record)
    done, failed, total = task_progress(record)  # frames, not render blocks
    frames = f"{done}/{total} frames" + (f", {failed} failed" if failed else "")
    step = next_step(task_id, record, cost.projected, symbol)
    tail = f" — {step.text}: {step.command}" if step.command else ""
    return f"task {task_id} {name}: {frames}, cost {money_text(cost.so_far, symbol)}{tail}"
