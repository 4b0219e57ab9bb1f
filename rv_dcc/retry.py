"""One retry policy for repeatable work: how many attempts, how long between them, a wait that can be cancelled.

:class:`RetryPolicy` is what the farm client (queries only), the HTTP transfer engine and the
transfer program runner use to try a step again: ``attempts`` in all, waiting ``backoff`` seconds
after the first failure and ``multiplier`` times longer after each next one (capped at
``max_backoff``), each wait passed through ``jitter`` (:func:`full_jitter` spreads clients that
failed together; the default keeps the delay exact). :meth:`RetryPolicy.run` decides nothing
about *what* is repeatable: the caller's ``retry_if`` says which errors are worth another attempt,
everything else is raised at once.

Every wait between attempts can be cancelled: ``cancel`` is a ``threading.Event``, anything with
the same ``wait(seconds) -> bool`` (rv_dcc's ``CancelToken``), or a function returning True once
the work should stop (checked every :data:`POLL` seconds). A cancelled wait ends at once and
:meth:`~RetryPolicy.run` raises the last error (or what ``on_cancel`` makes of it) instead of
trying again. ``jitter`` and ``sleep`` are injectable, so tests run without waiting on the clock.

Hand-written rather than ``tenacity``: the three loops need a dozen lines of policy, a
cancellable wait on the token they already have and no new dependency in every DCC's Python.
Standard library only; nothing happens at import.
"""
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, TypeVar

__all__ = ["POLL", "RetryPolicy", "full_jitter", "no_jitter", "wait_or_cancel"]

T = TypeVar("T")

#: Seconds between two looks at a ``cancel`` function (an Event or token wakes the wait at once).
POLL = 0.05

_random = random.Random()


def full_jitter(delay: float) -> float:
    """A uniformly random wait of 0 to ``delay`` seconds (AWS's "full jitter")."""
    return _random.uniform(0, delay)


def no_jitter(delay: float) -> float:
    """The delay itself."""
    return delay


def wait_or_cancel(seconds: float, cancel: Any = None, sleep: Callable[[float], Any] = time.sleep) -> bool:
    """Wait ``seconds``; True as soon as ``cancel`` says stop (an Event, a token with ``wait`` or a function).

    With no ``cancel`` this is ``sleep(seconds)``. An object with ``wait(seconds)`` (Event,
    CancelToken) is waited on, so it ends the moment it is set; a function is asked every
    :data:`POLL` seconds (``sleep`` does the waiting between, so a test can pass its own).
    """
    if cancel is None:
        if seconds > 0:
            sleep(seconds)
        return False
    waiter = getattr(cancel, "wait", None)
    if callable(waiter):
        return bool(waiter(max(0.0, seconds)))
    left = seconds
    while left > 0:
        if cancel():
            return True
        step = min(POLL, left)
        sleep(step)
        left -= step
    return bool(cancel())


@dataclass(frozen=True)
class RetryPolicy:
    """How often to try a repeatable step and how long to wait between tries."""

    attempts: int = 3                     #: tries in all (1: no retry)
    backoff: float = 0.5                  #: seconds before the second try
    multiplier: float = 2.0               #: each next wait is this many times the one before
    max_backoff: Optional[float] = None   #: no wait longer than this (before jitter); None: no cap
    jitter: Callable[[float], float] = field(default=no_jitter, compare=False)  #: delay -> the wait used
    sleep: Callable[[float], Any] = field(default=time.sleep, compare=False)    #: waits when nothing can cancel

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"a retry policy needs at least 1 attempt, not {self.attempts}")
        if self.backoff < 0 or self.multiplier < 1:
            raise ValueError("backoff must be 0 or more and multiplier 1 or more")

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based), jitter applied."""
        base = self.backoff * self.multiplier ** (attempt - 1)
        if self.max_backoff is not None:
            base = min(base, self.max_backoff)
        return self.jitter(base)

    def wait(self, seconds: float, cancel: Any = None) -> bool:
        """:func:`wait_or_cancel` with this policy's ``sleep``; True when cancelled."""
        return wait_or_cancel(seconds, cancel, self.sleep)

    def run(self, func: Callable[[], T], *, retry_if: Callable[[Exception], bool], cancel: Any = None,
            on_retry: Optional[Callable[[int, Exception, float], None]] = None,
            on_cancel: Optional[Callable[[Exception], BaseException]] = None) -> T:
        """``func()``, tried again after an error ``retry_if`` accepts, at most ``attempts`` times.

        ``on_retry(attempt, error, delay)`` is called before each wait (to log it). Raises the
        error of the last attempt, or at once one ``retry_if`` refuses; when ``cancel`` ends a
        wait, the error that led to it -- or ``on_cancel(error)`` when given.
        """
        attempt = 1
        while True:
            try:
                return func()
            except Exception as error:
                if attempt >= self.attempts or not retry_if(error):
                    raise
                delay = self.delay(attempt)
                if on_retry is not None:
                    on_retry(attempt, error, delay)
                if self.wait(delay, cancel):
                    if on_cancel is None:
                        raise
                    raise on_cancel(error) from None
            attempt += 1
