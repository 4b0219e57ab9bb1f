"""rv_dcc.retry.RetryPolicy (used by the client, the HTTP transfer engine and the transfer program runner):
delays, what is retried, and waits that end when cancelled (no wall clock)."""
import threading

import pytest

from rv_dcc.retry import RetryPolicy, full_jitter, wait_or_cancel


class Flaky:
    """Fails with ``errors`` in turn, then returns "ok"."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def test_delays_grow_are_capped_and_go_through_the_jitter():
    policy = RetryPolicy(attempts=6, backoff=0.5, max_backoff=3.0)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    halved = RetryPolicy(backoff=2.0, jitter=lambda delay: delay / 2)
    assert halved.delay(2) == 2.0
    assert all(0 <= full_jitter(4.0) <= 4.0 for _ in range(100))
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)


def test_retries_what_retry_if_accepts_and_waits_between():
    slept = []
    policy = RetryPolicy(attempts=3, backoff=1.0, sleep=slept.append)
    flaky = Flaky(OSError("a"), OSError("b"))
    retried = []
    assert policy.run(flaky, retry_if=lambda e: isinstance(e, OSError),
                      on_retry=lambda n, e, d: retried.append((n, str(e), d))) == "ok"
    assert flaky.calls == 3 and slept == [1.0, 2.0] and retried == [(1, "a", 1.0), (2, "b", 2.0)]


def test_the_last_error_and_a_refused_error_are_raised():
    slept = []
    policy = RetryPolicy(attempts=2, backoff=1.0, sleep=slept.append)
    always = Flaky(OSError("1"), OSError("2"), OSError("3"))
    with pytest.raises(OSError, match="2"):
        policy.run(always, retry_if=lambda e: True)
    assert always.calls == 2 and slept == [1.0]
    refused = Flaky(KeyError("no"))
    with pytest.raises(KeyError):
        policy.run(refused, retry_if=lambda e: isinstance(e, OSError))
    assert refused.calls == 1 and slept == [1.0]


def test_an_event_ends_the_wait_and_the_last_error_or_on_cancel_is_raised():
    cancel = threading.Event()
    policy = RetryPolicy(attempts=5, backoff=3600.0)  # only the event can end these waits
    flaky = Flaky(OSError("down"), OSError("down"))
    with pytest.raises(OSError, match="down"):
        policy.run(flaky, retry_if=lambda e: True, cancel=cancel, on_retry=lambda n, e, d: cancel.set())
    assert flaky.calls == 1
    with pytest.raises(RuntimeError, match="cancelled after down"):
        policy.run(Flaky(OSError("down")), retry_if=lambda e: True, cancel=cancel,
                   on_cancel=lambda e: RuntimeError(f"cancelled after {e}"))


def test_an_event_set_from_another_thread_wakes_a_waiting_worker():
    cancel, waiting = threading.Event(), threading.Event()
    result = {}

    def worker():
        waiting.set()
        result["cancelled"] = wait_or_cancel(3600.0, cancel)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    assert waiting.wait(10)
    cancel.set()
    thread.join(10)
    assert result == {"cancelled": True}


def test_a_cancel_function_is_asked_between_short_sleeps():
    slept = []
    asked = []

    def stop():
        asked.append(sum(slept))
        return sum(slept) >= 0.2

    assert wait_or_cancel(10.0, stop, sleep=slept.append) is True
    assert 0.2 <= sum(slept) < 0.3 and all(step <= 0.05 for step in slept) and len(asked) == len(slept) + 1
    slept.clear()
    assert wait_or_cancel(0.12, lambda: False, sleep=slept.append) is False
    assert abs(sum(slept) - 0.12) < 1e-9
