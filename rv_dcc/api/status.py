"""The farm's task and frame status codes (spec/wire.md §6) as enums: one place for what each
code means, whether it is over, failed or still moving, and what it is called.

``taskStatus`` and ``frameStatus`` arrive as plain integers; :meth:`TaskStatus.of` and
:meth:`FrameStatus.of` read one as the farm sent it (an int, or a string of digits) and return
None for anything else (a code this client does not know, a boolean, garbage), so a caller
decides what an unknown state means instead of guessing. Members compare equal to their codes
(``IntEnum``), so ``row["taskStatus"] == TaskStatus.FINISHED`` reads the wire directly.

The English names here are for logs, the CLI and JSON; the panel shows its own translated
texts keyed by the same codes. Standard library only: the Blender add-on and the CLI import
this module without requests or pydantic.
"""
from enum import IntEnum
from typing import Any, Dict, FrozenSet, Iterable, Optional, Type, TypeVar

_E = TypeVar("_E", bound=IntEnum)


def _of(enum: Type[_E], value: Any) -> Optional[_E]:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    try:
        return enum(value)
    except ValueError:
        return None


class TaskStatus(IntEnum):
    """A task's ``taskStatus``."""

    WAITING = 0
    #: api_reference.md's table says "1/Waiting"; wire.md §6 and every reply it shows use 0. Both
    #: are read as waiting.
    WAITING_1 = 1
    RENDERING = 5
    PRE_RENDERING = 8
    STOPPED = 10
    STOPPED_BY_USER = 15
    STOPPED_ARREARS = 20
    STOPPED_TIMEOUT = 23
    FINISHED = 25
    FINISHED_WITH_FAILURES = 30
    ABANDONED = 35
    TEST_FINISHED = 40
    FAILED = 45
    ANALYSING = 50
    UPDATING = 100

    def __str__(self) -> str:  # the code, as Python 3.11+ prints it, on 3.9 and 3.10 too
        return str(int(self))

    @classmethod
    def of(cls, value: Any) -> Optional["TaskStatus"]:
        """The status a farm sent (int or digit string); None when it is not a known code."""
        return _of(cls, value)

    @property
    def display(self) -> str:
        """The English name (spec/wire.md §6), e.g. "finished with failed frames"."""
        return _TASK_NAMES[self]

    @property
    def is_final(self) -> bool:
        """Nothing changes any more unless someone acts: wire.md's end states (10, 20, 23, 25, 30,
        35, 45), the artist's own stop (15) and "test finished" (40, the task waits to be told to
        render the rest)."""
        return self in _TASK_FINAL

    @property
    def is_failed(self) -> bool:
        """The task failed, or finished with failed frames."""
        return self in (TaskStatus.FAILED, TaskStatus.FINISHED_WITH_FAILURES)

    @property
    def is_active(self) -> bool:
        """Work is going on or about to (waiting, rendering, pre-rendering, analysing, updating):
        a monitor polls fast."""
        return self in _TASK_ACTIVE

    @property
    def is_stopped(self) -> bool:
        """Stopped (by the artist, the farm, arrears or a timeout) and can be started again."""
        return self in (TaskStatus.STOPPED, TaskStatus.STOPPED_BY_USER, TaskStatus.STOPPED_ARREARS,
                        TaskStatus.STOPPED_TIMEOUT)


class FrameStatus(IntEnum):
    """A frame's ``frameStatus``."""

    WAITING = 1
    RENDERING = 2
    STOPPED = 3
    DONE = 4
    FAILED = 5
    WAITING_PREPROCESS = 6
    WAITING_PHOTON_FRAME = 7
    WAITING_PRIORITY = 8
    WAITING_PHOTON_JOB = 9
    WAITING_SETTLEMENT = 10
    TIMED_OUT = 11

    def __str__(self) -> str:  # the code, as Python 3.11+ prints it, on 3.9 and 3.10 too
        return str(int(self))

    @classmethod
    def of(cls, value: Any) -> Optional["FrameStatus"]:
        """The status a farm sent (int or digit string); None when it is not a known code."""
        return _of(cls, value)

    @property
    def display(self) -> str:
        """The English name (spec/wire.md §6), e.g. "waiting for the photon frame"."""
        return _FRAME_NAMES[self]

    @property
    def is_final(self) -> bool:
        """Done, failed, timed out or stopped: the frame does not move by itself any more."""
        return self in (FrameStatus.STOPPED, FrameStatus.DONE, FrameStatus.FAILED, FrameStatus.TIMED_OUT)

    @property
    def is_failed(self) -> bool:
        """Failed or timed out: what "retry failed frames" renders again."""
        return self in (FrameStatus.FAILED, FrameStatus.TIMED_OUT)

    @property
    def is_active(self) -> bool:
        """Rendering or one of the waiting kinds."""
        return not self.is_final


_TASK_NAMES: Dict[TaskStatus, str] = {
    TaskStatus.WAITING: "waiting", TaskStatus.WAITING_1: "waiting", TaskStatus.RENDERING: "rendering",
    TaskStatus.PRE_RENDERING: "pre-rendering", TaskStatus.STOPPED: "stopped",
    TaskStatus.STOPPED_BY_USER: "stopped by user", TaskStatus.STOPPED_ARREARS: "stopped for arrears",
    TaskStatus.STOPPED_TIMEOUT: "stopped on timeout", TaskStatus.FINISHED: "finished",
    TaskStatus.FINISHED_WITH_FAILURES: "finished with failed frames", TaskStatus.ABANDONED: "abandoned",
    TaskStatus.TEST_FINISHED: "test finished", TaskStatus.FAILED: "failed", TaskStatus.ANALYSING: "analysing",
    TaskStatus.UPDATING: "updating",
}
_TASK_FINAL: FrozenSet[TaskStatus] = frozenset({
    TaskStatus.STOPPED, TaskStatus.STOPPED_BY_USER, TaskStatus.STOPPED_ARREARS, TaskStatus.STOPPED_TIMEOUT,
    TaskStatus.FINISHED, TaskStatus.FINISHED_WITH_FAILURES, TaskStatus.ABANDONED, TaskStatus.TEST_FINISHED,
    TaskStatus.FAILED,
})
_TASK_ACTIVE: FrozenSet[TaskStatus] = frozenset({
    TaskStatus.WAITING, TaskStatus.WAITING_1, TaskStatus.RENDERING, TaskStatus.PRE_RENDERING,
    TaskStatus.ANALYSING, TaskStatus.UPDATING,
})
_FRAME_NAMES: Dict[FrameStatus, str] = {
    FrameStatus.WAITING: "waiting", FrameStatus.RENDERING: "rendering", FrameStatus.STOPPED: "stopped",
    FrameStatus.DONE: "done", FrameStatus.FAILED: "failed",
    FrameStatus.WAITING_PREPROCESS: "waiting for pre-processing",
    FrameStatus.WAITING_PHOTON_FRAME: "waiting for the photon frame",
    FrameStatus.WAITING_PRIORITY: "waiting for priority frames",
    FrameStatus.WAITING_PHOTON_JOB: "waiting for the photon job",
    FrameStatus.WAITING_SETTLEMENT: "waiting for the settlement job", FrameStatus.TIMED_OUT: "timed out",
}


def task_status_text(value: Any) -> str:
    """The English name of a ``taskStatus`` as the farm sent it; an unknown one as sent (shortened)."""
    status = TaskStatus.of(value)
    return status.display if status is not None else ("unknown" if value is None else str(value)[:20])


def frame_status_text(value: Any) -> str:
    """The English name of a ``frameStatus`` as the farm sent it; an unknown one as sent (shortened)."""
    status = FrameStatus.of(value)
    return status.display if status is not None else ("unknown" if value is None else str(value)[:20])


def frame_failed(value: Any) -> bool:
    """True for a ``frameStatus`` of a failed or timed-out frame (what "retry failed" renders again)."""
    status = FrameStatus.of(value)
    return status is not None and status.is_failed


def task_final(value: Any) -> bool:
    """True for a ``taskStatus`` in which the task no longer changes by itself (see ``is_final``)."""
    status = TaskStatus.of(value)
    return status is not None and status.is_final


def frame_counts(statuses: Iterable[Any]) -> Dict[str, int]:
    """Counts of frames by state for a header line: total, done, failed (incl. timed out), rendering."""
    counts = {"total": 0, "done": 0, "failed": 0, "rendering": 0}
    for value in statuses:
        counts["total"] += 1
        status = FrameStatus.of(value)
        if status is FrameStatus.DONE:
            counts["done"] += 1
        elif status is not None and status.is_failed:
            counts["failed"] += 1
        elif status is FrameStatus.RENDERING:
            counts["rendering"] += 1
    return counts
