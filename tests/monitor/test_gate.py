"""The worker gate: background work pauses while the GUI thread holds it, and never for good."""
import threading
import time

from rv_dcc.monitor import changes
from rv_dcc.monitor.gate import GATE, Gate


def _paused_in_thread(gate):
    """Start a thread that pauses once at ``gate``; returns (thread, event set when it is through)."""
    through = threading.Event()

    def worker():
        gate.pause()
        through.set()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    return thread, through


def test_a_worker_waits_while_the_gate_is_held_and_goes_on_when_released():
    gate = Gate(max_wait=10.0)
    with gate.hold():
        thread, through = _paused_in_thread(gate)
        assert not through.wait(0.2), "the worker went on while the GUI held the gate"
        assert gate.held()
    assert through.wait(2.0), "the worker did not go on once the gate was released"
    thread.join(2.0)
    assert gate.waits == 1 and not gate.held()


def test_holds_nest_and_the_gate_opens_only_when_the_outermost_ends():
    gate = Gate(max_wait=10.0)
    with gate.hold():
        with gate.hold():
            pass
        assert gate.held(), "an inner hold released the gate of an outer one"
        _thread, through = _paused_in_thread(gate)
        assert not through.wait(0.1)
    assert through.wait(2.0)


def test_a_hold_that_is_never_released_slows_workers_but_cannot_stop_them():
    gate = Gate(max_wait=0.05)
    hold = gate.hold()
    hold.__enter__()  # a bug: never released
    start = time.perf_counter()
    for _ in range(4):
        gate.pause()
    waited = time.perf_counter() - start
    assert gate.waits == 4 and 0.15 <= waited < 2.0


def test_an_exception_inside_a_hold_releases_the_gate():
    gate = Gate()
    try:
        with gate.hold():
            raise ValueError("paint failed")
    except ValueError:
        pass
    assert not gate.held()


def test_an_open_gate_does_not_wait():
    gate = Gate(max_wait=5.0)
    start = time.perf_counter()
    for _ in range(1000):
        gate.pause()
    assert gate.waits == 0 and time.perf_counter() - start < 4.0  # one wait alone would take 5 s


def test_snapshots_built_in_a_worker_pause_at_the_process_gate():
    items = [{"id": n, "taskStatus": 5} for n in range(1, 321)]
    before = GATE.waits
    done = threading.Event()
    with GATE.hold():
        worker = threading.Thread(target=lambda: (changes.Snapshot.of_tasks(items), done.set()), daemon=True)
        worker.start()
        assert not done.wait(0.02), "a 320-row snapshot was built while the GUI held the gate"
    assert done.wait(5.0)
    assert GATE.waits > before


def test_cyclic_collection_waits_while_a_poll_fetches_and_comes_back_after():
    import gc

    from rv_dcc.monitor.poller import Poller

    from monitor_fakes import FakeSource, task

    class Watching(FakeSource):
        def task_page(self, query):
            self.enabled_during = gc.isenabled()
            return super().task_page(query)

    source = Watching()
    source.tasks = [task(n) for n in range(1, 50)]
    assert gc.isenabled()
    (update,) = Poller(source).poll_once()
    assert source.enabled_during is False, "a full collection could have stopped the GUI thread mid-fetch"
    assert gc.isenabled(), "collection stayed off after the fetch"
    assert len(update.changes.added) == 49


def test_deferral_nests_across_threads_and_keeps_a_hosts_choice():
    import gc

    from rv_dcc.monitor.gate import _Deferral

    deferred = _Deferral()
    inside, leave = threading.Event(), threading.Event()

    def other_worker():
        with deferred():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other_worker, daemon=True)
    with deferred():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled(), "one thread's block ended while another's still ran: collection came back early"
    leave.set()
    thread.join(5)
    assert gc.isenabled()
    gc.disable()  # a host that runs with cyclic collection off keeps it off
    try:
        with deferred():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_fetch_stuck_on_the_network_does_not_keep_collection_off_for_good():
    import gc

    from rv_dcc.monitor.gate import _Deferral

    deferred = _Deferral(max_seconds=0.1)
    with deferred():
        assert not gc.isenabled()
        deadline = time.perf_counter() + 5
        while not gc.isenabled() and time.perf_counter() < deadline:
            time.sleep(0.01)  # a reply that does not come
        assert gc.isenabled(), "collection stayed off while a fetch hung"
    assert gc.isenabled() and deferred.expired == 1
    with deferred():  # a quick one is not cut short
        pass
    assert deferred.expired == 1 and deferred._timer is None


def test_the_main_thread_never_pauses_even_with_the_gate_held():
    from rv_dcc.monitor.gate import pace

    before = GATE.waits
    with GATE.hold():
        start = time.perf_counter()
        changes.Snapshot.of_tasks([{"id": n, "taskStatus": 5} for n in range(1, 2001)])
        elapsed = time.perf_counter() - start
    assert GATE.waits == before and elapsed < 2.0, "the GUI thread waited at its own gate"  # waiting: 3 s
    pace(32)  # a no-op here


def test_a_time_bound_that_cannot_start_leaves_collection_on(monkeypatch):
    import gc

    import pytest

    from rv_dcc.monitor.gate import _Deferral

    deferred = _Deferral()

    def refuse(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Timer, "start", refuse)
    with pytest.raises(RuntimeError):
        with deferred():
            pass
    assert gc.isenabled() and deferred.users == 0
    monkeypatch.undo()
    with deferred():
        assert not gc.isenabled()
    assert gc.isenabled()
