"""Run queued GUI-thread steps a slice at a time, so no step of applying a poll freezes the panel.

A :class:`Drain` holds steps (callables) in order and runs them from a zero-interval timer,
stopping each event-loop turn once its time budget is spent; painting, input and the host's own
events get their turn in between (Flamenco's add-on drains its queue from a modal timer the
same way). Steps carry a tag so that a whole kind of pending work can be dropped when it is
superseded (another task selected, another query). Budgets are wall-clock: on a busy machine a
slice does less, rather than taking longer.
"""
import logging
import time
from collections import deque
from typing import Any, Callable, Deque, Hashable, Iterable, Optional, Tuple

from qtpy import QtCore


log = logging.getLogger("rv_dcc.ui.drain")
Step = Callable[[], None]
#: Time one event-loop turn may spend on queued steps (seconds).
BUDGET = 0.008


class Drain(QtCore.QObject):
    """Ordered steps, run within a time budget per event-loop turn (GUI thread only)."""

    def __init__(self, budget: float = BUDGET, parent: Optional[QtCore.QObject] = None,
                 gate: Optional[Any] = None) -> None:
        super().__init__(parent)
        self.gate = gate  #: held while a slice runs (rv_dcc.ui.pacing.Gate): workers wait meanwhile
        self.budget = budget
        self.slices = 0  #: event-loop turns that ran steps (tests and the bench read it)
        self._steps: Deque[Tuple[Hashable, Step]] = deque()
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run)

    def push(self, tag: Hashable, steps: Iterable[Step]) -> None:
        """Queue ``steps`` (in order) after everything already queued."""
        self._steps.extend((tag, step) for step in steps)
        if self._steps and not self._timer.isActive():
            self._timer.start()

    def drop(self, tag: Hashable) -> None:
        """Forget the queued steps of ``tag`` (their work was superseded)."""
        self._steps = deque(entry for entry in self._steps if entry[0] != tag)
        if not self._steps:
            self._timer.stop()

    def busy(self) -> bool:
        """True while steps are queued."""
        return bool(self._steps)

    def flush(self) -> None:
        """Run every queued step now (closing the panel, tests)."""
        while self._steps:
            self._steps.popleft()[1]()
        self._timer.stop()

    def _run(self) -> None:
        if self.gate is None:
            self._run_slice()
            return
        with self.gate.hold():  # workers wait while a slice runs: its Python never queues for the GIL
            self._run_slice()

    def _run_slice(self) -> None:
        start = time.perf_counter()
        self.slices += 1
        while self._steps:
            _tag, step = self._steps.popleft()
            try:
                step()
            except Exception:  # noqa: BLE001 - one bad step must not stop the queue or the event loop
                log.exception("queued step failed")
            if time.perf_counter() - start >= self.budget:
                break
        if not self._steps:
            self._timer.stop()
