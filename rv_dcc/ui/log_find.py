"""Finding things in a frame's render log: a find field and a "Next error" button.

A render log runs to thousands of lines and the line that matters is an error somewhere in
them. The bar sits above the log view: the field finds text as it is typed (Enter: next,
Shift+Enter: previous, wrapping round), and "Next error" walks the lines that say error,
exception, fatal or failed — from the top the first time, since the log opens at its end and
the first error is usually the cause. Nothing here reads the farm: it searches what is shown.
"""
from typing import Any, Optional

from qtpy import QtCore, QtGui, QtWidgets

from rv_dcc.ui.i18n import tr
from rv_dcc.ui.widgets import button

#: What makes a log line an error line (whole words, any case).
ERROR_WORDS = r"\b(error|errors|exception|fatal|failed|failure|traceback)\b"


class LogFindBar(QtWidgets.QWidget):
    """Find text and errors in ``view`` (a QPlainTextEdit)."""

    def __init__(self, view: QtWidgets.QPlainTextEdit, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.view = view
        self.field = QtWidgets.QLineEdit(self)
        self.field.setPlaceholderText(tr("monitor.log_find"))
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._typed)
        self.field.returnPressed.connect(self._enter)
        self.errors = button(tr("monitor.log_next_error"), "", self.next_error, self)
        self.status = QtWidgets.QLabel("", self)
        self.status.setProperty("role", "hint")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.errors)
        layout.addWidget(self.status)
        self._error_pattern = QtCore.QRegularExpression(
            ERROR_WORDS, QtCore.QRegularExpression.PatternOption.CaseInsensitiveOption)

    def _typed(self, *_args: object) -> None:
        self.find_text(from_start=True)

    def _enter(self) -> None:
        backwards = bool(QtWidgets.QApplication.keyboardModifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier)
        self.find_text(backwards=backwards)

    def find_text(self, backwards: bool = False, from_start: bool = False) -> bool:  # QWidget.find is Qt's
        """Select the next (previous) place the field's text appears; False when it does not."""
        text = self.field.text()
        if not text:
            self.status.setText("")
            return False
        if from_start:  # typing: look from the top, so the first place shows first
            self.view.moveCursor(QtGui.QTextCursor.MoveOperation.Start)
        return self._search(text, backwards)

    def next_error(self) -> bool:
        """Select the next line that reports an error (wrapping round); False when there is none."""
        return self._search(self._error_pattern, False, whole_line=True)

    def _search(self, what: Any, backwards: bool, whole_line: bool = False) -> bool:
        document = self.view.document()

        def find_from(cursor: QtGui.QTextCursor) -> QtGui.QTextCursor:
            if backwards:
                return document.find(what, cursor, QtGui.QTextDocument.FindFlag.FindBackward)
            return document.find(what, cursor)

        start = self.view.textCursor()
        if whole_line and start.hasSelection():  # past the line found last time
            start.setPosition(start.selectionEnd())
        found = find_from(start)
        if found.isNull():  # wrap round
            edge = QtGui.QTextCursor(document)
            edge.movePosition(QtGui.QTextCursor.MoveOperation.End if backwards else QtGui.QTextCursor.MoveOperation.Start)
            found = find_from(edge)
        if found.isNull():
            self.status.setText(tr("monitor.log_not_found"))
            return False
        if whole_line:
            found.movePosition(QtGui.QTextCursor.MoveOperation.StartOfBlock)
            found.movePosition(QtGui.QTextCursor.MoveOperation.EndOfBlock, QtGui.QTextCursor.MoveMode.KeepAnchor)
        self.status.setText("")
        self.view.setTextCursor(found)
        self.view.centerCursor()
        return True
