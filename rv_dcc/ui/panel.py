"""The panel: the submit view and the monitor in one window, parented to the host, non-modal.

``open_panel(adapter, api=...)`` is what a host's menu entry calls: it reads the scene through
the adapter, builds the controllers (plain Python) and the views, parents the window to the
host's main window (so it never falls behind it) and shows it without blocking. Standalone,
``rv-dcc panel`` does the same with no adapter. When the farm refuses the credentials, the
monitor's banner offers the sign-in dialog and the panel swaps in a new client.
"""
import functools
import logging
from typing import Any, Callable, Optional

from qtpy import QtCore, QtWidgets

from rv_dcc.scene.adapter import SceneDescriber, WindowProvider
from rv_dcc.ui import style
from rv_dcc.ui.i18n import language, set_language, tr
from rv_dcc.ui.monitor_controller import MonitorController
from rv_dcc.ui.monitor_widget import MonitorWidget
from rv_dcc.ui.submit_controller import SubmitController
from rv_dcc.ui.submit_view import SubmitView
from rv_dcc.ui.widgets import button, label

log = logging.getLogger("rv_dcc.ui.panel")
Qt = QtCore.Qt


def _describe_label(api: Any) -> str:
    if api is None:
        return ""
    return f"{getattr(api, 'access_id', '')} @ {getattr(api, 'domain', '')}"


#: The panel's object name: how a second shelf click finds the open panel (even after a reload
#: of this module, which would forget a module-level reference).
OBJECT_NAME = "RvPanel"


class PanelWindow(QtWidgets.QWidget):
    """Submit and Monitor tabs over one farm connection."""

    def __init__(self, api: Any, adapter: Optional[object] = None, desc: Any = None, parent: Optional[QtWidgets.QWidget] = None,
                 monitor: Optional[MonitorController] = None, submit: Optional[SubmitController] = None,
                 reconnect: Optional[Callable[[str], Any]] = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName(OBJECT_NAME)
        # closing frees the window and everything in it (on the GUI thread, by Qt): a host
        # session that opens and closes the panel all day keeps no widgets, timers or threads
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("app.title"))
        self.api = api
        self.reconnect = reconnect
        self.monitor_controller = monitor or MonitorController(api)
        self.submit_controller = submit or SubmitController(desc, api, adapter)
        self.submit_view = SubmitView(self.submit_controller, self)
        self.monitor = MonitorWidget(self.monitor_controller, self)
        self.tabs = QtWidgets.QTabWidget(self)
        self.tabs.addTab(self.submit_view, tr("tab.submit"))
        self.tabs.addTab(self.monitor, tr("tab.monitor"))
        self.connection = label(_describe_label(api), "hint", self)
        corner = QtWidgets.QWidget(self)
        corner_layout = QtWidgets.QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 8, 0)
        corner_layout.addWidget(self.connection)
        corner_layout.addWidget(button(tr("signin.save") + "…", "link", self.sign_in, corner))
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.tabs)
        self.submit_view.submitted.connect(self.show_task)
        self.monitor.credentials_requested.connect(self.sign_in)
        from rv_dcc.ui.notices import attach  # a task that ends, a budget reached: said (rv_dcc/ui/notices.py)

        self.notices = attach(self)
        style.apply(self, language())
        self.resize(1280, 820)
        if desc is None:
            self.tabs.setCurrentWidget(self.monitor)
        self._shut = False

    def show_task(self, task_id: Any) -> None:
        """Switch to the monitor and follow ``task_id`` (after a submission)."""
        self.tabs.setCurrentWidget(self.monitor)
        if task_id is not None:
            self.monitor.follow(int(task_id))

    def sign_in(self) -> None:
        """Ask for the account and reconnect with it (or with the local farm)."""
        from rv_dcc.ui.signin_dialog import SignInDialog

        dialog = SignInDialog(self, offer_local=True, access_id=getattr(self.api, "access_id", ""),
                              domain=getattr(self.api, "domain", ""), platform=getattr(self.api, "platform", ""))
        style.apply(dialog, language())
        dialog.finished.connect(functools.partial(self._dialog_finished, dialog))
        dialog.open()  # window-modal, never a nested event loop (LESSONS 4)

    def _dialog_finished(self, dialog: Any, _code: int = 0) -> None:
        dialog.deleteLater()  # one dialog per sign-in: freed on the GUI thread once it is done
        self._signed_in(dialog.result_mode)

    def _signed_in(self, mode: str) -> None:
        if not mode or self.reconnect is None:
            return
        try:
            api = self.reconnect(mode)
        except Exception as error:  # noqa: BLE001 - shown in the banner
            self.monitor.banner.show_message(str(error), "auth")
            return
        self.set_api(api)

    def set_api(self, api: Any) -> None:
        """Use another farm connection from now on."""
        from rv_dcc.monitor.source import ApiSource

        self.api = api
        self.connection.setText(_describe_label(api))
        self.monitor_controller.api = api
        self.monitor_controller.source = ApiSource(api)
        self.monitor_controller.poller.source = self.monitor_controller.source
        self.submit_controller.api = api
        self.submit_controller.funds = None  # another account: its own balance
        from rv_dcc.ui.notices import install_guard

        install_guard(self.monitor_controller, self.notices)
        self.monitor.banner.clear()
        self.monitor.poll_now()

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop polling, timers and every worker (a running submission stays resumable)."""
        if self._shut:
            return
        self._shut = True
        self.setObjectName("")  # closing: a click from now on opens a new panel
        self.monitor.shutdown()
        self.submit_view.shutdown()

    def reopen(self, desc: Any = None) -> None:
        """A second click: show the open panel on the scene as it is now, in front, refreshed."""
        if desc is not None and self.submit_view.run.cancel_token is None:  # never under a running submission
            self.submit_controller.set_description(desc)
            self.submit_view.load()
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        self.monitor.poll_now()


def open_panel(adapter: Optional[object] = None, api: Any = None, desc: Any = None, lang: Optional[str] = None,
               reconnect: Optional[Callable[[str], Any]] = None) -> PanelWindow:
    """Open the panel inside a host (or standalone): parented to the host's main window, non-modal."""
    ui_language = getattr(adapter, "ui_language", None)
    if callable(ui_language):  # the host's interface language (rv_dcc.i18n.language), read on its main thread
        from rv_dcc.i18n import set_host_language

        set_host_language(ui_language())
    set_language(lang)
    from rv_dcc.ui.qt_compat import binding_problem

    problem = binding_problem()
    if problem:  # the host's Qt binding is known to crash long sessions: say so in its log
        log.warning(problem)
    if desc is None and isinstance(adapter, SceneDescriber):
        desc = adapter.describe_scene()
    existing = find_open_panel()
    if existing is not None:  # one panel per host session: a second click brings it back
        existing.reopen(desc)
        return existing
    parent = adapter.main_window() if isinstance(adapter, WindowProvider) else None
    window = PanelWindow(api, adapter, desc, parent, reconnect=reconnect)
    window.show()
    window.raise_()
    return window


def find_open_panel() -> Optional[PanelWindow]:
    """The panel this session already has open (or hidden), if any."""
    app = QtWidgets.QApplication.instance()
    if app is None:
        return None
    for widget in QtWidgets.QApplication.allWidgets():
        if isinstance(widget, PanelWindow) and widget.objectName() == OBJECT_NAME:
            return widget
    return None
