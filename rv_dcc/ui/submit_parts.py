"""Pieces of the submit dialog: the checks list, the render-environment table, the preview dialog,
and the bridge that carries submission progress from the worker thread to the dialog.
"""
import json
from typing import Any, Callable, List, Optional

from qtpy import QtCore, QtGui, QtWidgets

from rv_dcc.ui.columns import AMBER, BLUE, GREEN, RED
from rv_dcc.ui.i18n import tr
from rv_dcc.ui.widgets import button, card, label

Qt = QtCore.Qt
SEVERITY_COLOURS = {"error": RED, "warning": AMBER, "info": BLUE}
MATCH_COLOURS = {"exact": GREEN, "nearest": AMBER, "missing": RED}


class IssueRow(QtWidgets.QFrame):
    """One issue: severity dot and word, title, hint, and a Select button when there is a node."""

    def __init__(self, issue: Any, on_select: Optional[Callable[[str], Any]],
                 parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.issue = issue
        colour = SEVERITY_COLOURS.get(issue.severity, BLUE)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 8, 8)
        layout.setSpacing(10)
        dot = label(f"<span style='color:{colour}; font-size:13pt'>●</span>", "", self)
        dot.setAlignment(Qt.AlignTop)
        layout.addWidget(dot)
        text = QtWidgets.QVBoxLayout()
        text.setSpacing(2)
        title = label(f"<b>{tr('submit.severity.' + issue.severity)}</b> · {_escape(issue.title)}", "", self)
        title.setWordWrap(True)
        text.addWidget(title)
        hint_text = issue.hint + (f"  <i>({_escape(issue.node)})</i>" if issue.node else "")
        hint = label(hint_text, "hint", self)
        hint.setWordWrap(True)
        text.addWidget(hint)
        layout.addLayout(text, 1)
        self.select_button: Optional[QtWidgets.QPushButton] = None
        if issue.node and on_select is not None:
            self.select_button = button(tr("submit.select"), "", lambda: on_select(issue.node), self)
            layout.addWidget(self.select_button, 0, Qt.AlignTop)


def _escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class IssueList(QtWidgets.QScrollArea):
    """All issues together (errors first), each with its hint."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.rows: List[IssueRow] = []
        self._body = QtWidgets.QWidget(self)
        self._layout = QtWidgets.QVBoxLayout(self._body)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self.setWidget(self._body)
        self._body.setObjectName("ScrollBody")
        self._body.setAutoFillBackground(False)  # setWidget turned it on; the panel's background shows through

    def set_issues(self, issues: List[Any], can_select: Optional[Callable[[str], Any]]) -> None:
        """Show ``issues``; ``can_select`` is the Select handler (None standalone)."""
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        order = {"error": 0, "warning": 1, "info": 2}
        ordered = sorted(issues, key=lambda issue: order.get(issue.severity, 3))
        if not ordered:
            ok = label(f"<span style='color:{GREEN}; font-size:12pt'>✔</span>&nbsp; {tr('submit.checks_ok')}",
                       "", self._body)
            ok.setContentsMargins(10, 8, 8, 8)
            self.rows.append(ok)  # type: ignore[arg-type]
            self._layout.insertWidget(0, ok)
            return
        for position, issue in enumerate(ordered):
            row = IssueRow(issue, can_select, self._body)
            row.setProperty("role", "card")
            self.rows.append(row)
            self._layout.insertWidget(position, row)


class EnvTable(QtWidgets.QTableWidget):
    """Host version and plugins: the artist's version, the farm's choice, and how good a match it is."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels([tr("submit.env.scene"), tr("submit.env.farm"), tr("submit.env.match")])
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        self.setShowGrid(False)
        self.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QtWidgets.QAbstractItemView.NoSelection)
        self.setFocusPolicy(Qt.NoFocus)
        self.set_match(None)

    def set_match(self, match: Any) -> None:
        """Show an EnvMatch (None: nothing known yet)."""
        items = [] if match is None else [match.software, *match.plugins]
        self.setRowCount(len(items))
        for row, item in enumerate(items):
            status = {"exact": tr("submit.env.exact"), "missing": tr("submit.env.missing")}.get(
                item.status, tr("submit.env.nearest", version=item.chosen))
            cells = [f"{item.name} {item.wanted}".strip(), item.chosen or "—", "●  " + status]
            for column, text in enumerate(cells):
                cell = QtWidgets.QTableWidgetItem(text)
                if column == 2:
                    cell.setForeground(QtGui.QBrush(QtGui.QColor(MATCH_COLOURS.get(item.status, AMBER))))
                self.setItem(row, column, cell)
        self.setColumnWidth(0, 190)
        self.setColumnWidth(1, 110)
        self.setFixedHeight(36 + 26 * max(len(items), 1))


class PreviewDialog(QtWidgets.QDialog):
    """The exact task files, one tab each, as they will be sent."""

    def __init__(self, files: Any, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("RvDialog")
        self.setWindowTitle(tr("submit.preview").rstrip("…"))
        tabs = QtWidgets.QTabWidget(self)
        self.texts = {}
        for name, content in files.files().items():
            view = QtWidgets.QPlainTextEdit(self)
            view.setReadOnly(True)
            view.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.FixedFont))
            view.setPlainText(json.dumps(content, indent=2, ensure_ascii=False))
            self.texts[name] = view
            tabs.addTab(view, name)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(tabs)
        close = button(tr("common.close"), "", self.accept, self)
        layout.addWidget(close, 0, Qt.AlignRight)
        self.resize(760, 560)


class ProgressBridge(QtCore.QObject):
    """Carries ProgressEvents from the submission worker to the dialog (queued signal)."""

    event = QtCore.Signal(object)

    def callback(self, event: Any) -> bool:
        """The pipeline's progress callback (worker thread)."""
        self.event.emit(event)
        return True


def eta_text(seconds: Optional[float]) -> str:
    """'1m 05s', '12s' or '—'."""
    if seconds is None:
        return "—"
    seconds = int(seconds)
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def bytes_text(count: int) -> str:
    """Bytes as KB / MB / GB."""
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def progress_text(event: Any) -> str:
    """One line for a submission ProgressEvent: stage, file, done of total, ETA."""
    done = bytes_text(event.bytes_done) if event.bytes_total else f"{event.files_done}"
    total = bytes_text(event.bytes_total) if event.bytes_total else f"{event.files_total}"
    if event.file or event.files_total:
        return tr("submit.progress", stage=event.stage, file=event.file or event.message, done=done, total=total,
                  eta=eta_text(event.eta))
    return f"{event.stage} · {event.message}"


def section(title: str, parent: QtWidgets.QWidget) -> Any:
    """A card with a small caps title and a form layout; returns (card, form)."""
    frame = card(parent)
    form = QtWidgets.QFormLayout(frame)
    form.setContentsMargins(14, 10, 14, 12)
    form.setHorizontalSpacing(14)
    form.setVerticalSpacing(8)
    form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
    form.addRow(label(title.upper(), "section", frame))
    return frame, form


def fill_checklist(widget: QtWidgets.QListWidget, names: List[str], chosen: Optional[List[str]],
                   default: set) -> None:
    """Checkable rows for ``names``: ``chosen`` checked, or ``default`` when nothing was chosen."""
    widget.clear()
    for name in names:
        item = QtWidgets.QListWidgetItem(name, widget)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        on = name in chosen if chosen is not None else name in default
        item.setCheckState(Qt.Checked if on else Qt.Unchecked)
    widget.setVisible(bool(names))
