"""Pieces of the submit dialog: the checks list with its fix buttons, the preview dialog and the
progress texts (the render-environment picker is rv_dcc.ui.submit_env).
"""
import functools
import json
import re
from typing import Any, Callable, Dict, List, Optional

from qtpy import QtCore, QtGui, QtWidgets

from rv_dcc.ui.columns import AMBER, BLUE, GREEN, RED
from rv_dcc.ui.i18n import tr
from rv_dcc.ui.widgets import FlowLayout, button, card, label

Qt = QtCore.Qt
SEVERITY_COLOURS = {"error": RED, "warning": AMBER, "info": BLUE}


class IssueRow(QtWidgets.QFrame):
    """One issue: severity dot and word, title, hint (in the panel's language) and its fix buttons."""

    def __init__(self, issue: Any, fixes: List[Any], on_fix: Optional[Callable[[Any, Any], Any]],
                 parent: Optional[QtWidgets.QWidget] = None) -> None:
        from rv_dcc.submit.messages import localize
        from rv_dcc.ui.i18n import language

        super().__init__(parent)
        self.issue = issue
        self.fixes = list(fixes)
        colour = SEVERITY_COLOURS.get(issue.severity, BLUE)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 8, 8)
        layout.setSpacing(10)
        dot = label(f"<span style='color:{colour}; font-size:13pt'>●</span>", "", self)
        dot.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(dot)
        text = QtWidgets.QVBoxLayout()
        text.setSpacing(3)
        title_text, hint_text = localize(issue, language())
        self.title = label(f"<b>{tr('submit.severity.' + issue.severity)}</b> · {_wrappable(title_text)}", "", self)
        self.title.setWordWrap(True)
        self.title.setToolTip(title_text)  # the exact text, paths without the invisible break marks
        text.addWidget(self.title)
        node = f"  <i>({_escape(issue.node)})</i>" if issue.node and issue.node not in title_text else ""
        self.hint = label(_wrappable(hint_text) + node, "hint", self)
        self.hint.setWordWrap(True)
        self.hint.setToolTip(hint_text)
        text.addWidget(self.hint)
        self.fix_buttons: Dict[str, QtWidgets.QPushButton] = {}
        self.select_button: Optional[QtWidgets.QPushButton] = None
        if self.fixes and on_fix is not None:
            row = FlowLayout(spacing=6)  # wraps when the buttons need more than the panel's width
            row.setContentsMargins(0, 3, 0, 0)
            for fix in self.fixes:
                widget = button(fix.label, "fix", functools.partial(on_fix, issue, fix), self)  # held weakly
                widget.setToolTip(fix.label)
                self.fix_buttons[fix.id] = widget
                row.addWidget(widget)
            text.addLayout(row)
            self.select_button = self.fix_buttons.get("select")
        layout.addLayout(text, 1)
        # Right-click -> the exact text (paths without the invisible break marks), to paste into a
        # message to a TD or the farm's support.
        self.message_text = "\n".join(part for part in (title_text, hint_text, issue.detail) if part)
        copy = QtWidgets.QAction(tr("issue.copy"), self)
        copy.triggered.connect(self.copy_text)
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def copy_text(self, *_args: Any) -> None:
        """Put the issue's exact text on the clipboard."""
        QtWidgets.QApplication.clipboard().setText(self.message_text)


#: A path inside a sentence: a drive or a separator, then at least one more separator, no spaces.
_PATH = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s<>\"'()]*[\\/][^\s<>\"'()]*")
_BREAK, _JOIN = "\u200b", "\u2060"  # zero-width space (may break here), word joiner (must not)


def _wrappable_path(match: "re.Match[str]") -> str:
    """A path that wraps only *before* a separator ('/work/main' + '/resources'), never leaving a
    lone '/' at the end of a line (Qt's line breaker otherwise breaks after the first '/')."""
    out = []
    for position, char in enumerate(match.group(0)):
        if char in "/\\":
            out.append((_BREAK if position > 2 else "") + char + _JOIN)
        else:
            out.append(char)
    return "".join(out)


#: A long name without spaces (a node and its attribute: wallpaper_file.fileTextureName).
_LONG_NAME = re.compile(r"[A-Za-z0-9_.:|]{16,}")


def _wrappable_name(match: "re.Match[str]") -> str:
    """A long node/attribute name that may wrap after its '.', '_', ':' or '|' (at 200% a name
    of thirty letters was wider than the checks panel)."""
    return re.sub(r"([._:|])(?=.)", "\\1" + _BREAK, match.group(0))


def _wrappable(text: str) -> str:
    """Escaped rich text whose paths wrap at their separators and long names after their dots."""
    return _PATH.sub(_wrappable_path, _LONG_NAME.sub(_wrappable_name, _escape(text)))


def _escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class IssueList(QtWidgets.QScrollArea):
    """All issues together (errors first), each with its hint and fix buttons."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.rows: List[IssueRow] = []
        self._body = QtWidgets.QWidget(self)
        self._layout = QtWidgets.QVBoxLayout(self._body)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self.setWidget(self._body)
        self._body.setObjectName("ScrollBody")
        self._body.setAutoFillBackground(False)  # setWidget turned it on; the panel's background shows through

    def show_empty(self, text: str, action: str, on_action: Callable[[], Any]) -> None:
        """No scene yet: say so and offer ``action`` (never the green "no problems" of a checked scene)."""
        for row in self.rows:
            row.deleteLater()
        box = QtWidgets.QWidget(self._body)
        layout = QtWidgets.QVBoxLayout(box)
        layout.setContentsMargins(10, 8, 8, 8)
        hint = label(text, "hint", box)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(button(action, "primary", on_action, box), 0, Qt.AlignmentFlag.AlignLeft)
        self.rows = [box]  # type: ignore[list-item]
        self._layout.insertWidget(0, box)

    def set_issues(self, issues: List[Any], fixes_of: Callable[[Any], List[Any]],
                   on_fix: Optional[Callable[[Any, Any], Any]]) -> None:
        """Show ``issues``; ``fixes_of(issue)`` lists each one's fixes, ``on_fix(issue, fix)`` runs one."""
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
            row = IssueRow(issue, fixes_of(issue), on_fix, self._body)
            row.setProperty("role", "card")
            self.rows.append(row)
            self._layout.insertWidget(position, row)

    def row_for(self, code: str) -> Optional[IssueRow]:
        """The first row showing an issue of ``code`` (None when there is none)."""
        return next((row for row in self.rows if getattr(getattr(row, "issue", None), "code", None) == code), None)


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
            view.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont))
            view.setPlainText(json.dumps(content, indent=2, ensure_ascii=False))
            self.texts[name] = view
            tabs.addTab(view, name)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(tabs)
        close = button(tr("common.close"), "", self.accept, self)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(760, 560)


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
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.addRow(label(title.upper(), "section", frame))
    return frame, form


def fill_checklist(widget: QtWidgets.QListWidget, names: List[str], chosen: Optional[List[str]],
                   default: set) -> None:
    """Checkable rows for ``names``: ``chosen`` checked, or ``default`` when nothing was chosen."""
    widget.clear()
    for name in names:
        item = QtWidgets.QListWidgetItem(name, widget)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        on = name in chosen if chosen is not None else name in default
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
    widget.setVisible(bool(names))


def run_fix(view: Any, issue: Any, fix: Any) -> Any:
    """Run a fix of the checks list for a SubmitView: the controller does it and re-runs the checks;
    the view refreshes its controls and does what only it can (clipboard, focus, scan, catalog)."""
    result = view.controller.apply_fix(issue, fix)
    view._fill_controls()  # a fix may have changed options (frames per machine, OS, frames ...)
    view.status.setText(result.message if result.ok else f"<span style='color:{RED}'>{_escape(result.message)}</span>")
    if result.clipboard:
        QtWidgets.QApplication.clipboard().setText(result.clipboard)
    if result.rescan:
        view.load()  # the saved scene: scanned again (the scene file's size and hash changed)
    elif result.reload_catalog:
        view.runner.run(view.controller.catalog_job(), view._catalog_loaded, view._load_failed, key="catalog")
    view.render_state()
    field = {"frames": view.frames, "test_custom": view.test_custom, "output": view.output, "layers": view.layers,
             "cameras": view.cameras, "machine": view.machine}.get(result.focus)
    if field is not None:
        view.scroll_area.ensureWidgetVisible(field)
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(field, QtWidgets.QLineEdit):
            field.selectAll()
    return result


def describe_path(path: str) -> Any:
    """The scene description in ``path``: a description JSON, or a scene file its host's batch
    interpreter describes (slow: run it on a worker)."""
    if path.lower().endswith(".json"):
        from rv_dcc.scene.io import load_description

        return load_description(path)
    from rv_dcc.batch import describe_file

    return describe_file(path)
