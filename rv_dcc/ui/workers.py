"""Run blocking work on plain Python threads and deliver results on the GUI thread, dropping superseded ones.

Workers never create, touch or destroy a Qt object (DESIGN.md, "living inside someone else's
process"): they are plain daemon threads that take callables from a queue and put
``(token, result, error)`` on another; a timer on the GUI thread, running only while results
are owed, takes them from there and calls the caller's callback. That is the one queued path
from the workers to the interface. A job must therefore return plain data (bytes, dicts,
change sets), never a QImage or a widget.

Calls made with a ``key`` supersede earlier calls with the same key: only the newest one's
callback runs (deadline-cloud's async runner does the same), so a slow reply for a previous
selection never lands on the current one. :meth:`AsyncRunner.close` forgets every callback it
holds (so none keeps the panel alive in a reference cycle), stops the threads and waits a
bounded time for a running job. The threads are daemons: a host that quits while a request
hangs is never held up by one.
"""
import itertools
import logging
import queue
import threading
import time
from typing import Any, Callable, Dict, Hashable, List, Optional, Tuple

from qtpy import QtCore

log = logging.getLogger("rv_dcc.ui.workers")

Callback = Callable[[Any], None]
#: How often the GUI thread looks for results while some are owed (milliseconds).
DELIVERY_MS = 4
#: Progress shown at most this often (seconds): see AsyncRunner.channel.
PROGRESS_EVERY = 0.1
_STOP = object()
_NONE = object()


class AsyncRunner(QtCore.QObject):
    """A small pool of daemon threads with keyed supersession; callbacks run on the GUI thread."""

    def __init__(self, max_threads: int = 4, parent: Optional[QtCore.QObject] = None,
                 name: str = "rv_dcc-worker") -> None:
        super().__init__(parent)
        self.max_threads = max(1, int(max_threads))
        self.name = name
        self._pool = _Pool()
        self._jobs = self._pool.jobs
        self._results = self._pool.results
        self._threads: List[threading.Thread] = []
        self._tokens = itertools.count(1)
        self._pending: Dict[int, Tuple[Optional[Hashable], Optional[Callback], Optional[Callback]]] = {}
        self._latest: Dict[Hashable, int] = {}
        self._channels: Dict[int, Callback] = {}
        self._throttle: Dict[int, List[Any]] = {}
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(DELIVERY_MS)
        self._timer.timeout.connect(self.deliver)
        self.dropped = 0
        self.closed = False

    # --- GUI thread ------------------------------------------------------------------------------
    def run(self, fn: Callable[[], Any], on_done: Optional[Callback] = None,
            on_error: Optional[Callback] = None, key: Optional[Hashable] = None) -> int:
        """Run ``fn`` on a worker; returns a token. With ``key``, earlier calls of that key are superseded."""
        if self.closed:
            raise RuntimeError("this runner is closed")
        token = next(self._tokens)
        self._pending[token] = (key, on_done, on_error)
        if key is not None:
            self._latest[key] = token
        self._jobs.put((token, fn))
        self._grow()
        if not self._timer.isActive():
            self._timer.start()
        return token

    def channel(self, on_progress: Callback, every: float = PROGRESS_EVERY,
                phase: Optional[Callable[[Any], Hashable]] = None) -> "Reporter":
        """A progress callable for a job: a worker calls it with an event (plain data) and
        ``on_progress`` gets the newest event on the GUI thread, at most once per ``every``
        seconds (a file-by-file upload reports hundreds a second; the eye needs ten, and each one
        shown costs the host's GUI thread a relayout). With ``phase`` (e.g. an event's stage), the
        first event of each new phase is always shown, in order. Open until :meth:`close_channel`."""
        number = -next(self._tokens)
        self._channels[number] = on_progress
        # interval, last shown at, event held back, phase function, last phase seen
        self._throttle[number] = [every, 0.0, _NONE, phase, _NONE]
        if not self._timer.isActive():
            self._timer.start()
        return Reporter(self._pool.results, number)

    def close_channel(self, reporter: "Reporter") -> None:
        """Stop delivering a channel's events (the job it reported on has ended)."""
        self._channels.pop(reporter.number, None)
        self._throttle.pop(reporter.number, None)

    def cancel(self, key: Hashable) -> None:
        """Supersede every call made with ``key`` (their callbacks will not run)."""
        self._latest[key] = -1

    def busy(self) -> bool:
        """True while any call has not delivered its result yet."""
        return bool(self._pending)

    def threads(self) -> List[threading.Thread]:
        """The worker threads alive now (tests)."""
        return [thread for thread in self._threads if thread.is_alive()]

    def deliver(self) -> None:
        """Run the callbacks of every result that has arrived (the timer calls this)."""
        while True:
            try:
                token, result, error = self._results.get_nowait()
            except queue.Empty:
                break
            if token < 0:
                self._progress_event(token, result)
            else:
                self._deliver_one(token, result, error)
        now = time.monotonic()
        for number, throttle in list(self._throttle.items()):
            every, shown_at, held = throttle[:3]
            if held is not _NONE and now - shown_at >= every:
                throttle[2] = _NONE
                self._show_progress(number, held, now)
        if not self._pending and not self._channels:
            self._timer.stop()

    def _progress_event(self, number: int, event: Any) -> None:
        throttle = self._throttle.get(number)
        if throttle is None:
            return
        phase = throttle[3]
        if phase is not None:
            try:
                current = phase(event)
            except Exception:  # noqa: BLE001 - an odd event is still shown, throttled
                current = _NONE
            if current is not _NONE and current != throttle[4]:
                throttle[4], throttle[2] = current, _NONE
                self._show_progress(number, event, time.monotonic())
                return
        throttle[2] = event  # the newest is shown when the interval allows

    def _show_progress(self, number: int, event: Any, now: float) -> None:
        on_progress = self._channels.get(number)
        throttle = self._throttle.get(number)
        if on_progress is None or throttle is None or self.closed:
            return
        throttle[1] = now
        try:
            on_progress(event)
        except Exception:  # noqa: BLE001 - a callback bug must not kill the event loop
            log.exception("progress callback failed")

    def _deliver_one(self, token: int, result: Any, error: Any) -> None:
        if token < 0:  # a progress event met while waiting (wait())
            return
        key, on_done, on_error = self._pending.pop(token, (None, None, None))
        if self.closed:
            return
        if key is not None and self._latest.get(key) != token:
            self.dropped += 1
            return
        if key is not None:
            self._latest.pop(key, None)
        try:
            if error is not None:
                if on_error is not None:
                    on_error(error)
                else:
                    log.warning("background work failed: %s", error)
            elif on_done is not None:
                on_done(result)
        except Exception:  # noqa: BLE001 - a callback bug must not kill the event loop
            log.exception("callback failed")

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every call has delivered (tests, scripts); False when time ran out."""
        deadline = time.monotonic() + msecs / 1000.0
        while self._pending and time.monotonic() < deadline:
            try:
                token, result, error = self._results.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self._deliver_one(token, result, error)
            self.deliver()
        return not self._pending

    def close(self, seconds: float = 5.0) -> None:
        """Stop delivering, forget every callback, stop the threads (waiting at most ``seconds``
        for a running job: it can no longer reach the interface either way)."""
        self.closed = True
        self._timer.stop()
        self._pending.clear()
        self._latest.clear()
        self._channels.clear()
        self._throttle.clear()
        while True:  # jobs not started yet never start
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        for _ in self._threads:
            self._jobs.put(_STOP)
        deadline = time.monotonic() + seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = self.threads()
        if self._threads:
            log.info("%d background job(s) still running after the panel closed; their results are dropped",
                     len(self._threads))

    # --- workers -----------------------------------------------------------------------------------
    def _grow(self) -> None:
        pool = self._pool
        with pool.lock:
            self._threads = [thread for thread in self._threads if thread.is_alive()]
            if pool.idle > 0 or len(self._threads) >= self.max_threads:
                return
            # the thread gets the plain _Pool only: no reference to this QObject (or anything Qt)
            # may ever be dropped on a worker
            thread = threading.Thread(target=pool.work, name=f"{self.name}-{len(self._threads) + 1}", daemon=True)
            self._threads.append(thread)
        thread.start()


class Reporter:
    """A job's progress callable (see :meth:`AsyncRunner.channel`): plain Python, for workers."""

    def __init__(self, results: "queue.SimpleQueue[Tuple[int, Any, Any]]", number: int) -> None:
        self.results = results
        self.number = number

    def __call__(self, event: Any) -> bool:
        self.results.put((self.number, event, None))
        return True


class _Pool:
    """What the worker threads share with the runner: two queues and an idle count. Plain Python."""

    def __init__(self) -> None:
        self.jobs: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        self.results: "queue.SimpleQueue[Tuple[int, Any, Any]]" = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.idle = 0

    def work(self) -> None:
        """A worker's loop (the module docstring says why it is plain Python only)."""
        while True:
            with self.lock:
                self.idle += 1
            item = self.jobs.get()
            with self.lock:
                self.idle -= 1
            if item is _STOP:
                return
            token, fn = item
            del item
            try:
                result = fn()
            except BaseException as error:  # noqa: BLE001 - every failure goes back to the GUI thread
                self.results.put((token, None, error))
            else:
                self.results.put((token, result, None))
                del result
            del fn
