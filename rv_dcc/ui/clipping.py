"""Find text the panel cuts off: labels, buttons, combo boxes, tabs and column headers whose
text needs more room than they have.

Used by ``rv-dcc panel --screenshot`` (it writes what it finds beside the pictures) and by the
tests that open the panel with fonts 1.5x and 2x bigger than its pixels (``QT_FONT_DPI`` 144 and
192: what a host without Qt's own high-DPI scaling shows at 150% and 200%), so a fixed width
that only fits at 100% fails a test instead of an artist's eye. Text that wraps, is elided on
purpose or is empty is not counted.
"""
from typing import Any, List

from qtpy import QtCore, QtGui, QtWidgets

#: pixels a check allows for rounding between a font's advance and what a style draws
SLACK = 2


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        document = QtGui.QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def _advance(metrics: QtGui.QFontMetrics, text: str) -> int:
    lines = _plain(text).replace("&&", "\0").replace("&", "").replace("\0", "&").splitlines() or [""]
    advance = getattr(metrics, "horizontalAdvance", None) or getattr(metrics, "width")  # Qt < 5.11: width
    return max(advance(line) for line in lines)


def _name(widget: Any, text: str) -> str:
    return "%s %r (%s)" % (type(widget).__name__, _plain(text)[:60], widget.objectName() or "unnamed")


def _label(widget: QtWidgets.QLabel) -> List[str]:
    text = widget.text()
    if not text or widget.wordWrap() or "\u2026" in text:
        return []
    need = _advance(widget.fontMetrics(), text) + 2 * widget.margin() + max(widget.indent(), 0)
    have = widget.contentsRect().width()
    return [_name(widget, text) + " needs %d px, has %d" % (need, have)] if need > have + SLACK else []


def _button(widget: QtWidgets.QAbstractButton) -> List[str]:
    text = widget.text()
    if not text:
        return []
    hint = widget.minimumSizeHint() if isinstance(widget, QtWidgets.QPushButton) else widget.sizeHint()
    if widget.width() + SLACK < hint.width():
        return [_name(widget, text) + " needs %d px, has %d" % (hint.width(), widget.width())]
    return []


def _combo(widget: QtWidgets.QComboBox) -> List[str]:
    text = widget.currentText()
    if not text:
        return []
    option = QtWidgets.QStyleOptionComboBox()
    option.initFrom(widget)  # public (initStyleOption is protected: refused on a host's own combo)
    option.editable = widget.isEditable()
    option.currentText = text
    room = widget.style().subControlRect(QtWidgets.QStyle.ComplexControl.CC_ComboBox, option,
                                         QtWidgets.QStyle.SubControl.SC_ComboBoxEditField, widget).width()
    need = _advance(widget.fontMetrics(), text)
    if widget.iconSize().width() and not widget.itemIcon(widget.currentIndex()).isNull():
        need += widget.iconSize().width() + 4
    return [_name(widget, text) + " needs %d px, has %d" % (need, room)] if need > room + SLACK else []


def _tabs(widget: QtWidgets.QTabBar) -> List[str]:
    found = []
    for index in range(widget.count()):
        if not widget.isTabVisible(index) if hasattr(widget, "isTabVisible") else False:
            continue
        # tabSizeHint is protected (refused on a tab bar Qt made): the title plus the style's padding
        want = _advance(widget.fontMetrics(), widget.tabText(index)) + 2 * widget.style().pixelMetric(
            QtWidgets.QStyle.PixelMetric.PM_TabBarTabHSpace, None, widget) // 2
        have = widget.tabRect(index).width()
        if have + SLACK < want:
            found.append(_name(widget, widget.tabText(index)) + " tab needs %d px, has %d" % (want, have))
    return found


def _header(widget: QtWidgets.QHeaderView) -> List[str]:
    model = widget.model()
    if model is None or widget.orientation() != QtCore.Qt.Orientation.Horizontal:
        return []
    found = []
    metrics = widget.fontMetrics()
    indicator = 14 if widget.isSortIndicatorShown() else 0  # the arrow drawn beside the title
    for section in range(widget.count()):
        if widget.isSectionHidden(section) or widget.sectionResizeMode(section) == QtWidgets.QHeaderView.ResizeMode.Stretch:
            continue
        title = str(model.headerData(section, QtCore.Qt.Orientation.Horizontal, QtCore.Qt.ItemDataRole.DisplayRole) or "")
        if not title:
            continue
        need = _advance(metrics, title) + 12 + (indicator if widget.sortIndicatorSection() == section else 0)
        have = widget.sectionSize(section)
        if need > have + SLACK:
            found.append(_name(widget, title) + " column needs %d px, has %d" % (need, have))
    return found


def _scroll(widget: QtWidgets.QScrollArea) -> List[str]:
    """A panel of wrapped text (checks, the environment) never scrolls sideways: when it does,
    something in it is wider than the panel and its right edge is cut off."""
    bar = widget.horizontalScrollBar()
    if bar is None or not bar.isVisible() or bar.maximum() <= SLACK:
        return []
    inner = widget.widget()
    room = widget.viewport().width()
    wide = [child for child in (inner.findChildren(QtWidgets.QWidget) if inner is not None else [])
            if inner is not None and child.isVisibleTo(inner) and child.minimumSizeHint().width() > room]
    culprit = min(wide, key=lambda child: child.minimumSizeHint().width()) if wide else None
    why = "" if culprit is None else ": %s is at least %d px" % (
        _name(culprit, getattr(culprit, "text", lambda: "")() or ""), culprit.minimumSizeHint().width())
    return ["%s scrolls sideways by %d px%s" % (type(widget).__name__, bar.maximum(), why)]


def _squeezed(widget: QtWidgets.QWidget) -> List[str]:
    """A field or button squeezed below the height its font needs (its text loses its descenders)."""
    need = widget.minimumSizeHint().height()
    if widget.height() + SLACK < need:
        text = getattr(widget, "text", None) or getattr(widget, "currentText", None)
        return [_name(widget, text() if callable(text) else "") + " is %d px high, needs %d" % (widget.height(), need)]
    return []


def clipped(root: QtWidgets.QWidget) -> List[str]:
    """What in ``root`` (and its visible children) shows text cut off, one line each."""
    found: List[str] = []
    widgets = [root] + root.findChildren(QtWidgets.QWidget)
    for widget in widgets:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if isinstance(widget, (QtWidgets.QLineEdit, QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox,
                               QtWidgets.QPushButton)):
            found += _squeezed(widget)
        if isinstance(widget, QtWidgets.QLabel):
            found += _label(widget)
        elif isinstance(widget, QtWidgets.QAbstractButton) and not isinstance(widget, QtWidgets.QToolButton):
            found += _button(widget)
        elif isinstance(widget, QtWidgets.QComboBox):
            found += _combo(widget)
        elif isinstance(widget, QtWidgets.QTabBar):
            found += _tabs(widget)
        elif isinstance(widget, QtWidgets.QHeaderView):
            found += _header(widget)
        elif isinstance(widget, QtWidgets.QScrollArea):
            found += _scroll(widget)
    return found
