"""A per-submission budget: the task is stopped when its projected or real cost passes it.

The artist sets a budget when submitting (``rv-dcc submit --budget 20``, or the Budget field of
the submit view). The pipeline writes it to the :class:`BudgetBook` (a small JSON file in the
user's data folder, keyed by farm and task id) as soon as the farm gave the task its id, before
the task starts rendering. Whatever watches the task — ``rv-dcc watch`` or the panel's monitor —
hands each task record it read to one :class:`BudgetGuard`, which

- estimates the cost with :func:`rv_dcc.monitor.cost.estimate_from_task` (the cost so far, and
  the projection from the mean fee of the finished frames: the same figure as the Projected
  column);
- when the real cost passes the budget, or the projection does, stops the task
  (``api.task.stop_task``, the panel's Stop) if it is still rendering or waiting; a task that
  waits after its test frames (status 40) is not rendering and is left as it is;
- records that the budget was reached, so the task is stopped once: an artist who starts it
  again after reading why has decided to go past the budget;
- returns a :class:`BudgetEvent` the caller shows (a line on stderr, a panel notification).

The farm itself knows no budget: it is enforced while ``rv-dcc watch`` or the panel runs (the
panel checks the tasks of the page it shows). Network calls happen in :meth:`BudgetGuard.check`:
call it from the thread that polls. No Qt.
"""
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional

from rv_dcc.monitor.cost import CostEstimate, estimate_from_task
from rv_dcc.monitor.taskbook import TaskBook, farm_key

log = logging.getLogger("rv_dcc.monitor.budget")

#: Task statuses that still spend money and that the farm lets us stop: waiting, rendering,
#: pre-rendering, analysing, updating (rv_dcc.api.operations.TASK_STATUS).
STOPPABLE = frozenset({0, 5, 8, 50, 100})
#: Test finished: the task waits for the artist, nothing renders until they start it.
TEST_FINISHED = 40
#: The environment variable that moves the book (tests; a studio that keeps it on a share).
ENV_PATH = "RV_DCC_BUDGETS"


def default_path() -> Path:
    """``<user data dir>/rv_dcc/budgets.json`` (``RV_DCC_BUDGETS`` overrides)."""
    env = os.environ.get(ENV_PATH)
    if env:
        return Path(env)
    from rv_dcc.monitor.taskbook import data_dir

    return data_dir() / "budgets.json"


class BudgetBook:
    """Budgets by farm and task id (a :class:`~rv_dcc.monitor.taskbook.TaskBook` file)."""

    def __init__(self, path: Optional[Path] = None) -> None:
        self.store = TaskBook(Path(path) if path is not None else default_path(), "budgets")
        self.path = self.store.path

    def set(self, farm: str, task_id: int, amount: Optional[float]) -> None:
        """Give a task a budget (None removes it); a new budget is enforced again from now."""
        self.store.put(farm, task_id, None if amount is None else
                       {"amount": float(amount), "set_at": time.time(), "reached": None})

    def get(self, farm: str, task_id: int) -> Optional[Dict[str, Any]]:
        """The task's entry ``{"amount", "set_at", "reached"}``, or None without a budget."""
        return self.store.get(farm, task_id)

    def mark_reached(self, farm: str, task_id: int, event: "BudgetEvent") -> bool:
        """Record that the budget was reached; False when another watcher recorded it first."""
        def change(entry: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
            if entry is None or entry.get("reached"):
                return entry
            return dict(entry, reached={"at": time.time(), "spent": event.spent, "projected": event.projected,
                                        "stopped": event.stopped, "why": event.why})

        before, after = self.store.update(farm, task_id, change)
        return before is not None and not before.get("reached") and after is not None


@dataclass(frozen=True)
class BudgetEvent:
    """A task's cost passed its budget: what was seen and what was done."""

    task_id: int
    budget: float
    spent: float
    projected: Optional[float]
    why: str          #: "spent" (the real cost passed it) or "projected"
    stopped: bool     #: this guard stopped the task
    status: Optional[int]  #: the task's status when it was seen

    def message(self, symbol: str = "$") -> str:
        """One English sentence for the terminal (the panel words it in its own language)."""
        projected = f"{symbol}{self.projected:.2f}" if self.projected is not None else "unknown"
        seen = (f"has cost {symbol}{self.spent:.2f}" if self.why == "spent"
                else f"is projected to cost {projected} ({symbol}{self.spent:.2f} so far)")
        head = f"task {self.task_id} {seen}, over its budget of {symbol}{self.budget:.2f}"
        if self.stopped:
            return f"{head}: stopped it. Render on anyway with: rv-dcc start {self.task_id}"
        if self.status == TEST_FINISHED:
            return f"{head}: it waits after its test frames; start it only if you accept: rv-dcc start {self.task_id}"
        return f"{head}: it is not rendering, nothing to stop"

    def to_json(self) -> Dict[str, Any]:
        """The event as the ``--json`` outputs carry it (docs/JSON.md)."""
        return {"event": "budget_reached", "task_id": self.task_id, "budget": self.budget, "spent": self.spent,
                "projected": self.projected, "why": self.why, "stopped": self.stopped}


def _task_id(record: Mapping[str, Any]) -> Optional[int]:
    value = record.get("id")
    if isinstance(value, bool):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _status(record: Mapping[str, Any]) -> Optional[int]:
    value = record.get("taskStatus")
    try:
        return None if isinstance(value, bool) else int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def over_budget(estimate: CostEstimate, budget: float) -> Optional[str]:
    """"spent" when the real cost passed ``budget``, "projected" when the projection did, else None."""
    if estimate.so_far > budget:
        return "spent"
    if estimate.projected is not None and estimate.projected > budget:
        return "projected"
    return None


class BudgetGuard:
    """Checks tasks against their budgets and stops those past it (one per watcher)."""

    def __init__(self, api: Any, book: Optional[BudgetBook] = None,
                 on_event: Optional[Callable[["BudgetEvent"], Any]] = None) -> None:
        self.api = api
        self.book = book if book is not None else BudgetBook()
        self.farm = farm_key(api)
        #: also told of every event (the panel: a queued Qt signal to its GUI thread)
        self.on_event = on_event

    def check(self, records: Iterable[Mapping[str, Any]]) -> List[BudgetEvent]:
        """Look at task records (``queryTaskInfo`` / ``getTaskList`` rows, parents with their
        totals); stop each task past its budget once. Blocks on the network when it stops one."""
        events: List[BudgetEvent] = []
        prefix = f"{self.farm}|"
        open_budgets = {key: entry for key, entry in self.book.store.entries().items()
                        if key.startswith(prefix) and not entry.get("reached")}
        if not open_budgets:  # the usual case: nothing to look at, whatever the page holds
            return events
        for record in records:
            if not isinstance(record, Mapping):
                continue
            task_id = _task_id(record)
            if task_id is None:
                continue
            entry = open_budgets.get(TaskBook.key(self.farm, task_id))
            if entry is None:
                continue
            try:
                budget = float(entry["amount"])
            except (KeyError, TypeError, ValueError):
                continue
            estimate = estimate_from_task(record)
            why = over_budget(estimate, budget)
            if why is None:
                continue
            status = _status(record)
            stopped = False
            if status in STOPPABLE:
                try:
                    self.api.task.stop_task(task_param_list=[task_id])
                except Exception as error:  # noqa: BLE001 - not recorded: the next poll tries again
                    log.warning("task %s is over its budget but could not be stopped: %s", task_id, error)
                    continue
                stopped = True
                log.info("task %s stopped: %s cost passed its budget %.2f", task_id, why, budget)
            event = BudgetEvent(task_id, budget, estimate.so_far, estimate.projected, why, stopped, status)
            if self.book.mark_reached(self.farm, task_id, event) or stopped:
                events.append(event)
                if self.on_event is not None:
                    self.on_event(event)
        return events


def remember(api: Any, task_id: Optional[int], amount: Optional[float], book: Optional[BudgetBook] = None) -> None:
    """Record a submission's budget for its new task (nothing without a budget or a task id)."""
    if amount is None or task_id is None:
        return
    (book if book is not None else BudgetBook()).set(farm_key(api), int(task_id), amount)
