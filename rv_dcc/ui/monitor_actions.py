"""The monitor's actions, reports and downloads: three small parts with explicit collaborators.

- :class:`Reports` puts into the banner what failed or finished (a poll, an action, a
  download) in the artist's words, with the technical details behind "Details".
- :class:`TaskActions` offers what the selected tasks' states allow (what ends work for good
  apart, last), asks what an action needs (a value, a confirmation) and runs it in a worker.
- :class:`Downloads` fetches a task's outputs into a folder the artist picks, or, with
  auto-download on, as frames finish; one at a time.

None of them holds the monitor widget: they get its parts (banner, runner, controller) and,
per call, what they need from it (the selection, the question functions), so no reference
cycle ever ties a panel to them (docs/HOST_RULES.md). The widget connects its signals to them.
"""
from typing import Any, Callable, List, Optional, Sequence

from qtpy import QtCore, QtWidgets

from rv_dcc.ui.dialogs import pick_folder, show_details
from rv_dcc.ui.error_text import banner_parts
from rv_dcc.ui.i18n import tr
from rv_dcc.ui.monitor_controller import ACTIONS, FINAL_ACTIONS, allowed_actions
from rv_dcc.ui.weakcall import WeakCall

#: how long an "it worked" message stays before the list is polled again
INFO_MS = 4000


class Reports:
    """The monitor's banner messages. ``retry`` polls again; ``fix_credentials`` opens the
    sign-in; ``manual`` says whether the list only updates when asked."""

    def __init__(self, banner: Any, retry: Callable[[], Any], fix_credentials: Callable[[], Any],
                 manual: Callable[[], bool]) -> None:
        self.banner = banner
        self.retry = retry
        self.fix_credentials = fix_credentials
        self.manual = manual
        self.details = ""  #: what the banner's Details button shows
        self._info_timer = QtCore.QTimer(banner)  # the banner's child: gone with the panel
        self._info_timer.setSingleShot(True)
        self._info_timer.setInterval(INFO_MS)
        self._info_timer.timeout.connect(WeakCall(self._clear_info, signal_args=False))

    def poll_failed(self, failure: Any) -> None:
        """A failed poll: the artist's words and when it is tried again (a credentials offer
        for an authentication error); the operation, the farm's words and the request id behind Details."""
        words, self.details = banner_parts(failure.error)
        details = (tr("banner.details"), WeakCall(self.show_details, signal_args=False))
        if failure.is_auth:
            self.banner.show_message(tr("banner.auth", error=words), "auth",
                                     [(tr("banner.fix_credentials"), self.fix_credentials), details])
            return
        text = (tr("banner.failed_manual", error=words) if self.manual()
                else tr("banner.failed", error=words, seconds=int(failure.retry_in)))
        self.banner.show_message(text, "warning", [(tr("banner.retry"), self.retry), details])

    def failed(self, caption: str, error: BaseException) -> None:
        """An action or a download failed."""
        words, self.details = banner_parts(error)
        self.banner.show_message(tr("banner.action_failed", action=caption, error=words), "warning",
                                 [(tr("banner.details"), WeakCall(self.show_details, signal_args=False))])

    def done(self, caption: str, _result: Any = None) -> None:
        """An action went through: say so for a moment, then poll to show its effect."""
        self.banner.show_message(tr("banner.action_done", action=caption), "info")
        self._info_timer.start()

    def info(self, text: str) -> None:
        """A message that stays until the next one."""
        self.banner.show_message(text, "info")

    def show_details(self) -> None:
        """The technical details of the last failure, in a dialog."""
        show_details(self.banner, self.details)

    def _clear_info(self) -> None:
        if self.banner.kind == "info":
            self.banner.clear()
        self.retry()


class TaskActions:
    """Task and frame actions on the farm, run in ``runner``, reported through ``reports``."""

    def __init__(self, controller: Any, runner: Any, reports: Reports) -> None:
        self.controller = controller
        self.runner = runner
        self.reports = reports
        self.last_menu: List[str] = []  #: what the artist was last offered (tests read it)

    @staticmethod
    def offered(rows: Sequence[Any]) -> List[List[str]]:
        """The task actions every selected row's state allows: the others, then the final ones."""
        allowed = set.intersection(*(allowed_actions(row) for row in rows)) if rows else set()
        names = [name for name, spec in ACTIONS.items() if spec.scope == "tasks" and name in allowed]
        return [[name for name in names if name not in FINAL_ACTIONS], [name for name in names if name in FINAL_ACTIONS]]

    def popup_menu(self, view: QtWidgets.QAbstractItemView, position: QtCore.QPoint, rows: Sequence[Any],
                   run: Callable[[str], Any]) -> None:
        """The right-click menu over ``view`` for the selected ``rows``; ``run(name)`` acts."""
        menu = QtWidgets.QMenu(view)
        menu.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)  # one menu per right-click: freed when it closes
        for group in self.offered(rows):
            if group and not menu.isEmpty():
                menu.addSeparator()
            for name in group:
                menu.addAction(tr(ACTIONS[name].label), WeakCall(run, name, signal_args=False))
        if menu.isEmpty():
            menu.deleteLater()
            return
        self.last_menu = [action.text() for action in menu.actions()]
        menu.popup(view.viewport().mapToGlobal(position))  # no nested event loop

    def run(self, name: str, task_ids: List[int], frame_ids: List[int], ask_value: Callable[[str, str], Any],
            confirm: Callable[[str], bool]) -> bool:
        """Run action ``name`` on these tasks / frames after the questions it needs; False when
        nothing ran (nothing selected, declined, a prompt cancelled)."""
        spec = ACTIONS[name]
        if not task_ids or (spec.scope == "frames" and not frame_ids):
            return False
        value = None
        if spec.value:
            value = ask_value(name, tr(spec.value))
            if value is None:
                return False
        question = self.controller.confirmation(name, len(frame_ids) if spec.scope == "frames" else len(task_ids))
        if question and not confirm(question):
            return False
        caption = tr(spec.label).rstrip("…")
        self.runner.run(self.controller.action_job(name, task_ids, frame_ids, value),
                        WeakCall(self.reports.done, caption), WeakCall(self.reports.failed, caption))
        return True


class Downloads:
    """A task's outputs into a folder, one download at a time."""

    def __init__(self, controller: Any, runner: Any, reports: Reports) -> None:
        self.controller = controller
        self.runner = runner
        self.reports = reports
        self.auto_folder: Optional[str] = None  #: where finished frames go as they finish (None: off)
        self.busy = False

    def set_auto_folder(self, folder: Optional[str]) -> None:
        """Download finished frames into ``folder`` as they finish (None: stop)."""
        self.auto_folder = folder

    def ask_and_fetch(self, task_id: Optional[int], parent: QtWidgets.QWidget) -> None:
        """Ask for a folder, then download ``task_id``'s outputs into it."""
        if task_id is None:
            return
        folder = pick_folder(parent, tr("monitor.download"))
        if folder:
            self.fetch(task_id, folder)

    def fetch(self, task_id: Optional[int], folder: str) -> None:
        """Download ``task_id``'s outputs into ``folder`` (ignored while one runs)."""
        if task_id is None or self.busy:
            return
        self.busy = True
        self.reports.info(tr("monitor.downloading", n="…", folder=folder))
        self.runner.run(self.controller.download_job(task_id, folder), WeakCall(self._done, folder),
                        WeakCall(self._failed), key="download")

    def _done(self, folder: str, files: Any) -> None:
        self.busy = False
        self.reports.info(tr("monitor.downloaded", n=len(files or []), folder=folder))

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.reports.failed(tr("monitor.download"), error)
