"""The panel's worker gate: the monitor's workers step aside while the GUI thread paints.

Why: the poll workers normalise and diff thousands of rows in pure Python, and the GUI thread
needs the GIL in short bursts - every ``data()`` call a view makes while it paints, every slice
of an applied change set. CPython hands the GIL over only when its holder lets go; a worker
running Python keeps it for up to the switch interval (5 ms) each time, so a paint that needs
4 ms of Python could take 40. The monitor's loops call a *checkpoint* every
:data:`rv_dcc.monitor.changes.PACE_ROWS` rows (injected into the poller; a no-op by default,
so the CLI and tests pay nothing); the panel's checkpoint is :meth:`Gate.pause`. While the GUI
thread holds the gate (a paint, one time-budgeted drain slice) workers wait at it; otherwise
they step aside for :data:`HANDOVER` so a thread waiting for the GIL gets it.

The gate belongs to one panel (nothing here is process-wide: no switch interval, no garbage
collector settings); a worker never waits more than :data:`MAX_WAIT` per pause, so a hold that
is never released slows background work down but cannot stop it. The views whose paints hold
it are below. Qt only on the GUI thread: :meth:`Gate.pause` is plain Python.
"""
import sys
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from qtpy import QtWidgets

#: The longest a worker waits at one pause for the GUI thread to finish (seconds).
MAX_WAIT = 0.05
#: How long a worker steps aside at an open gate (seconds): ``sleep(0)`` drops the GIL and takes
#: it straight back before a waiting thread has woken up; 0.1 ms lets the GUI thread in. Before
#: Python 3.11 Windows rounds a sleep up to a 15.6 ms tick, so there ``sleep(0)`` (Windows'
#: ``Sleep(0)``, which does yield to a ready thread) is used. (Not measured on Windows.)
HANDOVER = 0.0 if sys.platform == "win32" and sys.version_info < (3, 11) else 0.0001


class Gate:
    """Held by the GUI thread while it paints; the panel's workers pause at :meth:`pause`."""

    def __init__(self, max_wait: float = MAX_WAIT) -> None:
        self.max_wait = max_wait
        self._owner = threading.current_thread()  # the GUI thread: it never pauses at its own gate
        self._open = threading.Event()
        self._open.set()
        self._depth = 0
        self._lock = threading.Lock()
        self.waits = 0  #: pauses that found the gate held (tests and the bench read it)

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Keep the workers paused for the duration (re-entrant; GUI thread)."""
        with self._lock:
            self._depth += 1
            self._open.clear()
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    self._open.set()

    def held(self) -> bool:
        """True while the GUI thread holds the gate."""
        return not self._open.is_set()

    def pause(self) -> None:
        """The monitor's checkpoint (worker side): let the GUI thread run. On the GUI thread
        itself (a reply diffed again there) it does nothing."""
        if threading.current_thread() is self._owner:
            return
        if self._open.is_set():
            time.sleep(HANDOVER)
            return
        self.waits += 1
        self._open.wait(self.max_wait)


class _GatedPaint:
    """Mixed in before a Qt view class: its paints hold its panel's gate."""

    gate: Gate

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        with self.gate.hold():
            super().paintEvent(event)  # type: ignore[misc]


class TreeView(_GatedPaint, QtWidgets.QTreeView):
    """A QTreeView whose paints hold ``gate``."""

    def __init__(self, gate: Gate, parent: Any = None) -> None:
        super().__init__(parent)
        self.gate = gate


class TableView(_GatedPaint, QtWidgets.QTableView):
    """A QTableView whose paints hold ``gate``."""

    def __init__(self, gate: Gate, parent: Any = None) -> None:
        super().__init__(parent)
        self.gate = gate


class ListView(_GatedPaint, QtWidgets.QListView):
    """A QListView whose paints hold ``gate``."""

    def __init__(self, gate: Gate, parent: Any = None) -> None:
        super().__init__(parent)
        self.gate = gate
