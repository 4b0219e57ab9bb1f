"""Progress: events, ETA, cancellation from the callback or a token (thread-safe counters)."""
import threading

import pytest

from rv_dcc.transfer.base import Cancelled, CancelToken, Progress


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_eta_from_speed_excludes_bytes_already_there():
    events, clock = [], Clock()
    progress = Progress(events.append, min_interval=0, clock=clock)
    progress.stage("upload", files_total=2, bytes_total=1000, bytes_done=500)  # half was there already
    assert events[-1].eta is None and events[-1].fraction == 0.5
    clock.now += 0.2
    progress.add_bytes(100, "/a")
    assert events[-1].eta == pytest.approx(0.8)  # 100 B in 0.2 s -> 400 B left: 0.8 s
    progress.add_bytes(400, "/a")
    assert events[-1].eta == 0.0 and events[-1].file == "/a"


def test_reports_at_most_every_min_interval_unless_forced():
    events, clock = [], Clock()
    progress = Progress(events.append, min_interval=0.5, clock=clock)
    progress.stage("upload", bytes_total=100)
    progress.add_bytes(1)  # the stage's report was just now
    clock.now += 0.4
    progress.add_bytes(1)
    assert len(events) == 1
    clock.now += 0.2
    progress.add_bytes(1)
    progress.file_done("/a")  # a finished file is always reported
    assert [e.bytes_done for e in events] == [0, 3, 3] and events[-1].files_done == 1


def test_callback_false_cancels_and_sets_the_token():
    token = CancelToken()
    progress = Progress(lambda e: False if e.bytes_done > 10 else None, token, min_interval=0)
    progress.stage("upload", bytes_total=100)
    progress.add_bytes(5)
    with pytest.raises(Cancelled):
        progress.add_bytes(10)
    assert token.cancelled
    with pytest.raises(Cancelled):
        progress.check()


def test_counts_from_many_threads():
    progress = Progress(min_interval=0.05)
    progress.stage("upload", bytes_total=8 * 1000)
    threads = [threading.Thread(target=lambda: [progress.add_bytes(1) for _ in range(1000)]) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert progress.snapshot().bytes_done == 8000
