"""The panel as a guest in a host's process (issue 12): one panel per session, nothing left behind
when it closes, nothing process-wide changed, and the cycle guard really catches a Qt object in a
reference cycle."""
import gc
import logging
import sys
import threading

from qtpy import QtCore, QtWidgets

from qt_guard import CycleGuard
from rv_dcc.ui.panel import PanelWindow, find_open_panel, open_panel


def _flush_deletes() -> None:
    """Let Qt run the deferred deletes of closed windows (WA_DeleteOnClose), as the host's loop does."""
    for _ in range(3):
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.DeferredDelete)
        QtCore.QCoreApplication.processEvents()


def _workers() -> int:
    """The panel's own threads (the embedded farm's connection threads come and go on their own)."""
    return sum(1 for thread in threading.enumerate() if thread.name.startswith("rv_dcc-"))


def _timers() -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, QtCore.QTimer))


def test_the_guard_finds_a_widget_kept_alive_by_a_lambda_over_itself(qtbot):
    class Careless(QtWidgets.QWidget):
        def __init__(self):
            super().__init__()
            self.confirm = lambda: self.update()  # the mistake the guard exists for

    guard = CycleGuard()
    guard.start()
    Careless()
    problems = guard.stop()
    assert any(problem.startswith("Careless") for problem in problems), problems
    assert "Careless.__init__.<locals>.<lambda>" in guard.example


def test_one_panel_per_session_and_closing_frees_everything(qtbot, farm):
    """A second click raises the open panel; 50 open/close cycles leave no thread, timer or window."""
    app = QtWidgets.QApplication.instance()
    first = open_panel(api=farm.api)
    qtbot.waitUntil(lambda: first.monitor.tasks.rowCount() >= 1, timeout=15000)
    again = open_panel(api=farm.api)
    assert again is first and find_open_panel() is first
    first.close()
    _flush_deletes()
    assert find_open_panel() is None
    baseline = (_workers(), len(app.topLevelWidgets()), _timers())
    for _ in range(50):
        window = open_panel(api=farm.api)
        assert isinstance(window, PanelWindow)
        window.monitor.poll_now()  # workers start: they must be gone once it closes
        window.close()
        del window
        _flush_deletes()
    gc.collect()
    after = (_workers(), len(app.topLevelWidgets()), _timers())
    assert after == baseline, f"threads, top-level widgets, timers: {baseline} before, {after} after 50 panels"


def test_a_panel_session_changes_nothing_process_wide(qtbot, farm):
    app = QtWidgets.QApplication.instance()
    root = logging.getLogger()
    before = (gc.isenabled(), gc.get_threshold(), sys.getswitchinterval(), list(root.handlers), root.level,
              sys.excepthook, threading.excepthook, app.palette().window().color().name(),
              app.styleSheet(), app.style().objectName())
    window = open_panel(api=farm.api)
    qtbot.waitUntil(lambda: window.monitor.tasks.rowCount() >= 1, timeout=15000)
    window.monitor.select_task(window.monitor.tasks.key_of(window.monitor.tasks.index(0, 0)))
    qtbot.waitUntil(lambda: window.monitor.frames.rowCount() >= 1, timeout=15000)
    during = (gc.isenabled(), gc.get_threshold(), sys.getswitchinterval(), list(root.handlers), root.level,
              sys.excepthook, threading.excepthook, app.palette().window().color().name(),
              app.styleSheet(), app.style().objectName())
    window.close()
    _flush_deletes()
    assert during == before


def test_workers_are_plain_threads_and_callbacks_run_on_the_gui_thread(qtbot):
    from rv_dcc.ui.workers import AsyncRunner

    runner = AsyncRunner(2)
    seen = {}

    def job():
        seen["worker"] = threading.current_thread()
        return 42

    got = []
    runner.run(job, got.append)
    qtbot.waitUntil(lambda: got == [42], timeout=5000)
    assert seen["worker"] is not threading.main_thread() and seen["worker"].daemon
    threads = runner.threads()
    assert threads
    runner.close()
    assert not any(thread.is_alive() for thread in threads)


def test_workers_wait_at_the_panels_gate_while_it_is_held_and_go_on_when_released(qtbot):
    from rv_dcc.ui.pacing import Gate

    gate = Gate(max_wait=30.0)  # far longer than the test: only the release can let the worker on
    passed = threading.Event()

    def worker():
        gate.pause()
        passed.set()

    with gate.hold():
        thread = threading.Thread(target=worker, name="rv_dcc-test-gate", daemon=True)
        thread.start()
        qtbot.waitUntil(lambda: gate.waits == 1, timeout=5000)
        assert not passed.is_set()
        gate.pause()  # the GUI thread never waits at its own gate (it holds it)
    assert passed.wait(5)
    thread.join(5)
