"""Money before the render (the submit view's Cost card, against the embedded farm) and the panel's
notices: a task that ends is announced once, a budget reached is enforced by the monitor's poller
(the same BudgetGuard as `rv-dcc watch`) and said."""
import re
import threading

import pytest

from rv_dcc.scene.io import load_description
from rv_dcc.ui.screenshots import SAMPLES
from rv_dcc.ui.submit_controller import SubmitController
from rv_dcc.ui.submit_view import SubmitView


@pytest.fixture
def money_view(qtbot, tmp_path, farm):
    views = []

    def make():
        controller = SubmitController(load_description(str(SAMPLES / "maya.json")), farm.api, None,
                                      journal_root=tmp_path / "journals")
        view = SubmitView(controller)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: controller.funds is not None and controller.catalog is not None, timeout=20000)
        views.append(view)
        return view

    yield make
    for view in views:
        view.shutdown()


def test_the_cost_card_shows_balance_prices_and_advises_test_frames(qtbot, money_view):
    view = money_view()
    card = view.money
    assert card.price.text() == "CPU $0.67 / machine-hour · GPU $20.00 / machine-hour"  # the profile's basis
    assert re.fullmatch(r"\$[0-9,]+\.[0-9]{2} · vouchers \$[0-9,]+\.[0-9]{2}", card.balance.text()), card.balance.text()
    assert "Render test frames first" in card.advice.text() and card.use_tests.isVisible()

    card.use_tests.click()  # the advice taken: first frame, then pause
    options = view.controller.options
    assert options.test_frames.first and options.stop_after_test
    assert view.test_first.isChecked() and view.pause.isChecked()
    assert "the Monitor then shows the projected total" in card.advice.text() and not card.use_tests.isVisible()

    card.budget.setValue(25)
    assert view.controller.options.budget == 25.0 and card.budget.prefix() == "$ "
    card.budget.setValue(0)
    assert view.controller.options.budget is None and card.budget.text() == "No budget"


def test_the_cost_card_in_chinese(qtbot, money_view):
    from rv_dcc.ui import i18n

    i18n.set_language("zh_CN")
    view = money_view()
    assert "代金券" in view.money.balance.text() and "机时" in view.money.price.text()
    assert "建议先渲染测试帧" in view.money.advice.text()


def _rows(*rows):
    from rv_dcc.monitor.changes import Snapshot

    return Snapshot.of_tasks([dict({"sceneName": "shot.ma", "totalFrames": 8}, **row) for row in rows])


def test_a_task_that_ends_is_announced_once_and_one_already_over_is_not(qtbot):
    from rv_dcc.ui.models import TaskTreeModel
    from rv_dcc.ui.notices import TaskNotices
    from rv_dcc.ui.widgets import Banner

    model, banner = TaskTreeModel(), Banner()
    qtbot.addWidget(banner)
    notices = TaskNotices(model, banner, use_tray=False)
    shown = _rows({"id": 1, "taskAlias": "2W1", "taskStatus": 5, "doneFrames": 2},
                  {"id": 2, "taskAlias": "2W2", "taskStatus": 25, "doneFrames": 8},
                  {"id": 3, "taskAlias": "2W3", "taskStatus": 5, "doneFrames": 0})
    model.apply(type(shown)().changes_to(shown))
    assert notices.shown == []  # task 2 was over before the panel saw it: not news
    later = _rows({"id": 1, "taskAlias": "2W1", "taskStatus": 30, "doneFrames": 6, "failedFrames": 2},
                  {"id": 2, "taskAlias": "2W2", "taskStatus": 25, "doneFrames": 8},
                  {"id": 3, "taskAlias": "2W3", "taskStatus": 40, "doneFrames": 1})
    model.apply(shown.changes_to(later))
    assert notices.shown == [
        ("Task 2W1: Finished with failures", "shot.ma: 6/8 frames, 2 failed."),
        ("Task 2W3: Test finished",
         "shot.ma: test frames done — check them, then Start renders the remaining 7 frames.")]
    assert "Task 2W3: Test finished" in banner.text.text()  # no tray here: the banner says it
    model.apply(later.changes_to(later))
    assert len(notices.shown) == 2


def test_the_monitor_enforces_a_budget_and_says_so(qtbot, farm):
    from rv_dcc.monitor.budget import BudgetBook, farm_key
    from rv_dcc.submit.recovery import task_record
    from rv_dcc.ui.models import TaskTreeModel
    from rv_dcc.ui.monitor_controller import MonitorController
    from rv_dcc.ui.notices import TaskNotices, install_guard

    task_id = farm.tasks["maya"]  # 400 frames: still rendering, some frames already charged
    qtbot.waitUntil(lambda: float(task_record(farm.api, task_id).get("renderConsume") or 0) > 0, timeout=30000)
    BudgetBook().set(farm_key(farm.api), task_id, 0.000001)
    controller = MonitorController(farm.api)
    notices = TaskNotices(TaskTreeModel(), None, use_tray=False)
    install_guard(controller, notices)
    received = []

    def poll():  # the panel's worker thread: the event reaches the GUI thread through the queued signal
        received.extend(update for update in controller.poller.poll_once())

    worker = threading.Thread(target=poll)
    worker.start()
    worker.join(60)
    [tasks] = [update for update in received if update.kind == "tasks"]
    assert [event.task_id for event in tasks.budget] == [task_id] and tasks.budget[0].stopped
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=5000)
    title, text = notices.shown[0]
    assert title == "Budget reached" and f"Task {task_id} stopped" in text  # not in the model: its number and "$0.000" in text
    assert int(task_record(farm.api, task_id)["taskStatus"]) in (10, 15)
    assert controller.poller.poll_once()[0].budget == []  # stopped once: not again
