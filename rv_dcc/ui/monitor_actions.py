"""The monitor's actions on the selection, its downloads and its failure banners (a part of MonitorWidget).

Task and frame actions run in the widget's worker pool after the questions they need (a value
for priority / overtime / labels, a confirmation for what destroys work); the banner reports
how they went and the list is polled again; a failed poll or action shows the artist's words, the
technical details behind Details. Downloads go to a folder the artist picks, or, with
auto-download on, to its folder as frames finish; one download runs at a time. Split out of
:mod:`rv_dcc.ui.monitor_widget` for size: the methods use the widget's attributes.
"""
import functools
from typing import Any, Optional

from qtpy import QtCore, QtWidgets

from rv_dcc.ui.dialogs import pick_folder, show_details
from rv_dcc.ui.error_text import banner_parts
from rv_dcc.ui.i18n import tr
from rv_dcc.ui.weakcall import WeakCall
from rv_dcc.ui.monitor_controller import ACTIONS, FINAL_ACTIONS, allowed_actions


class MonitorActions:
    """Mixed into :class:`rv_dcc.ui.monitor_widget.MonitorWidget` (a QWidget)."""

    controller: Any
    runner: Any
    banner: Any
    detail: Any
    frames: Any
    tree: Any
    tasks: Any
    failure_details: str
    credentials_requested: Any

    confirm: Any
    ask_value: Any
    auto_download_folder: Optional[str]
    _downloading: bool

    def selected_task_ids(self) -> Any:  # provided by the widget
        raise NotImplementedError

    def poll_now(self) -> None:  # provided by the widget
        raise NotImplementedError

    def _task_menu(self, position: QtCore.QPoint) -> None:
        rows = [self.tasks.row_data(key) for key in self.selected_task_ids()]
        if not rows:
            return
        # what every selected task's state allows; what ends work for good comes last, apart
        allowed = set.intersection(*(allowed_actions(row) for row in rows))
        menu = QtWidgets.QMenu(self)  # type: ignore[call-overload]  # self is the MonitorWidget, a QWidget
        menu.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)  # one menu per right-click: freed when it closes
        names = [name for name, spec in ACTIONS.items() if spec.scope == "tasks" and name in allowed]
        for group in ([name for name in names if name not in FINAL_ACTIONS],
                      [name for name in names if name in FINAL_ACTIONS]):
            if group and not menu.isEmpty():
                menu.addSeparator()
            for name in group:
                menu.addAction(tr(ACTIONS[name].label), WeakCall(self.run_action, name, signal_args=False))
        if menu.isEmpty():
            menu.deleteLater()
            return
        self.last_menu = [action.text() for action in menu.actions()]  #: what the artist was offered (tests)
        menu.popup(self.tree.viewport().mapToGlobal(position))  # no nested event loop

    def run_action(self, name: str) -> bool:
        """Run a task/frame action on the selection, asking first when it is destructive.

        Returns False when nothing ran (no selection, declined, cancelled prompt).
        """
        spec = ACTIONS[name]
        task_ids = self.selected_task_ids()
        frame_ids = self.detail.selected_frame_ids() if spec.scope == "frames" else []
        if spec.scope == "frames" and self.frames.task_id is not None:
            task_ids = [self.frames.task_id]
        if not task_ids or (spec.scope == "frames" and not frame_ids):
            return False
        value = None
        if spec.value:
            value = self.ask_value(name, tr(spec.value))
            if value is None:
                return False
        question = self.controller.confirmation(name, len(frame_ids) if spec.scope == "frames" else len(task_ids))
        if question and not self.confirm(question):
            return False
        job = self.controller.action_job(name, task_ids, frame_ids, value)
        caption = tr(spec.label).rstrip("…")
        self.runner.run(job, functools.partial(self._action_done, caption),
                        functools.partial(self._action_failed, caption))
        return True

    def _action_failed(self, caption: str, error: BaseException) -> None:
        self._failed(caption, error)

    def show_failure(self, failure: Any) -> None:
        """The quiet banner for a failed poll (with a credentials offer for auth errors): the
        artist's words; the operation, the farm's words and the request id behind Details."""
        words, self.failure_details = banner_parts(failure.error)
        details = (tr("banner.details"), self._show_failure_details)
        if failure.is_auth:
            self.banner.show_message(tr("banner.auth", error=words), "auth",
                                     [(tr("banner.fix_credentials"), self.credentials_requested.emit), details])
        else:
            text = (tr("banner.failed_manual", error=words) if self.controller.poller.every == 0
                    else tr("banner.failed", error=words, seconds=int(failure.retry_in)))
            self.banner.show_message(text, "warning", [(tr("banner.retry"), self.poll_now), details])

    def _show_failure_details(self) -> None:
        show_details(self, self.failure_details)  # type: ignore[arg-type]  # self is a QWidget

    def _failed(self, caption: str, error: BaseException) -> None:
        """An action failed: the artist's words in the banner, the technical ones behind Details."""
        words, self.failure_details = banner_parts(error)
        self.banner.show_message(tr("banner.action_failed", action=caption, error=words), "warning",
                                 [(tr("banner.details"), self._show_failure_details)])

    def _action_done(self, caption: str, _result: Any = None) -> None:
        self.banner.show_message(tr("banner.action_done", action=caption), "info")
        QtCore.QTimer.singleShot(4000, self._clear_info)

    def _clear_info(self) -> None:
        if self.banner.kind == "info":
            self.banner.clear()
        self.poll_now()

    def _auto_download_toggled(self, folder: Optional[str]) -> None:
        self.auto_download_folder = folder

    def _download_clicked(self) -> None:
        task_id = self.frames.task_id
        if task_id is None:
            return
        folder = pick_folder(self, tr("monitor.download"))  # type: ignore[arg-type]  # self is a QWidget
        if folder:
            self._download(task_id, folder)

    def _download(self, task_id: Optional[int], folder: str) -> None:
        if task_id is None or self._downloading:
            return
        self._downloading = True
        self.banner.show_message(tr("monitor.downloading", n="…", folder=folder), "info")

        def done(files: Any) -> None:
            self._downloading = False
            self.banner.show_message(tr("monitor.downloaded", n=len(files or []), folder=folder), "info")

        def failed(error: BaseException) -> None:
            self._downloading = False
            self._failed(tr("monitor.download"), error)
        self.runner.run(self.controller.download_job(task_id, folder), done, failed, key="download")
