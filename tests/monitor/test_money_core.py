"""The money and outcome pieces of rv_dcc.monitor without a farm: the budget book and guard (a stub
client that records stop calls), the account's funds from its profile, the next step of a task,
and the desktop-notification commands per platform."""
import json

import pytest

from rv_dcc.monitor.budget import BudgetBook, BudgetGuard, over_budget
from rv_dcc.monitor.cost import CostEstimate
from rv_dcc.monitor.funds import funds_of, money_text
from rv_dcc.monitor.outcome import next_step, outcome_line


class _Task:
    def __init__(self, fail=False):
        self.stopped, self.fail = [], fail

    def stop_task(self, task_param_list):
        if self.fail:
            raise ConnectionError("farm unreachable")
        self.stopped.append(list(task_param_list))


class _Api:
    domain, platform = "127.0.0.1:8765", "2"

    def __init__(self, fail=False):
        self.task = _Task(fail)


def _record(task_id, status, done, total, cost, failed=0):
    return {"id": task_id, "taskStatus": status, "doneFrames": done, "totalFrames": total, "failedFrames": failed,
            "renderConsume": cost}


def test_a_task_is_stopped_once_when_its_projection_passes_the_budget(tmp_path):
    book = BudgetBook(tmp_path / "budgets.json")
    api = _Api()
    guard = BudgetGuard(api, book)
    book.set(guard.farm, 7, 10.0)
    assert guard.check([_record(7, 5, 2, 10, 1.5)]) == []  # projected 7.50: under
    [event] = guard.check([_record(7, 5, 3, 10, 3.3), _record(8, 5, 3, 10, 99.0)])  # 8 has no budget
    assert (event.task_id, event.why, event.stopped, event.projected) == (7, "projected", True, 11.0)
    assert api.task.stopped == [[7]]
    assert "stopped it" in event.message() and "rv-dcc start 7" in event.message()
    assert guard.check([_record(7, 5, 4, 10, 5.0)]) == [] and api.task.stopped == [[7]]  # once
    saved = json.loads((tmp_path / "budgets.json").read_text())["budgets"]
    assert saved[f"{guard.farm}|7"]["reached"]["stopped"] is True
    book.set(guard.farm, 7, 20.0)  # a new budget is enforced again
    assert guard.check([_record(7, 5, 4, 10, 21.0)])[0].why == "spent"


def test_a_test_finished_task_is_warned_not_stopped_and_a_failed_stop_is_tried_again(tmp_path):
    book = BudgetBook(tmp_path / "budgets.json")
    waiting = BudgetGuard(_Api(), book)
    book.set(waiting.farm, 3, 1.0)
    [event] = waiting.check([_record(3, 40, 1, 10, 0.5)])
    assert not event.stopped and "waits after its test frames" in event.message()
    failing = BudgetGuard(_Api(fail=True), BudgetBook(tmp_path / "other.json"))
    failing.book.set(failing.farm, 4, 1.0)
    assert failing.check([_record(4, 5, 1, 10, 2.0)]) == []  # not recorded: the next poll tries again
    assert failing.book.get(failing.farm, 4)["reached"] is None


def test_budgets_are_per_farm_and_a_damaged_book_enforces_nothing(tmp_path):
    path = tmp_path / "budgets.json"
    book = BudgetBook(path)
    book.set("other-farm|2", 7, 0.01)
    guard = BudgetGuard(_Api(), book)
    assert guard.check([_record(7, 5, 5, 10, 5.0)]) == []
    path.write_text("{not json")
    assert BudgetBook(path).get("other-farm|2", 7) is None


def test_over_budget_compares_spent_first_then_projected():
    assert over_budget(CostEstimate(5.0, 9.0, 1, 1, 5.0), 4.0) == "spent"
    assert over_budget(CostEstimate(1.0, 9.0, 1, 1, 1.0), 4.0) == "projected"
    assert over_budget(CostEstimate(1.0, None, 0, 1, None), 4.0) is None


def test_funds_follow_the_zone_and_the_profile_prices():
    international = funds_of({"zone": 2, "usdbalance": 500.0, "rmbbalance": 0, "coupon": 49.93, "cpuPrice": 0.67,
                              "gpuPrice": 20})
    assert (international.symbol, international.balance, international.available) == ("$", 500.0, 549.93)
    assert international.per_frame(30) == pytest.approx(0.335) and international.per_frame(30, gpu=True) == 10.0
    china = funds_of({"zone": 1, "rmbbalance": "88.5", "usdbalance": 3, "coupon": None, "cpuPrice": "x"})
    assert (china.symbol, china.code, china.balance, china.coupon, china.cpu_price) == ("\u00a5", "CNY", 88.5, None, None)
    assert money_text(1234.5, "$") == "$1,234.50" and money_text(None) == "-" and money_text(-2, "$") == "-$2.00"


@pytest.mark.parametrize("record,kind,command", [
    ({"taskStatus": 25, "doneFrames": 4, "totalFrames": 4}, "download", "rv-dcc download 9 --to DIR"),
    ({"taskStatus": 30, "doneFrames": 3, "failedFrames": 1}, "retry", "rv-dcc retry 9 --failed"),
    ({"taskStatus": 45, "failedFrames": 4}, "retry", "rv-dcc retry 9 --failed"),
    ({"taskStatus": 40, "doneFrames": 1, "totalFrames": 4}, "render_rest", "rv-dcc start 9"),
    ({"taskStatus": 15}, "start", "rv-dcc start 9"),
    ({"taskStatus": 20}, "top_up", "rv-dcc start 9"),
    ({"taskStatus": 35}, "none", ""),
    ({"taskStatus": 5}, "watch", "rv-dcc watch 9"),
])
def test_the_next_step_of_each_state(record, kind, command):
    step = next_step(9, record, projected=0.6)
    assert (step.kind, step.command) == (kind, command)


def test_the_outcome_line_of_a_test_finished_task_names_the_projection():
    line = outcome_line(9, {"taskStatus": 40, "doneFrames": 1, "totalFrames": 4, "renderConsume": 0.05})
    assert line == ("task 9 test finished: 1/4 frames, cost $0.05 — test frames done — check them, then render "
                    "the remaining 3 frames, projected total $0.20: rv-dcc start 9")


def test_notification_commands_per_platform(monkeypatch):
    from rv_dcc.monitor import notify

    monkeypatch.setattr(notify.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert notify.command("Done", "task 9", "linux") == ["/usr/bin/notify-send", "--app-name", "rv_dcc", "Done", "task 9"]
    mac = notify.command('Say "hi"', "a\\b", "darwin")
    assert mac == ["/usr/bin/osascript", "-e", 'display notification "a\\\\b" with title "Say \\"hi\\""']
    windows = notify.command("It's done", "<b>9</b>", "win32")
    assert windows[0] == "/usr/bin/powershell" and "'It''s done'" in windows[-1] and "&lt;b&gt;9&lt;/b&gt;" in windows[-1]
    monkeypatch.setattr(notify.shutil, "which", lambda name: None)
    assert notify.command("t", "b", "linux") is None and notify.desktop("t", "b") is False  # absent: no error


def test_web_pages_of_the_farms():
    from rv_dcc.commands.open import web_page

    assert web_page("jop.foxrenderfarm.com", 5) == "https://www.foxrenderfarm.com/"
    assert web_page("task.renderbus.com", 5) == "https://www.renderbus.com/"
    assert web_page("127.0.0.1:8765", 5) is None and web_page("evilrenderbus.com", 5) is None
