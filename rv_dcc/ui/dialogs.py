"""Every dialog the panel opens, readable and in the artist's language, standalone or in a host.

The panel's dark stylesheet sets light text on its own widgets. A dialog Qt builds for a static
call (``QMessageBox.question``, ``QInputDialog.getItem``, ``QFileDialog.getExistingDirectory``)
inherits that text colour but not the dark background, so standalone (Qt's default light palette)
and in a light-themed host it showed near-white text on light grey. Here each dialog is built
as an object, given the panel's look (:func:`rv_dcc.ui.style.apply`), and its standard buttons
get the panel's own words, so "Yes"/"No"/"OK"/"Cancel" follow the panel's language even inside a
host whose Qt is English. Folder pickers use Qt's own dialog only where the platform has no
native one (Linux), and then styled the same way.

Standalone, :func:`install_qt_translations` also loads Qt's own catalogue for the language
(Qt's file dialog, context menus of text fields); in a host the application belongs to the host,
so nothing is installed on it (nothing process-wide).
"""
import sys
from typing import Any, List, Optional

from qtpy import QtCore, QtWidgets

from rv_dcc.ui import style
from rv_dcc.ui.i18n import language, tr

_translators: List[Any] = []
#: Qt's own Simplified Chinese catalogue (qt_zh_CN of Qt 5 is only a meta file pointing to it)
QT_CATALOGUES = ("qtbase_zh_CN",)


def _style(dialog: QtWidgets.QWidget) -> None:
    style.apply(dialog, language())
    dialog.setObjectName("RvDialog")


def _run(dialog: QtWidgets.QDialog) -> int:
    exec_ = getattr(dialog, "exec", None) or dialog.exec_
    try:
        return int(exec_())
    finally:
        dialog.deleteLater()  # one dialog per question: freed by Qt on the GUI thread


def question_box(parent: Optional[QtWidgets.QWidget], text: str) -> QtWidgets.QMessageBox:
    """The yes/no question (default: no), styled, with the panel's words on its buttons."""
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Question)
    box.setWindowTitle(tr("confirm.title"))
    box.setText(text)
    box.setStandardButtons(QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No)
    box.setDefaultButton(QtWidgets.QMessageBox.StandardButton.No)
    box.button(QtWidgets.QMessageBox.StandardButton.Yes).setText(tr("dialog.yes"))
    box.button(QtWidgets.QMessageBox.StandardButton.No).setText(tr("dialog.no"))
    _style(box)
    return box


def confirm(parent: Optional[QtWidgets.QWidget], text: str) -> bool:
    """Ask a yes/no question (default: no). True when the artist said yes."""
    return _run(question_box(parent, text)) == int(QtWidgets.QMessageBox.StandardButton.Yes)


def details_box(parent: Optional[QtWidgets.QWidget], text: str) -> QtWidgets.QMessageBox:
    """The technical details of an error: selectable, to copy into a message to a TD or support."""
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Information)
    box.setWindowTitle(tr("details.title"))
    box.setText(text)
    box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QtWidgets.QMessageBox.StandardButton.Ok)
    box.button(QtWidgets.QMessageBox.StandardButton.Ok).setText(tr("dialog.ok"))
    _style(box)
    return box


def show_details(parent: Optional[QtWidgets.QWidget], text: str) -> None:
    """Show ``details_box`` without blocking (no nested event loop)."""
    box = details_box(parent, text)
    box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def value_dialog(parent: Optional[QtWidgets.QWidget], name: str, prompt: str) -> QtWidgets.QInputDialog:
    """The input dialog of an action's value: priority (a list), overtime (hours) or a label (text)."""
    dialog = QtWidgets.QInputDialog(parent)
    dialog.setWindowTitle(tr({"priority": "action.priority", "overtime": "action.overtime"}.get(name, "action.labels")))
    dialog.setLabelText(prompt)
    dialog.setOkButtonText(tr("dialog.ok"))
    dialog.setCancelButtonText(tr("dialog.cancel"))
    if name == "priority":
        dialog.setComboBoxItems([tr("priority.50"), tr("priority.60")])
        dialog.setComboBoxEditable(False)
    elif name == "overtime":
        dialog.setInputMode(QtWidgets.QInputDialog.InputMode.DoubleInput)
        dialog.setDoubleRange(0.5, 720.0)
        dialog.setDoubleDecimals(1)
        dialog.setDoubleValue(12.0)
    _style(dialog)
    return dialog


def ask_value(parent: Optional[QtWidgets.QWidget], name: str, prompt: str) -> Any:
    """Ask for the value an action needs (priority, overtime hours, label); None when cancelled."""
    dialog = value_dialog(parent, name, prompt)
    if not _run(dialog):
        return None
    if name == "priority":
        return 50 if dialog.textValue() == tr("priority.50") else 60
    if name == "overtime":
        return dialog.doubleValue()
    return dialog.textValue().strip() or None


def folder_dialog(parent: Optional[QtWidgets.QWidget], caption: str) -> QtWidgets.QFileDialog:
    """A folder picker: the platform's own where there is one, else Qt's, styled like the panel."""
    dialog = QtWidgets.QFileDialog(parent, caption)
    dialog.setFileMode(QtWidgets.QFileDialog.FileMode.Directory)
    dialog.setOption(QtWidgets.QFileDialog.Option.ShowDirsOnly, True)
    if sys.platform.startswith("linux"):  # Qt's own dialog here: give it the panel's look and words
        dialog.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setLabelText(QtWidgets.QFileDialog.DialogLabel.Accept, tr("dialog.choose"))
        dialog.setLabelText(QtWidgets.QFileDialog.DialogLabel.Reject, tr("dialog.cancel"))
        _style(dialog)
    return dialog


def pick_folder(parent: Optional[QtWidgets.QWidget], caption: str) -> str:
    """Ask for a folder; "" when cancelled."""
    dialog = folder_dialog(parent, caption)
    if not _run(dialog):
        return ""
    chosen = dialog.selectedFiles()
    return str(chosen[0]) if chosen else ""


def install_qt_translations(app: QtWidgets.QApplication, lang: str) -> bool:
    """Standalone only: load Qt's own catalogue (qtbase_zh_CN) for ``lang``. True when loaded."""
    if not lang.startswith("zh"):
        return False
    from qtpy import QtCore as core

    info = core.QLibraryInfo
    # Qt 6 names the enum LibraryPath, Qt 5 LibraryLocation: the short name is the one both accept
    where = info.TranslationsPath  # type: ignore[attr-defined]
    folder = info.path(where) if hasattr(info, "path") else info.location(where)
    translator = core.QTranslator(app)
    # Qt 6 and PyQt5 ship qtbase_zh_CN; the PySide2 5.15 wheel does not (then the
    # panel's own words on the standard buttons are what the artist sees)
    if not any(translator.load(name, folder) for name in QT_CATALOGUES):
        return False
    app.installTranslator(translator)
    _translators.append(translator)
    return True

