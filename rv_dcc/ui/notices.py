"""The panel tells the artist when a task it shows ends, and when a budget stopped one.

:class:`TaskNotices` watches the monitor's task model: a top-level task seen rendering or
waiting that reaches an end state (finished, finished with failures, failed, stopped, test
finished...) is announced once — by the system tray's balloon (``QSystemTrayIcon.showMessage``)
where the desktop has a tray, else in the monitor's banner. A task already over when it first
appears is not news. It also runs the monitor's :class:`~rv_dcc.monitor.budget.BudgetGuard`
(the same code as ``rv-dcc watch``): the guard works on the polling worker and its events reach
the GUI thread through a queued signal. :func:`attach` is the whole hook-up.
"""
import logging
from typing import Any, Callable, Dict, List, Optional, Tuple

from qtpy import QtCore, QtWidgets

from rv_dcc.ui.i18n import task_status_text, tr

log = logging.getLogger("rv_dcc.ui.notices")

#: statuses that end a render or make it wait for the artist (spec/wire.md §6; 40 test finished)
END_STATES = frozenset({10, 15, 20, 23, 25, 30, 35, 40, 45})
FINISHED, TEST_FINISHED = 25, 40
#: milliseconds a tray balloon stays up
BALLOON_MS = 10000


def _code(value: Any) -> Optional[int]:
    try:
        return None if isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int:
    code = _code(value)
    return max(code, 0) if code is not None else 0


class TaskNotices(QtCore.QObject):
    """Announces tasks of ``model`` (the monitor's TaskTreeModel) that end, and budget events."""

    #: a rv_dcc.monitor.budget.BudgetEvent (emitted from the polling worker: delivered queued)
    budget_reached = QtCore.Signal(object)

    def __init__(self, model: Any, banner: Any, parent: Optional[QtCore.QObject] = None,
                 use_tray: Optional[bool] = None, money: Optional[Callable[[Optional[float]], str]] = None) -> None:
        super().__init__(parent)
        self.model = model
        self.banner = banner
        self.use_tray = QtWidgets.QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self.tray: Optional[QtWidgets.QSystemTrayIcon] = None
        self.money = money or _money
        self.shown: List[Tuple[str, str]] = []  #: (title, text) of every notice, oldest first
        self._seen: Dict[Any, Optional[int]] = {}
        model.rowsInserted.connect(self._inserted)
        model.dataChanged.connect(self._changed)
        model.modelReset.connect(self._seen.clear)
        self.budget_reached.connect(self._budget)

    # --- watching the model -----------------------------------------------------------------------
    def _rows(self, parent: Any, first: int, last: int) -> List[Tuple[Any, Dict[str, Any]]]:
        if parent.isValid():  # layers / ROPs / takes: their task speaks for them
            return []
        rows = []
        for row in range(first, last + 1):
            key = self.model.key_of(self.model.index(row, 0, parent))
            data = self.model.row_data(key) if key is not None else None
            if data is not None:
                rows.append((key, data))
        return rows

    def _inserted(self, parent: Any, first: int, last: int) -> None:
        for key, row in self._rows(parent, first, last):
            self._seen[key] = _code(row.get("taskStatus"))

    def _changed(self, top_left: Any, bottom_right: Any, *_roles: Any) -> None:
        for key, row in self._rows(top_left.parent(), top_left.row(), bottom_right.row()):
            self.observe(key, row)

    def observe(self, key: Any, row: Dict[str, Any]) -> None:
        """A task row as it is now: announce it when it just reached an end state."""
        status = _code(row.get("taskStatus"))
        before = self._seen.get(key)
        self._seen[key] = status
        if before is None or before in END_STATES or status not in END_STATES or status == before:
            return
        task = row.get("taskAlias") or key
        scene = str(row.get("sceneName") or "")
        if status == TEST_FINISHED:
            rest = max(_int(row.get("totalFrames")) - _int(row.get("doneFrames")), 0)
            title, text = tr("notice.title.ended", task=task, status=task_status_text(status)), \
                tr("notice.test_done", scene=scene, n=rest)
        else:
            key_title = "notice.title.finished" if status == FINISHED and not _int(row.get("failedFrames")) \
                else "notice.title.ended"
            title = tr(key_title, task=task, status=task_status_text(status))
            text = tr("notice.frames", scene=scene, done=_int(row.get("doneFrames")), total=_int(row.get("totalFrames")),
                      failed=_int(row.get("failedFrames")))
        self.show(title, text)

    # --- budget --------------------------------------------------------------------------------------
    def _budget(self, event: Any) -> None:
        key = "notice.budget.stopped" if event.stopped else "notice.budget.waits"
        row = self.model.row_data(event.task_id) or {}
        task = row.get("taskAlias") or event.task_id  # the id as the panel shows it
        self.show(tr("notice.budget.title"), tr(key, task=task, spent=self.money(event.spent),
                                                   projected=self.money(event.projected), budget=self.money(event.budget)),
                  warning=True)

    # --- showing -----------------------------------------------------------------------------------
    def show(self, title: str, text: str, warning: bool = False) -> None:
        """The tray's balloon where there is a tray, else the monitor's banner."""
        self.shown.append((title, text))
        log.info("notice: %s — %s", title, text)
        if self.use_tray:
            if self.tray is None:
                self.tray = QtWidgets.QSystemTrayIcon(_icon(self.parent()), self)
                self.tray.setToolTip("rv_dcc")
            self.tray.show()
            icon = QtWidgets.QSystemTrayIcon.MessageIcon.Warning if warning else QtWidgets.QSystemTrayIcon.MessageIcon.Information
            self.tray.showMessage(title, text, icon, BALLOON_MS)
            return
        if self.banner is not None and (warning or getattr(self.banner, "kind", "") not in ("warning", "auth")):
            self.banner.show_message(f"<b>{title}</b> — {text}", "warning" if warning else "info")


def _money(value: Optional[float]) -> str:
    try:
        from rv_dcc.ui.columns import money

        return money(value)
    except ImportError:  # pragma: no cover
        return "—" if value is None else f"{value:.2f}"


def _icon(parent: Any) -> Any:
    """The panel's window icon, else the platform's computer icon (a tray icon must have one)."""
    icon = parent.windowIcon() if isinstance(parent, QtWidgets.QWidget) else None
    if icon is None or icon.isNull():
        icon = QtWidgets.QApplication.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_ComputerIcon)
    return icon


def install_guard(controller: Any, notices: TaskNotices) -> None:
    """Run a BudgetGuard on every task page the monitor polls (None without a farm connection)."""
    from rv_dcc.monitor.budget import BudgetGuard

    api = getattr(controller, "api", None)
    controller.poller.guard = BudgetGuard(api, on_event=notices.budget_reached.emit) if api is not None else None


def attach(panel: Any) -> TaskNotices:
    """Hook notices and budgets into a PanelWindow (its monitor's task model and banner)."""
    notices = TaskNotices(panel.monitor.tasks, panel.monitor.banner, panel)
    install_guard(panel.monitor_controller, notices)
    return notices
