"""Painting for the monitor's cells: progress bars, status dots and thumbnail tiles.

Delegates read the models' roles (:class:`rv_dcc.ui.columns.Role`) and paint; they hold no
state, so a poll that changes a row only repaints that row. Thumbnail tiles show a placeholder
(frame number on a tinted tile) until the image is in the cache.
"""
from typing import Any, Optional, Union

from qtpy import QtCore, QtGui, QtWidgets

from rv_dcc.ui.columns import GREEN, RED, Role

Qt = QtCore.Qt
#: what Qt hands a model or delegate (PySide6's stubs: either kind of index)
Index = Union[QtCore.QModelIndex, QtCore.QPersistentModelIndex]


def _selected(option: Any) -> bool:
    return bool(option.state & QtWidgets.QStyle.StateFlag.State_Selected)


class ProgressDelegate(QtWidgets.QStyledItemDelegate):
    """A slim bar (done green, failed red) with 'done / total' beside it."""

    def paint(self, painter: QtGui.QPainter, option: Any, index: Index) -> None:
        progress = index.data(int(Role.PROGRESS))
        if not progress:
            super().paint(painter, option, index)
            return
        done, failed, total = progress
        painter.save()
        if _selected(option):
            painter.fillRect(option.rect, option.palette.highlight())
        rect = option.rect.adjusted(6, 0, -6, 0)
        text = f"{done}/{total}" if total else "–"
        metrics = QtGui.QFontMetrics(option.font)
        text_width = metrics.horizontalAdvance("0000/0000") if hasattr(metrics, "horizontalAdvance") else 60
        bar = QtCore.QRect(rect.left(), rect.center().y() - 3, max(rect.width() - text_width - 8, 20), 6)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QtGui.QColor("#3a3f48"))
        painter.drawRoundedRect(bar, 3, 3)
        if total:
            done_width = int(bar.width() * min(done, total) / total)
            failed_width = int(bar.width() * min(failed, total - min(done, total)) / total)
            if done_width:
                painter.setBrush(QtGui.QColor(GREEN))
                painter.drawRoundedRect(QtCore.QRect(bar.left(), bar.top(), done_width, bar.height()), 3, 3)
            if failed_width:
                painter.setBrush(QtGui.QColor(RED))
                painter.drawRoundedRect(QtCore.QRect(bar.left() + done_width, bar.top(), failed_width, bar.height()),
                                        3, 3)
        painter.setPen(QtGui.QColor("#c9ccd3"))
        painter.drawText(QtCore.QRect(bar.right() + 8, rect.top(), text_width, rect.height()),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
        painter.restore()

    def sizeHint(self, option: Any, index: Index) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(160, 26)


class StatusDelegate(QtWidgets.QStyledItemDelegate):
    """A coloured dot before the status text (the colour comes from ForegroundRole)."""

    def paint(self, painter: QtGui.QPainter, option: Any, index: Index) -> None:
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        colour = brush.color() if isinstance(brush, QtGui.QBrush) else QtGui.QColor("#8b8f98")
        painter.save()
        if _selected(option):
            painter.fillRect(option.rect, option.palette.highlight())
        rect = option.rect.adjusted(8, 0, -4, 0)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(QtCore.QRectF(rect.left(), rect.center().y() - 3.5, 7, 7))
        painter.setPen(QtGui.QColor("#e4e6eb"))
        painter.drawText(rect.adjusted(14, 0, 0, 0), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        painter.restore()


class ThumbnailDelegate(QtWidgets.QStyledItemDelegate):
    """A tile: the thumbnail (or a placeholder while it loads), a status stripe and the frame number."""

    #: a tile at 96 dpi: a 160x90 image and its label
    base_tile = QtCore.QSize(168, 120)
    base_label = 22

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        # sized from the view's fonts, not fixed pixels: where a host scales its fonts (150%,
        # 200%) and not its pixels, a fixed tile cut its label in half
        scale = max(1.0, parent.logicalDpiY() / 96.0) if parent is not None else 1.0
        metrics = parent.fontMetrics() if parent is not None else None
        self.label_height = max(int(self.base_label * scale), metrics.height() + 6 if metrics else 0)
        self.tile = QtCore.QSize(int(self.base_tile.width() * scale),
                                 int((self.base_tile.height() - self.base_label) * scale) + self.label_height)

    def image_size(self) -> QtCore.QSize:
        """The image area of a tile (thumbnails are scaled to it once, when decoded)."""
        return self.image_area(self.tile, self.label_height)

    @staticmethod
    def image_area(tile: QtCore.QSize, label_height: int) -> QtCore.QSize:
        """The image area of a ``tile`` whose label is ``label_height`` high."""
        return QtCore.QSize(tile.width() - 8, tile.height() - 8 - label_height)

    def paint(self, painter: QtGui.QPainter, option: Any, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 4, -4, -4)
        image_rect = QtCore.QRect(rect.left(), rect.top(), rect.width(), rect.height() - self.label_height)
        path = QtGui.QPainterPath()
        path.addRoundedRect(QtCore.QRectF(image_rect), 4, 4)
        painter.fillPath(path, QtGui.QColor("#2f333b"))
        pixmap: Optional[QtGui.QPixmap] = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(pixmap, QtGui.QPixmap) and not pixmap.isNull():
            if pixmap.width() > image_rect.width() or pixmap.height() > image_rect.height():
                pixmap = pixmap.scaled(image_rect.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            target = QtCore.QRect(0, 0, pixmap.width(), pixmap.height())
            target.moveCenter(image_rect.center())
            painter.setClipPath(path)
            painter.drawPixmap(target, pixmap)
            painter.setClipping(False)
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        colour = brush.color() if isinstance(brush, QtGui.QBrush) else QtGui.QColor(GREEN)
        if not isinstance(pixmap, QtGui.QPixmap) or pixmap.isNull():
            failed = colour.name().lower() == RED.lower()
            if failed:  # a failed frame: a tinted tile that says so, instead of a waiting placeholder
                tint = QtGui.QColor(colour)
                tint.setAlpha(40)
                painter.fillPath(path, tint)
            painter.setPen(colour if failed else QtGui.QColor("#5d636d"))
            painter.drawText(image_rect, int(Qt.AlignmentFlag.AlignCenter), str(index.data(Qt.ItemDataRole.StatusTipRole) or "…"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(QtCore.QRectF(rect.left() + 2, rect.bottom() - 13, 7, 7))
        painter.setPen(QtGui.QColor("#e4e6eb") if not _selected(option) else QtGui.QColor("#ffffff"))
        painter.drawText(QtCore.QRect(rect.left() + 14, rect.bottom() - 20, rect.width() - 14, 20),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        if _selected(option):
            painter.setPen(QtGui.QPen(QtGui.QColor("#4a9eff"), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QtCore.QRectF(image_rect).adjusted(1, 1, -1, -1), 4, 4)
        painter.restore()

    def sizeHint(self, option: Any, index: Index) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(self.tile.width() + 8, self.tile.height() + 8)
