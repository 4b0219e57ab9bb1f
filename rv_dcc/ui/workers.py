"""Run blocking work off the GUI thread and deliver results back on it, dropping superseded ones.

:class:`AsyncRunner` puts a callable on its own ``QThreadPool``; the result (or the exception)
comes back through a queued signal to the thread that owns the runner, where the caller's
callback runs. Calls made with a ``key`` supersede earlier calls with the same key: only the
newest one's callback runs (deadline-cloud's async runner does the same), so a slow reply for a
previous selection never lands on the current one. The pool is the runner's own, so closing a
panel waits for exactly its work. Nothing is created at import: the signal bridge is built in
the constructor.
"""
import itertools
import logging
from typing import Any, Callable, Dict, Hashable, Optional, Tuple

from qtpy import QtCore

from rv_dcc.monitor.gate import GATE

log = logging.getLogger("rv_dcc.ui.workers")

Callback = Callable[[Any], None]


class _Bridge(QtCore.QObject):
    """Carries results from pool threads to the runner's thread (queued connections)."""

    finished = QtCore.Signal(object, object, object)  # token, result, error


class _Job(QtCore.QRunnable):
    def __init__(self, token: int, fn: Callable[[], Any], bridge: _Bridge) -> None:
        super().__init__()
        self.token = token
        self.fn = fn
        self.bridge = bridge
        self.setAutoDelete(True)

    def run(self) -> None:  # pool thread
        try:
            result = self.fn()
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the GUI thread
            self.bridge.finished.emit(self.token, None, error)
        else:
            self.bridge.finished.emit(self.token, result, None)


class AsyncRunner:
    """A small worker pool with keyed supersession; callbacks run on the owner's thread."""

    def __init__(self, max_threads: int = 4, parent: Optional[QtCore.QObject] = None) -> None:
        self.pool = QtCore.QThreadPool(parent)
        self.pool.setMaxThreadCount(max_threads)
        self._bridge = _Bridge(parent)
        self._bridge.finished.connect(self._deliver, QtCore.Qt.QueuedConnection)
        self._tokens = itertools.count(1)
        self._pending: Dict[int, Tuple[Optional[Hashable], Optional[Callback], Optional[Callback]]] = {}
        self._latest: Dict[Hashable, int] = {}
        self.dropped = 0
        self.closed = False

    def run(self, fn: Callable[[], Any], on_done: Optional[Callback] = None,
            on_error: Optional[Callback] = None, key: Optional[Hashable] = None) -> int:
        """Run ``fn`` in the pool; returns a token. With ``key``, earlier calls of that key are superseded."""
        token = next(self._tokens)
        self._pending[token] = (key, on_done, on_error)
        if key is not None:
            self._latest[key] = token
        self.pool.start(_Job(token, fn, self._bridge))
        return token

    def cancel(self, key: Hashable) -> None:
        """Supersede every call made with ``key`` (their callbacks will not run)."""
        self._latest[key] = -1

    def busy(self) -> bool:
        """True while any call has not delivered its result yet."""
        return bool(self._pending)

    def _deliver(self, token: int, result: Any, error: Any) -> None:
        with GATE.hold():  # the callback runs on the GUI thread: the monitor's workers wait meanwhile
            self._deliver_now(token, result, error)

    def _deliver_now(self, token: int, result: Any, error: Any) -> None:
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
        """Block until the pool is idle (tests, closing); then deliver what is queued."""
        done = bool(self.pool.waitForDone(msecs))
        QtCore.QCoreApplication.processEvents()
        return done

    def close(self, msecs: int = 10000) -> None:
        """Stop delivering results and wait for running work to end."""
        self.closed = True
        self.pool.clear()
        self.pool.waitForDone(msecs)
