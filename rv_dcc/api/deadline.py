"""A total time limit for one HTTP exchange, on top of requests' per-read timeouts.

requests (urllib3) applies its read timeout to each read: a server that sends one byte every few
seconds keeps a call alive forever. :func:`guard` arms a limit for the calling thread; the
connection classes of :func:`guarded_session` hand their socket to it when the request has been
sent (``getresponse``), and the transport hands over the reply's socket too (sessions a caller
passed in). One watchdog thread, started on first use, shuts the socket down when the limit
passes: the blocked read returns at once and the caller sees ``guard.fired``. Nothing is
process-wide; no thread exists until a guarded call is made.
"""
import heapq
import itertools
import logging
import socket
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator, List, Optional, Tuple

log = logging.getLogger("rv_dcc.api.deadline")

_local = threading.local()


class Guard:
    """The limit of one exchange: ``fired`` once it passed and the socket was shut down."""

    __slots__ = ("deadline", "fired", "_sock", "_lock")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self._sock: Any = None
        self._lock = threading.Lock()

    def attach(self, sock: Any) -> None:
        """The socket to shut down when the limit passes (immediately if it passed already)."""
        with self._lock:
            self._sock = sock
            late = self.fired
        if late:
            _shutdown(sock)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            sock, self._sock = self._sock, None
        if sock is not None:
            _shutdown(sock)


def _shutdown(sock: Any) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError, AttributeError):
        pass


class _Watchdog:
    """One daemon thread firing guards whose deadline passed."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: List[Tuple[float, int, Guard]] = []
        self._count = itertools.count()
        self._thread: Optional[threading.Thread] = None

    def add(self, guard: Guard) -> None:
        with self._cond:
            heapq.heappush(self._heap, (guard.deadline, next(self._count), guard))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="rv_dcc-deadline", daemon=True)
                self._thread.start()
            if self._heap[0][2] is guard:
                self._cond.notify()

    def remove(self, guard: Guard) -> None:
        with self._cond:
            self._heap = [entry for entry in self._heap if entry[2] is not guard]
            heapq.heapify(self._heap)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                deadline, _, guard = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            log.debug("an HTTP exchange passed its total time limit: closing its connection")
            guard.fire()


_WATCHDOG = _Watchdog()


@contextmanager
def guard(seconds: Optional[float]) -> Iterator[Optional[Guard]]:
    """Limit the guarded HTTP exchange of the calling thread to ``seconds`` (None: no limit)."""
    if seconds is None:
        yield None
        return
    current = Guard(time.monotonic() + seconds)
    outer = getattr(_local, "guard", None)
    _WATCHDOG.add(current)
    _local.guard = current
    try:
        yield current
    finally:
        _local.guard = outer  # guards nest: an inner exchange inside a longer one
        _WATCHDOG.remove(current)


def attach_reply(current: Optional[Guard], reply: Any) -> None:
    """Hand a streamed reply's socket to ``current`` (for sessions without the guarded connections)."""
    if current is None:
        return
    sock = getattr(getattr(getattr(reply, "raw", None), "connection", None), "sock", None)
    if sock is not None:
        current.attach(sock)


def guarded_session() -> Any:
    """A ``requests.Session`` whose connections report their socket to the thread's guard."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def _getresponse(cls: Any) -> Any:
        class Guarded(cls):  # type: ignore[misc, valid-type]
            def getresponse(self, *args: Any, **kwargs: Any) -> Any:
                current = getattr(_local, "guard", None)
                if current is not None and self.sock is not None:
                    current.attach(self.sock)
                return super().getresponse(*args, **kwargs)

        return Guarded

    class GuardedHTTPPool(HTTPConnectionPool):
        ConnectionCls = _getresponse(HTTPConnection)

    class GuardedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = _getresponse(HTTPSConnection)

    pools = {"http": GuardedHTTPPool, "https": GuardedHTTPSPool}

    class GuardedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = dict(pools)

        def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
            manager = super().proxy_manager_for(*args, **kwargs)
            manager.pool_classes_by_scheme = dict(pools)
            return manager

    session = requests.Session()
    session.mount("http://", GuardedAdapter())
    session.mount("https://", GuardedAdapter())
    return session
