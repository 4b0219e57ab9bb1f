"""The standalone panel's Qt application: what ``rv-dcc panel`` runs (the command itself stays Qt-free).

``run_panel`` creates (or reuses) the QApplication, warns about a Qt binding known to crash long
sessions, opens the panel and runs the event loop; ``run_screenshots`` is the ``--screenshot``
mode. A missing binding becomes :class:`QtMissingError` with what to install.
"""
import sys
from typing import Any, Callable, ContextManager, List, Optional

from rv_dcc.errors import RvDccError


class QtMissingError(RvDccError):
    """No Qt binding could be loaded."""

    default_hint = "Install one: pip install 'rv-dcc[qt]' (PySide6), or PyQt5."


def _qt() -> Any:
    try:
        from qtpy import QtWidgets
    except Exception as error:  # noqa: BLE001 - qtpy raises its own error type when no binding is there
        raise QtMissingError(f"no Qt binding could be loaded ({error})") from None
    return QtWidgets


def run_screenshots(out_dir: str, lang: Optional[str], start_farm: Callable[..., ContextManager[Any]]) -> List[str]:
    """The ``--screenshot`` mode: PNGs of the panel over the private local farm ``start_farm`` runs."""
    _qt()
    from rv_dcc.ui.screenshots import main

    return main(out_dir, start_farm, lang)


def _system_language() -> None:
    """Standalone, the "host" is the desktop: its interface language (Qt's system locale, which
    follows the OS settings on Windows and macOS) counts when the environment names none; a
    panel started by a host was handed that host's language instead (rv_dcc.i18n.language)."""
    import os

    from qtpy import QtCore

    from rv_dcc.i18n import HOST_LANGUAGE_VARIABLE, set_host_language

    if not os.environ.get(HOST_LANGUAGE_VARIABLE):
        languages = QtCore.QLocale.system().uiLanguages()
        set_host_language(languages[0] if languages else QtCore.QLocale.system().name())


def run_panel(connect: Callable[[], Any], desc: Any, lang: Optional[str],
              reconnect: Optional[Callable[[str], Any]] = None, task: Optional[int] = None) -> int:
    """Open the standalone panel on the farm ``connect()`` returns and run until it is closed.

    ``task``: show the monitor with that task selected (as soon as it is listed).
    """
    widgets = _qt()
    app = widgets.QApplication.instance() or widgets.QApplication(sys.argv[:1])
    from rv_dcc.ui.qt_compat import binding_problem

    problem = binding_problem()
    if problem:
        sys.stderr.write(f"rv-dcc panel: warning: {problem}\n")
    from rv_dcc.ui import keystore
    from rv_dcc.ui.panel import open_panel

    keystore.register()
    from rv_dcc.ui.dialogs import install_qt_translations
    from rv_dcc.ui.i18n import set_language

    _system_language()

    install_qt_translations(app, set_language(lang))  # the application is ours here, not a host's
    window = open_panel(None, connect(), desc, lang, reconnect=reconnect)
    if task is not None:
        window.show_task(task)
    exec_ = getattr(app, "exec", None) or app.exec_
    code = exec_()
    window.shutdown()
    return int(code or 0)
