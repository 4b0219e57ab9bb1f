"""Progress: events, ETA, cancellation from the callback or a token (thread-safe counters)."""
import threading
import time

import pytest

from rv_dcc.transfer.base import Cancelled, CancelToken, Progress


def test_eta_from_speed_excludes_bytes_already_there():
    events = []
    progress = Progress(events.append, min_interval=0)
    progress.stage("upload", files_total=2, bytes_total=1000, bytes_done=500)  # half was there already
    assert events[-1].eta is None and events[-1].fraction == 0.5
    time.sleep(0.2)
    progress.add_bytes(100, "/a")
    eta = events[-1].eta
    assert eta is not None and 0.5 < eta < 2.5  # 100 B in ~0.2 s -> 400 B left ~0.8 s
    progress.add_bytes(400, "/a")
    assert events[-1].eta == 0.0 and events[-1].file == "/a"


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
