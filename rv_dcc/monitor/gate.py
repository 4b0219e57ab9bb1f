"""A gate that pauses the monitor's background Python work while the GUI thread paints.

Why: the poll workers build and compare snapshots in pure Python. The GUI thread also needs
the GIL, in short bursts — every ``data()`` call a view makes while it paints, every slice of
an applied change set. CPython hands the GIL over only when its holder lets go: a worker that
runs Python keeps it for up to the switch interval (5 ms) each time, and under PySide6 a
repaint makes dozens of such calls, so a paint that needs 4 ms of Python could take 40. The
workers already yield every few rows (:func:`pace`); with the gate, while the GUI thread holds
it they *wait* instead of competing, so each of its calls gets the GIL at once.

The GUI side holds the gate only for what must not wait (a paint, one time-budgeted drain
slice) and never for long; a worker never waits more than :data:`MAX_WAIT` per pause, so a
hold that is never released (a bug) slows background work down but cannot stop it.

The second thing that stops every thread is CPython's full garbage collection: it walks every
container in the process (20-30 ms in a panel showing 5,000 tasks), and it is triggered by the
containers that survive younger collections. A poll builds thousands of them (the decoded
reply's task items and their sub-task lists) that live exactly as long as the fetch, so with
collections running during it they survive, pile up and set off a full collection every
other poll. :func:`collections_deferred` holds cyclic collection off for the fetch (at most
:data:`MAX_DEFER` seconds, so a hung request never keeps it off in a host's process): those
temporaries are freed by reference counting when it ends without ever reaching the old
generation. The rows the panel keeps hold only numbers and strings, which CPython does not
track at all.

Pure standard library: the Qt side lives in :mod:`rv_dcc.ui.gated`.
"""
import gc
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator, Optional

#: The longest a worker waits at one pause for the GUI thread to finish (seconds).
MAX_WAIT = 0.05
#: How long a worker steps aside at an open gate (seconds). ``sleep(0)`` drops the GIL and takes
#: it straight back before a waiting thread has woken up; 0.1 ms is long enough for the GUI
#: thread to wake and take it. Measured with bench/monitor_scale.py: PySide2 on Python 3.10,
#: worst stall 55-69 ms with sleep(0), 20-23 ms with this; PySide6 unchanged or better (Linux).
#: Before Python 3.11, Windows rounds a sleep up to whole milliseconds (often a 15.6 ms tick),
#: which would slow every poll by seconds; there ``sleep(0)`` is Windows' own ``Sleep(0)``, which
#: does give the processor to a ready thread. (Not measured on Windows here.)
HANDOVER = 0.0 if sys.platform == "win32" and sys.version_info < (3, 11) else 0.0001


class Gate:
    """Held by the GUI thread while it paints; background work pauses at :meth:`pause`."""

    def __init__(self, max_wait: float = MAX_WAIT) -> None:
        self.max_wait = max_wait
        self._open = threading.Event()
        self._open.set()
        self._depth = 0
        self._lock = threading.Lock()
        self.waits = 0  #: pauses that found the gate held (tests read it)

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Keep background work paused for the duration (re-entrant; GUI thread)."""
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
        """True while someone holds the gate."""
        return not self._open.is_set()

    def pause(self) -> None:
        """Worker side: let the GUI thread run.

        When the gate is open, step aside for :data:`HANDOVER` so that a thread waiting for the
        GIL gets it. When it is held, wait (without the GIL) until it opens, at most
        :attr:`max_wait`.
        """
        if self._open.is_set():
            time.sleep(HANDOVER)
            return
        self.waits += 1
        self._open.wait(self.max_wait)


#: The longest cyclic collection stays off for one deferral (seconds). A fetch that waits on a
#: slow or dead network must not keep it off in the host's whole process; past this the
#: collector runs again (at worst one full collection lands during that fetch).
MAX_DEFER = 2.0


class _Deferral:
    """Counts the threads inside :func:`collections_deferred` (the GC switch is process-wide)."""

    def __init__(self, max_seconds: float = MAX_DEFER) -> None:
        self.max_seconds = max_seconds
        self.lock = threading.Lock()
        self.users = 0
        self.was_enabled = False
        self.expired = 0  #: deferrals cut short by max_seconds (tests read it)
        self._timer: Optional[threading.Timer] = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if self.users == 0:
                self.was_enabled = gc.isenabled()
                if self.was_enabled:
                    # the time bound first: if no thread can be started, collection is left alone
                    timer = threading.Timer(self.max_seconds, self._expire)
                    timer.daemon = True
                    timer.start()
                    self._timer = timer
                    gc.disable()
            self.users += 1
        try:
            yield
        finally:
            with self.lock:
                self.users -= 1
                if self.users == 0:
                    if self._timer is not None:
                        self._timer.cancel()
                        self._timer = None
                    if self.was_enabled:
                        gc.enable()  # only if it was on: a host that turned it off keeps it off

    def _expire(self) -> None:
        with self.lock:
            if self.users > 0 and self.was_enabled and not gc.isenabled():
                self.expired += 1
                gc.enable()


#: ``with collections_deferred():`` - no cyclic garbage collection until the last such block
#: in any thread ends (reference counting still frees everything that is dropped).
collections_deferred = _Deferral()


#: The process's gate: the panel's views hold it while painting, the monitor's workers pause at it.
GATE = Gate()


def yield_to_gui() -> None:
    """In a worker: pause at :data:`GATE`. On the main (GUI) thread: nothing - it must neither
    sleep nor wait for a gate it may itself be holding (the same code sometimes runs there, e.g.
    a reply diffed again because another landed first, or a call from the command line)."""
    if threading.current_thread() is not threading.main_thread():
        GATE.pause()


#: Rows a worker handles between two pauses. The GUI thread needs the GIL for every item-model
#: callback, and a worker only lets go of it at a pause (or after the 5 ms switch interval):
#: every 32 rows (a fraction of a millisecond) with a 0.1 ms pause kept the longest GUI stall
#: near 20 ms at 5,000 tasks (bench/monitor_scale.py), at ~10% more time per poll for the worker.
PACE_ROWS = 32


def pace(count: int, every: int = PACE_ROWS) -> None:
    """:func:`yield_to_gui` every ``every`` items of a loop."""
    if count % every == 0:
        yield_to_gui()
