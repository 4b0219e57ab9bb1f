"""The monitor view: task list, the selected task's frames, thumbnails, log, progress image, actions.

Polls run in an :class:`~rv_dcc.ui.workers.AsyncRunner` (network, normalising and diffing off
the GUI thread); replies come back as change sets that the item models apply by id, so
selection, expansion and scroll position survive every poll; a large change set is applied in slices by a
:class:`~rv_dcc.ui.drain.Drain`, a few milliseconds per event-loop turn. A single-shot timer schedules the
next poll at the poller's adaptive interval; hiding the view pauses it. Failures show a quiet
banner (with "Fix credentials…" for authentication errors, which emits
:attr:`MonitorWidget.credentials_requested`). Its parts: the filter bar (monitor_filters), the task
list (task_tree), the detail pane (monitor_parts), actions, reports and downloads
(monitor_actions), render logs (frame_logs).
"""
import functools
import logging
from typing import Any, List, Optional

from qtpy import QtCore, QtGui, QtWidgets

from rv_dcc.monitor.changes import ChangeSet, split_changes
from rv_dcc.monitor.poller import FRAMES, TASKS, Request, Update
from rv_dcc.ui.columns import TASK_COLUMNS_HIDE_FIRST, currency, money, set_currency
from rv_dcc.ui.drain import Drain
from rv_dcc.ui.frame_logs import FrameLogs
from rv_dcc.ui.models import FrameTableModel, TaskTreeModel
from rv_dcc.ui.monitor_actions import Downloads, Reports, TaskActions
from rv_dcc.ui.monitor_controller import ACTIONS, MonitorController
from rv_dcc.ui.monitor_filters import FilterBar
from rv_dcc.ui.monitor_parts import DetailPane
from rv_dcc.ui.pacing import Gate
from rv_dcc.ui.settings_store import SettingsStore
from rv_dcc.ui.task_tree import TaskTree
from rv_dcc.ui.thumb_model import ThumbnailModel
from rv_dcc.ui.thumb_loader import ThumbnailLoader
from rv_dcc.ui.widgets import Banner, ask_confirmation, ask_value, hide_columns_to_fit
from rv_dcc.ui.weakcall import WeakCall
from rv_dcc.ui.workers import AsyncRunner

log = logging.getLogger("rv_dcc.ui.monitor")
#: Rows of a change set applied per queued step; smaller sets are applied at once. A step of
#: this size costs a few milliseconds, and the drain runs as many as fit in its budget per turn.
SLICE_ROWS = 250
Qt = QtCore.Qt


class MonitorWidget(QtWidgets.QWidget):
    """Everything about tasks on the farm, in one view."""

    credentials_requested = QtCore.Signal()
    task_selected = QtCore.Signal(object)

    def __init__(self, controller: MonitorController, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.runner = AsyncRunner(4, self)
        self.thumb_runner = AsyncRunner(2, self)  # thumbnails never queue in front of polls
        self.log_runner = AsyncRunner(1, self)  # nor render logs (up to 20 pages each)
        self._selection_pending = False
        self.total = 0
        self._follow: Optional[int] = None
        self._currency_api: Any = None
        self._polls_in_flight = 0  #: poll replies not delivered yet (only these hold back the timer)

        self.tasks = TaskTreeModel(self)
        self.frames = FrameTableModel(self)
        self.thumbs = ThumbnailModel(self)
        self.gate = Gate()  # this panel's own: workers step aside while it paints (rv_dcc.ui.pacing)
        controller.poller.checkpoint = self.gate.pause
        self.drain = Drain(parent=self, gate=self.gate)
        self.thumb_loader = ThumbnailLoader(controller, self.thumb_runner, self.drain, self.thumbs)  # big change sets are applied a slice per event-loop turn

        self.filters = FilterBar(self)
        saved_rate = SettingsStore().load_user().get("monitor_rate")  # the artist's last choice
        if self.filters.set_rate(saved_rate):
            controller.poller.set_rate(saved_rate)
        self.banner = Banner(self)
        self.reports = Reports(self.banner, retry=WeakCall(self.poll_now, signal_args=False),
                               fix_credentials=WeakCall(self._fix_credentials, signal_args=False),
                               manual=functools.partial(_manual, controller.poller))
        self.task_actions = TaskActions(controller, self.runner, self.reports)
        self.downloads = Downloads(controller, self.runner, self.reports)
        self.tree = TaskTree(self.gate, self.tasks, self)
        self.task_rows = self.tree.rows  # the farm's order until a header is clicked
        self.tree.customContextMenuRequested.connect(self._task_menu)
        self.detail = DetailPane(self.frames, self.thumbs, self, gate=self.gate)
        self.thumb_loader.image_size = self.detail.tile_delegate.image_size()
        self.logs = FrameLogs(controller, self.detail, self.log_runner, self.runner)

        split = QtWidgets.QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        split.setSizes([340, 460])
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.filters)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)

        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.poll)
        self.filters.query_changed.connect(self._query_changed)
        self.filters.refresh_clicked.connect(self.poll_now)
        self.filters.rate_changed.connect(self._rate_changed)
        self.filters.auto_download_toggled.connect(self.downloads.set_auto_folder)
        self.tree.selectionModel().selectionChanged.connect(self._task_selection_changed)
        # F5 refreshes, Ctrl+F finds in the render log - only while the focus is in the monitor,
        # so the host's own shortcuts keep working everywhere else. F5 itself, not the platform's
        # Refresh keys: on GNOME and macOS those are Ctrl/Cmd+R (Maya's Create Reference).
        for keys, slot in ((QtGui.QKeySequence(Qt.Key.Key_F5), self.poll_now),
                           (QtGui.QKeySequence(QtGui.QKeySequence.StandardKey.Find), self.find_in_log)):
            shortcut = QtWidgets.QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.detail.action_requested.connect(self.run_action)
        self.detail.frame_selected.connect(self._load_log)
        self.detail.download_requested.connect(self._download_clicked)

    # --- polling ---------------------------------------------------------------------------------
    def poll(self) -> None:
        """Send the due requests to the worker pool (the timer calls this)."""
        poller = self.controller.poller
        api = self.controller.api
        if api is not None and self._currency_api is not api:  # once per account: ¥ or $
            self._currency_api = api
            self.runner.run(self.controller.currency_job(), on_done=self._currency_known,
                            on_error=_no_currency, key="currency")
        for request in poller.due_requests():
            self._polls_in_flight += 1
            self.runner.run(functools.partial(poller.fetch, request),
                            on_done=functools.partial(self._on_result, request),
                            on_error=functools.partial(self._on_error, request))
        self._schedule()

    def poll_now(self) -> None:
        """Poll at once (Refresh, after an action, on show)."""
        self.controller.poller.refresh()
        self.poll()

    def _schedule(self) -> None:
        # Only poll replies hold the timer back: a profile, log, action or download job still
        # running when the last poll reply lands would otherwise leave no one to schedule.
        if self._polls_in_flight > 0:
            return  # the next reply schedules
        interval = self.controller.poller.interval()
        if interval is None:
            self.timer.stop()
        else:
            self.timer.start(int(interval * 1000))

    def _rate_changed(self, every: Any) -> None:
        """The artist picked how often to update: apply it now and remember it."""
        self.controller.poller.set_rate(every)
        try:
            SettingsStore().save_user({"monitor_rate": every})
        except OSError as error:
            log.warning("could not remember the refresh rate: %s", error)
        self._schedule()

    def _currency_known(self, result: Any) -> None:
        """Money cells and the cost line in the account's currency (re-rendered once)."""
        symbol = result[0] if result else "$"
        if symbol == currency():
            return
        set_currency(symbol)
        self.drain.push("currency", [self.tasks.refresh_all, self.frames.refresh_all])
        if self.frames.task_id is not None:
            estimate = self.controller.cost()
            self.detail.set_cost(money(estimate.so_far), money(estimate.projected), self.controller.frame_summary())

    def _on_result(self, request: Request, result: Any) -> None:
        self._polls_in_flight -= 1
        update = self.controller.poller.accept(request, result)
        if update is not None:
            self.apply_update(update)
            if self.banner.kind in ("warning", "auth"):
                self.banner.clear()
        self._schedule()

    def _on_error(self, request: Request, error: BaseException) -> None:
        self._polls_in_flight -= 1
        failure = self.controller.poller.reject(request, error)
        if failure is not None:
            self.show_failure(failure)
        self._schedule()

    def apply_update(self, update: Update) -> None:
        """Apply an accepted update to the models (row changes by id).

        A large change set (the first page of thousands of tasks, a new 2,000-frame task) is cut
        into slices that the drain applies over several event-loop turns, in order, after any
        slices still queued; what depends on the whole set (totals, the header, thumbnails)
        runs as the last step.
        """
        if update.kind == TASKS:
            model: Any = self.tasks
        elif update.kind == FRAMES and update.task_id == self.frames.task_id:
            model = self.frames
        else:
            return
        kind = update.kind
        if len(update.changes) <= SLICE_ROWS and not self.drain.busy():
            model.apply(update.changes)
            self._applied(update)
            return
        steps = [functools.partial(self._apply_piece, kind, update.task_id, model, piece)
                 for piece in split_changes(update.changes, SLICE_ROWS)]
        steps.append(functools.partial(self._applied, update))
        self.drain.push(kind, steps)

    def _applied(self, update: Update) -> None:
        """What depends on a whole update: totals and header, or thumbnails and cost."""
        if update.kind == TASKS:
            self._tasks_applied(update)
        elif self._still_current(update.kind, update.task_id):
            self._frames_applied(update)

    def _still_current(self, kind: str, task_id: Optional[int]) -> bool:
        return kind == TASKS or task_id == self.frames.task_id

    def _apply_piece(self, kind: str, task_id: Optional[int], model: Any, piece: ChangeSet) -> None:
        if self._still_current(kind, task_id):  # frames of a task no longer selected are dropped
            model.apply(piece)

    def _tasks_applied(self, update: Update) -> None:
        self.total = update.total
        self.filters.set_total(update.total)
        if self.frames.task_id is not None and not self.tasks.index_of(self.frames.task_id).isValid():
            # the task shown is no longer in the list (a filter, a search, deleted): the detail
            # pane never goes on showing, and updating, a task the artist cannot see
            self._task_selection_changed()
            return
        self.detail.set_task(self._current_task_row())
        if self._follow is not None and self.select_task(self._follow):
            self._follow = None

    def _frames_applied(self, update: Update) -> None:
        rows = update.snapshot.rows
        touched = [added.key for added in update.changes.added] + list(update.changes.changed)
        # every frame has its tile, in frame order: done ones with their image, failed ones red,
        # the others say their state, so a gap in the sequence shows where it is
        touched_rows = [rows[key] for key in touched if key in rows]  # only what changed: no full scan
        for frame_id in self.thumbs.add_frames(touched_rows):
            self.thumb_loader.fetch(frame_id)
        self.detail.set_layers(sorted({row["layer"] for row in rows.values() if row.get("layer")}))
        estimate = update.cost if update.cost is not None else self.controller.cost()
        summary = update.counts if update.counts is not None else self.controller.frame_summary()
        self.detail.set_cost(money(estimate.so_far), money(estimate.projected), summary)
        if update.finished_frames and self.downloads.auto_folder:
            self.downloads.fetch(update.task_id, self.downloads.auto_folder)

    # --- selection and filters -------------------------------------------------------------------
    def selected_task_ids(self) -> List[int]:
        """Farm ids of the selected tasks (rows of column 0)."""
        keys = self.tree.selected_keys()
        return [key for key in keys if key is not None]

    def select_task(self, task_id: int) -> bool:
        """Select the row of ``task_id`` (after a submission); False when not in the list."""
        index = self.task_rows.index_of(task_id)
        if not index.isValid():
            return False
        self.tree.selectionModel().select(index, QtCore.QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QtCore.QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index)
        return True

    def follow(self, task_id: int) -> None:
        """Select ``task_id`` as soon as it appears in the list (after a submission)."""
        if not self.select_task(task_id):
            self._follow = task_id
            self.poll_now()

    def _current_task_row(self) -> Optional[dict]:
        task_id = self.frames.task_id
        return self.tasks.row_data(task_id) if task_id is not None else None

    def _task_selection_changed(self, *_args: Any) -> None:
        # Read the selection once the current event is over: Qt reports changes while rows are
        # being inserted or removed around the selected one (every poll of a busy farm), when
        # rows and ids are briefly out of step; a moment later the same task is selected again.
        if not self._selection_pending:
            self._selection_pending = True
            QtCore.QTimer.singleShot(0, self._selection_settled)

    def _selection_settled(self) -> None:
        self._selection_pending = False
        ids = self.selected_task_ids()
        task_id = ids[0] if ids else None
        if task_id == self.frames.task_id:
            return  # the same task still leads: its frames and the log being read stay as they are
        self.controller.select_task(task_id)
        self.drain.drop(FRAMES)
        self.frames.show_task(task_id)
        self.thumbs.show_task(task_id)
        self.detail.set_task(self._current_task_row())
        self.logs.forget()
        self.logs.load_progress_image(task_id, self._current_task_row())
        self.task_selected.emit(task_id)
        if task_id is not None:
            self.poll()

    def find_in_log(self) -> None:
        """Show the render log with the cursor in its find field."""
        page = self.detail.log_find.parentWidget()
        if page is not None:
            self.detail.tabs.setCurrentWidget(page)
        self.detail.log_find.field.setFocus()
        self.detail.log_find.field.selectAll()

    def _query_changed(self, query: Any) -> None:
        if query != self.controller.poller.query:  # a new data set: the poller starts from nothing too
            self.drain.drop(TASKS)
            self.tasks.clear()
            self._task_selection_changed()  # a model reset reports no selection change of its own
        self.controller.set_query(query)
        self.poll_now()

    def _load_log(self, frame_id: Optional[int]) -> None:
        self.logs.load(frame_id, self.frames)

    # --- actions, reports, downloads (rv_dcc.ui.monitor_actions) -----------------------------------
    def run_action(self, name: str) -> bool:
        """Run a task/frame action on the selection, asking first when it is destructive.
        Returns False when nothing ran (no selection, declined, cancelled prompt)."""
        frame_ids: List[int] = []
        task_ids = self.selected_task_ids()
        if ACTIONS[name].scope == "frames":
            frame_ids = self.detail.selected_frame_ids()
            task_ids = [self.frames.task_id] if self.frames.task_id is not None else task_ids
        return self.task_actions.run(name, task_ids, frame_ids, self.ask_value, self.confirm)

    def _task_menu(self, position: QtCore.QPoint) -> None:
        rows = [self.tasks.row_data(key) for key in self.selected_task_ids()]
        if rows:
            self.task_actions.popup_menu(self.tree, position, rows, self.run_action)

    def show_failure(self, failure: Any) -> None:
        """The quiet banner for a failed poll."""
        self.reports.poll_failed(failure)

    def _download_clicked(self) -> None:
        self.downloads.ask_and_fetch(self.frames.task_id, self)

    def _fix_credentials(self) -> None:
        self.credentials_requested.emit()

    def confirm(self, text: str) -> bool:
        """Ask before an action that destroys or interrupts work."""
        return bool(ask_confirmation(self, text))

    def ask_value(self, name: str, prompt: str) -> Any:
        """Ask for an action's value (priority, overtime, label); None when cancelled."""
        return ask_value(self, name, prompt)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        # in a narrow dock the least needed columns give way; the panel's width, not the tree's:
        # the tree is laid out after this event (margins, a scroll bar)
        hide_columns_to_fit(self.tree, self.tasks.columns, self.width() - 40, TASK_COLUMNS_HIDE_FIRST)

    # --- visibility ------------------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self.controller.poller.set_visible(True)
        self.poll_now()

    def hideEvent(self, event: Any) -> None:  # noqa: N802
        super().hideEvent(event)
        self.controller.poller.set_visible(False)
        self.timer.stop()

    def shutdown(self) -> None:
        """Stop polling and wait for workers (closing the panel, end of a test)."""
        self.timer.stop()
        self.drain.drop(TASKS)
        self.drain.drop(FRAMES)
        self.controller.poller.set_visible(False)
        self.controller.poller.checkpoint = None  # the poller may outlive this panel
        self.logs.wanted.frame = None
        self.drain.drop("thumbs")
        self.runner.close()
        self.thumb_runner.close()
        self.log_runner.close()


def _no_currency(error: BaseException) -> None:
    log.info("no profile for the currency: %s", error)


def _manual(poller: Any) -> bool:
    """True when the list only updates when the artist asks (no retry countdown to show)."""
    return poller.every == 0
