"""Small building blocks shared by the panel's views: the quiet banner, labels, cards, dialogs.

The banner is how the panel says something went wrong without stopping the artist: one line,
an optional action button, no modal dialog. ``ask_confirmation`` / ``ask_value`` are the only
places that open a modal question; views hold them as attributes so tests can answer them.
"""
from typing import Any, Callable, List, Optional, Sequence

from qtpy import QtCore, QtWidgets

from rv_dcc.ui.weakcall import WeakCall


def label(text: str = "", role: str = "", parent: Optional[QtWidgets.QWidget] = None) -> QtWidgets.QLabel:
    """A QLabel with a style role (title, subtitle, section, metric, hint)."""
    widget = QtWidgets.QLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    return widget


def button(text: str, role: str = "", on_click: Optional[Callable[[], Any]] = None,
           parent: Optional[QtWidgets.QWidget] = None) -> QtWidgets.QPushButton:
    """A QPushButton with a style role (primary, danger, link) and a click handler."""
    widget = QtWidgets.QPushButton(text, parent)
    if role:
        widget.setProperty("role", role)
    if on_click is not None:
        widget.clicked.connect(WeakCall(on_click, signal_args=False))  # never keeps its window alive
    widget.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
    return widget


def card(parent: Optional[QtWidgets.QWidget] = None) -> QtWidgets.QFrame:
    """A raised, rounded frame grouping related controls."""
    frame = QtWidgets.QFrame(parent)
    frame.setProperty("role", "card")
    return frame


def restyle(widget: QtWidgets.QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class Banner(QtWidgets.QFrame):
    """A one-line message above a view: warning, authentication problem or information."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.text = QtWidgets.QLabel(self)
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self._buttons: List[QtWidgets.QPushButton] = []
        self._layout = layout
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "warning",
                     actions: Sequence[Any] = ()) -> None:
        """Show ``text``; ``actions`` are (label, callback) pairs shown as buttons."""
        self.kind = kind
        self.setProperty("kind", kind)
        restyle(self)
        self.text.setText(text)
        for old in self._buttons:
            old.deleteLater()
        self._buttons = []
        for caption, callback in actions:
            widget = button(caption, "link", callback, self)
            self._layout.addWidget(widget)
            self._buttons.append(widget)
        self.show()

    def buttons(self) -> List[QtWidgets.QPushButton]:
        """The action buttons shown now."""
        return list(self._buttons)

    def clear(self) -> None:
        """Hide the banner."""
        self.kind = ""
        self.hide()


def ask_confirmation(parent: QtWidgets.QWidget, text: str) -> bool:
    """Ask a yes/no question (default: no), styled and translated (rv_dcc.ui.dialogs)."""
    from rv_dcc.ui import dialogs

    return dialogs.confirm(parent, text)


def ask_value(parent: QtWidgets.QWidget, name: str, prompt: str) -> Any:
    """Ask for the value an action needs (priority, overtime hours, label); None when cancelled."""
    from rv_dcc.ui import dialogs

    return dialogs.ask_value(parent, name, prompt)


def fit_columns(view: Any, columns: Sequence[Any], header: Any, stretch: Optional[str] = None) -> None:
    """Size ``view``'s columns once from font metrics so each header and its typical values fit
    (headers are semi-bold in the style sheet); what is still too long is elided with '…' and
    its full text is in the cell's tooltip. Never ResizeToContents: that reads every row.

    ``stretch`` names the column that takes the width left over (the scene name: the one whose
    values vary most), so every column shows without scrolling sideways as long as the others
    fit; without it the last column stretches."""
    from qtpy import QtGui

    from rv_dcc.ui.columns import fitted_widths

    body = QtGui.QFontMetrics(view.font())
    bold_font = QtGui.QFont(header.font())
    bold_font.setWeight(QtGui.QFont.Weight.DemiBold)
    bold = QtGui.QFontMetrics(bold_font)

    def advance(metrics: Any, text: str) -> int:
        return metrics.horizontalAdvance(text) if hasattr(metrics, "horizontalAdvance") else metrics.width(text)

    # header padding (6 px a side) plus room for a sort arrow
    widths = fitted_widths(tuple(columns), lambda text: advance(body, text), lambda text: advance(bold, text) + 28)
    for index, width in enumerate(widths):
        view.setColumnWidth(index, width)
    view.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
    keys = [column.key for column in columns]
    if stretch in keys:
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(min(60, header.minimumSectionSize()))
        header.setSectionResizeMode(keys.index(stretch), QtWidgets.QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)


def sortable(header: Any) -> None:
    """A view header whose clicks sort: no column sorted at first (the farm's order), the arrow
    shown on the sorted one, and (Qt 6) a third click back to the farm's order. Call before the
    view's setSortingEnabled(True), which sorts by the indicator's column at once."""
    header.setSortIndicator(-1, QtCore.Qt.SortOrder.AscendingOrder)
    header.setSortIndicatorShown(True)
    header.setSectionsClickable(True)
    if hasattr(header, "setSortIndicatorClearable"):  # Qt 6.1+
        header.setSortIndicatorClearable(True)


def hide_columns_to_fit(view: Any, columns: Sequence[Any], available: int, hide_first: Sequence[str]) -> None:
    """Hide ``view``'s least needed columns (``hide_first`` order) so the rest fit ``available``
    pixels without scrolling sideways (rv_dcc.ui.columns.columns_to_hide); they come back when
    there is room again."""
    from rv_dcc.ui.columns import columns_to_hide

    keys = [column.key for column in columns]
    widths = {key: view.columnWidth(index) or column.width for index, (key, column) in enumerate(zip(keys, columns))}
    hidden = set(columns_to_hide(widths, available, hide_first))
    for index, key in enumerate(keys):
        if view.isColumnHidden(index) != (key in hidden):
            view.setColumnHidden(index, key in hidden)


class FlowLayout(QtWidgets.QLayout):
    """Widgets left to right, wrapping to the next line when the width runs out (Qt's "Flow
    Layout" example): a row of fix buttons that fits at 100% wraps at 200% instead of pushing the
    checks panel wider than its window."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: List[Any] = []
        self.setSpacing(spacing)

    def addItem(self, item: Any) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> Any:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> Any:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Any:  # noqa: N802
        return QtCore.Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QtCore.QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QtCore.QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QtCore.QSize:  # noqa: N802
        size = QtCore.QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QtCore.QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QtCore.QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:  # wrap
                x, y, line = area.x(), y + line + self.spacing(), 0
            if move:
                item.setGeometry(QtCore.QRect(QtCore.QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()
